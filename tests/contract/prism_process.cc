#include "contract/prism_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <regex>

extern char** environ;

namespace dbtrotate::contract {

namespace {

constexpr auto kStopGrace = std::chrono::seconds(5);

// Reaps `pid` if it has exited; true when it is gone.
bool Reaped(pid_t pid) {
  int status = 0;
  const pid_t result = waitpid(pid, &status, WNOHANG);
  return result == pid || (result < 0 && errno == ECHILD);
}

}  // namespace

std::string PrismPath() { return DBTROTATE_SOURCE_DIR "/tests/contract/node_modules/.bin/prism"; }

PrismProxy::~PrismProxy() { Stop(); }

Result<void, std::string> PrismProxy::Start(const std::string& spec_path,
                                            const std::string& upstream,
                                            std::chrono::milliseconds ready_timeout) {
  if (access(PrismPath().c_str(), X_OK) != 0) {
    return Fail(std::string("Prism is not installed at ") + PrismPath() +
                ": run scripts/install-deps (it runs `npm ci` in tests/contract)");
  }
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return Fail(std::string("pipe: ") + std::strerror(errno));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);  // its own group: Stop() signals all of it

  std::vector<std::string> args = {PrismPath(), "proxy", spec_path, upstream,   "--errors",
                                   "--port",    "0",     "--host",  "127.0.0.1"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const int spawned =
      posix_spawn(&pid_, PrismPath().c_str(), &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(pipe_fds[1]);
  if (spawned != 0) {
    close(pipe_fds[0]);
    pid_ = -1;
    return Fail(std::string("posix_spawn prism: ") + std::strerror(spawned));
  }
  reader_ = std::thread([this, fd = pipe_fds[0]] { ReadLoop(fd); });

  static const std::regex kListening(R"(Prism is listening on http://127\.0\.0\.1:(\d+))");
  std::unique_lock lock(mutex_);
  std::smatch match;
  const bool ready = changed_.wait_for(
      lock, ready_timeout, [&] { return std::regex_search(output_, match, kListening) || eof_; });
  if (!ready || eof_ || match.empty()) {
    const std::string tail =
        output_.size() > 2000 ? output_.substr(output_.size() - 2000) : output_;
    lock.unlock();
    Stop();
    return Fail(
        std::string(ready ? "Prism exited before it was ready" : "Prism not ready in time") +
        "; its output ends with:\n" + tail);
  }
  port_ = std::stoi(match[1].str());
  return {};
}

void PrismProxy::ReadLoop(int fd) {
  char buffer[4096];
  while (true) {
    pollfd readable{fd, POLLIN, 0};
    const int ready = poll(&readable, 1, 100);
    if (ready == 0 || (ready < 0 && errno == EINTR)) {
      if (stopping_) break;
      continue;
    }
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    std::lock_guard lock(mutex_);
    if (n <= 0) {
      eof_ = true;
      changed_.notify_all();
      break;
    }
    output_.append(buffer, static_cast<std::size_t>(n));
    changed_.notify_all();
  }
  {
    std::lock_guard lock(mutex_);
    eof_ = true;
    changed_.notify_all();
  }
  close(fd);
}

void PrismProxy::Stop() {
  if (pid_ > 0) {
    kill(-pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
    bool gone = false;
    while (!(gone = Reaped(pid_)) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!gone) {
      kill(-pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
  }
  // The reader ends at EOF, or within one poll interval of this flag.
  stopping_ = true;
  if (reader_.joinable()) reader_.join();
}

std::string PrismProxy::Output() {
  std::lock_guard lock(mutex_);
  return output_;
}

std::size_t PrismProxy::OutputSize() {
  std::lock_guard lock(mutex_);
  return output_.size();
}

bool PrismProxy::WaitForOutput(const std::string& needle, std::size_t from,
                               std::chrono::milliseconds timeout) {
  return WaitForOutput(
      [&needle](std::string_view text) { return text.find(needle) != std::string_view::npos; },
      from, timeout);
}

bool PrismProxy::WaitForOutput(const std::function<bool(std::string_view)>& done, std::size_t from,
                               std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  auto holds = [&] {
    return done(std::string_view(output_).substr(std::min(from, output_.size())));
  };
  return changed_.wait_for(lock, timeout, [&] { return holds() || eof_; }) && holds();
}

}  // namespace dbtrotate::contract
