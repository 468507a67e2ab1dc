#include "http/preconnect.h"

#include <netdb.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "http/url_policy.h"

namespace dbtrotate::http {

// Named, not anonymous: Preconnector::State holds these, and it has external linkage.
namespace preconnect_internal {
struct OpenedSocket {
  sockaddr_storage address{};
  socklen_t length = 0;
  int fd = -1;
};
}  // namespace preconnect_internal
using preconnect_internal::OpenedSocket;

namespace {

// A socket opened ahead and never used is handed over only while a server would still keep
// it: load balancers close connections that sent no request after a while (60 s is common).
constexpr std::chrono::seconds kMaxIdle{20};

bool IsSet(const EnvGetter& env, const char* name) {
  const auto value = env(name);
  return value && !value->empty();
}

bool SameAddress(const sockaddr_storage& ours, socklen_t length, const sockaddr* theirs,
                 socklen_t their_length) {
  return length == their_length && std::memcmp(&ours, theirs, length) == 0;
}

// A connection that never carried a request has nothing to say: if it is readable, the peer
// closed or reset it (or it is not the server we think), so it is not handed over.
bool StillQuiet(int fd) {
  pollfd entry{fd, POLLIN, 0};
  return poll(&entry, 1, 0) == 0;
}

// Waits for non-blocking connects to finish; closes the ones that failed (fd = -1).
void AwaitConnects(std::vector<pollfd>& pending, std::chrono::steady_clock::time_point deadline) {
  auto open_count = [&] {
    return std::count_if(pending.begin(), pending.end(),
                         [](const pollfd& p) { return p.fd >= 0 && p.events != 0; });
  };
  while (open_count() > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    const int ready = poll(pending.data(), pending.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) break;
    for (auto& entry : pending) {
      if (entry.fd < 0 || entry.events == 0 || entry.revents == 0) continue;
      int error = 0;
      socklen_t size = sizeof(error);
      getsockopt(entry.fd, SOL_SOCKET, SO_ERROR, &error, &size);
      if (error != 0) {
        close(entry.fd);
        entry.fd = -1;
      }
      entry.events = 0;  // settled
    }
  }
  for (auto& entry : pending) {  // still connecting at the deadline
    if (entry.fd >= 0 && entry.events != 0) {
      close(entry.fd);
      entry.fd = -1;
    }
  }
}

}  // namespace

bool ProxyConfigured(std::string_view scheme, const EnvGetter& env) {
  if (IsSet(env, "all_proxy") || IsSet(env, "ALL_PROXY")) return true;
  if (scheme == "https") return IsSet(env, "https_proxy") || IsSet(env, "HTTPS_PROXY");
  return IsSet(env, "http_proxy");  // libcurl ignores upper-case HTTP_PROXY (httpoxy)
}

struct Preconnector::State {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  bool abandoned = false;  // the Preconnector is gone: whatever opens now is closed
  std::vector<OpenedSocket> opened;
  std::chrono::steady_clock::time_point deadline;
  std::chrono::steady_clock::time_point opened_at;

  void Finish(std::vector<OpenedSocket> result) {
    std::lock_guard lock(mutex);
    if (abandoned) {
      for (const auto& item : result) close(item.fd);
      return;
    }
    opened = std::move(result);
    opened_at = std::chrono::steady_clock::now();
    done = true;
    done_cv.notify_all();
  }
};

namespace {

// The opening thread: resolve, connect `count` sockets to the first address, wait for them.
std::vector<OpenedSocket> OpenConnections(const std::string& host, const std::string& port,
                                          int count,
                                          std::chrono::steady_clock::time_point deadline) {
  std::vector<OpenedSocket> opened;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  // libcurl resolves the same way and tries the first address first, so this is the address
  // its first connection attempt asks for.
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
    return opened;
  }
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
  AwaitConnects(pending, deadline);
  for (const auto& entry : pending) {
    if (entry.fd < 0) continue;
    OpenedSocket item;
    std::memcpy(&item.address, found->ai_addr, found->ai_addrlen);
    item.length = found->ai_addrlen;
    item.fd = entry.fd;
    opened.push_back(item);
  }
  freeaddrinfo(found);
  return opened;
}

}  // namespace

std::shared_ptr<Preconnector> Preconnector::Start(const std::string& url, int count,
                                                  std::chrono::milliseconds timeout) {
  auto state = std::make_shared<State>();
  state->deadline = std::chrono::steady_clock::now() + timeout;
  std::shared_ptr<Preconnector> self(new Preconnector(state));
  auto parsed = CheckUrlPolicy(url);
  if (!parsed || count <= 0) {
    state->done = true;
    return self;
  }
  std::string port = parsed->port;
  if (port.empty()) port = parsed->scheme == "https" ? "443" : "80";
  std::thread([state, host = parsed->host, port, count] {
    state->Finish(OpenConnections(host, port, count, state->deadline));
  }).detach();
  return self;
}

Preconnector::~Preconnector() {
  std::lock_guard lock(state_->mutex);
  state_->abandoned = true;
  for (const auto& item : state_->opened) close(item.fd);
  state_->opened.clear();
}

int Preconnector::Take(const sockaddr* address, socklen_t length) {
  State& state = *state_;
  std::unique_lock lock(state.mutex);
  if (!state.done_cv.wait_until(lock, state.deadline, [&] { return state.done; })) return -1;
  const bool fresh_enough = std::chrono::steady_clock::now() - state.opened_at < kMaxIdle;
  while (true) {
    auto match = std::find_if(state.opened.begin(), state.opened.end(), [&](const auto& item) {
      return SameAddress(item.address, item.length, address, length);
    });
    if (match == state.opened.end()) return -1;
    const int fd = match->fd;
    state.opened.erase(match);
    if (fresh_enough && StillQuiet(fd)) return fd;
    close(fd);
  }
}

std::size_t Preconnector::Available() {
  State& state = *state_;
  std::unique_lock lock(state.mutex);
  state.done_cv.wait_until(lock, state.deadline, [&] { return state.done; });
  return state.opened.size();
}

}  // namespace dbtrotate::http
