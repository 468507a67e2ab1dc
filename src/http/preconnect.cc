#include "http/preconnect.h"

#include <netdb.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "http/url_policy.h"

namespace dbtrotate::http {

namespace {

using SteadyClock = std::chrono::steady_clock;

// A socket opened ahead and never used is handed over only while a server would still keep
// it: load balancers close connections that sent no request after a while (60 s is common).
constexpr std::chrono::seconds kMaxIdle{20};

bool IsSet(const EnvGetter& env, const char* name) {
  const auto value = env(name);
  return value && !value->empty();
}

// A connection that never carried a request has nothing to say: if it is readable, the peer
// closed or reset it (or it is not the server we think), so it is not handed over.
bool StillQuiet(int fd) {
  pollfd entry{fd, POLLIN, 0};
  return poll(&entry, 1, 0) == 0;
}

bool ConnectSucceeded(int fd) {
  int error = 0;
  socklen_t size = sizeof(error);
  return getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0 && error == 0;
}

}  // namespace

bool ProxyConfigured(std::string_view scheme, const EnvGetter& env) {
  if (IsSet(env, "all_proxy") || IsSet(env, "ALL_PROXY")) return true;
  if (scheme == "https") return IsSet(env, "https_proxy") || IsSet(env, "HTTPS_PROXY");
  return IsSet(env, "http_proxy");  // libcurl ignores upper-case HTTP_PROXY (httpoxy)
}

// What the opening thread publishes, step by step: the address once resolved (so a request
// to another host stops waiting), then each socket as soon as it is connected.
struct Preconnector::State {
  struct Ready {
    int fd = -1;
    SteadyClock::time_point at;
  };

  std::mutex mutex;
  std::condition_variable changed;
  SteadyClock::time_point deadline;
  bool resolved = false;
  sockaddr_storage address{};
  socklen_t length = 0;
  std::vector<Ready> ready;
  bool done = false;
  bool abandoned = false;  // the Preconnector is gone: whatever connects now is closed

  void Resolved(const sockaddr* resolved_address, socklen_t resolved_length) {
    std::lock_guard lock(mutex);
    std::memcpy(&address, resolved_address, resolved_length);
    length = resolved_length;
    resolved = true;
    changed.notify_all();
  }
  void Connected(int fd) {
    std::lock_guard lock(mutex);
    if (abandoned) {
      close(fd);
      return;
    }
    ready.push_back({fd, SteadyClock::now()});
    changed.notify_all();
  }
  void Finish() {
    std::lock_guard lock(mutex);
    done = true;
    changed.notify_all();
  }
  bool Matches(const sockaddr* theirs, socklen_t their_length) const {
    return length == their_length && std::memcmp(&address, theirs, length) == 0;
  }

  void Open(const std::string& host, const std::string& port, int count);
  void AwaitConnects(std::vector<pollfd> pending);
};

// Waits for non-blocking connects; publishes each one that succeeds as it does.
void Preconnector::State::AwaitConnects(std::vector<pollfd> pending) {
  while (!pending.empty()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) break;
    if (poll(pending.data(), pending.size(), static_cast<int>(left.count())) < 0 &&
        errno != EINTR) {
      break;
    }
    std::vector<pollfd> still;
    for (const auto& entry : pending) {
      if (entry.revents == 0) {
        still.push_back(entry);
      } else if (ConnectSucceeded(entry.fd)) {
        Connected(entry.fd);
      } else {
        close(entry.fd);
      }
    }
    pending.swap(still);
  }
  for (const auto& entry : pending) close(entry.fd);  // still connecting at the deadline
}

// The opening thread: resolve, then connect `count` sockets to the first address.
void Preconnector::State::Open(const std::string& host, const std::string& port, int count) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  // libcurl resolves the same way and tries the first address first, so this is the address
  // its first connection attempt asks for.
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) return;
  Resolved(found->ai_addr, found->ai_addrlen);
  std::vector<pollfd> pending;
  for (int i = 0; i < count; ++i) {
    const int fd = socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                          found->ai_protocol);
    if (fd < 0) break;
    if (connect(fd, found->ai_addr, found->ai_addrlen) != 0 && errno != EINPROGRESS) {
      close(fd);
      continue;
    }
    pending.push_back(pollfd{fd, POLLOUT, 0});
  }
  freeaddrinfo(found);
  AwaitConnects(std::move(pending));
}

std::shared_ptr<Preconnector> Preconnector::Start(const std::string& url, int count,
                                                  std::chrono::milliseconds timeout) {
  auto state = std::make_shared<State>();
  state->deadline = SteadyClock::now() + timeout;
  std::shared_ptr<Preconnector> self(new Preconnector(state));
  auto parsed = CheckUrlPolicy(url);
  if (!parsed || count <= 0) {
    state->done = true;
    return self;
  }
  std::string port = parsed->port;
  if (port.empty()) port = parsed->scheme == "https" ? "443" : "80";
  std::thread([state, host = parsed->host, port, count] {
    state->Open(host, port, count);
    state->Finish();
  }).detach();
  return self;
}

Preconnector::~Preconnector() {
  std::lock_guard lock(state_->mutex);
  state_->abandoned = true;
  for (const auto& item : state_->ready) close(item.fd);
  state_->ready.clear();
}

int Preconnector::Take(const sockaddr* address, socklen_t length) {
  State& state = *state_;
  std::unique_lock lock(state.mutex);
  state.changed.wait_until(lock, state.deadline, [&] { return state.resolved || state.done; });
  if (!state.resolved || !state.Matches(address, length)) return -1;
  while (state.changed.wait_until(lock, state.deadline, [&] {
    return !state.ready.empty() || state.done;
  }) && !state.ready.empty()) {
    const State::Ready item = state.ready.back();
    state.ready.pop_back();
    if (SteadyClock::now() - item.at < kMaxIdle && StillQuiet(item.fd)) return item.fd;
    close(item.fd);
  }
  return -1;
}

std::size_t Preconnector::Available() {
  State& state = *state_;
  std::unique_lock lock(state.mutex);
  state.changed.wait_until(lock, state.deadline, [&] { return state.done; });
  return state.ready.size();
}

}  // namespace dbtrotate::http
