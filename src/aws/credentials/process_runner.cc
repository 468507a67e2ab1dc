#include "aws/credentials/process_runner.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "core/secret_string.h"

extern char** environ;  // NOLINT: POSIX

namespace dbtrotate::aws {

namespace {

std::string ErrnoText(int error) { return std::generic_category().message(error); }

// Closes a descriptor once, on every path.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int* out() { return &fd_; }

 private:
  int fd_ = -1;
};

class SpawnActions {
 public:
  SpawnActions() { ok_ = posix_spawn_file_actions_init(&actions_) == 0; }
  ~SpawnActions() {
    if (ok_) posix_spawn_file_actions_destroy(&actions_);
  }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  bool ok() const { return ok_; }
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_{};
  bool ok_ = false;
};

class SpawnAttr {
 public:
  SpawnAttr() { ok_ = posix_spawnattr_init(&attr_) == 0; }
  ~SpawnAttr() {
    if (ok_) posix_spawnattr_destroy(&attr_);
  }
  SpawnAttr(const SpawnAttr&) = delete;
  SpawnAttr& operator=(const SpawnAttr&) = delete;
  bool ok() const { return ok_; }
  posix_spawnattr_t* get() { return &attr_; }

 private:
  posix_spawnattr_t attr_{};
  bool ok_ = false;
};

bool MakePipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  *read_end.out() = fds[0];
  *write_end.out() = fds[1];
  return true;
}

}  // namespace

ProcessOutput::~ProcessOutput() {
  WipeString(stdout_text);
  WipeString(stderr_text);
}

Result<ProcessOutput, std::string> PosixProcessRunner::Run(const std::vector<std::string>& argv,
                                                           const ProcessLimits& limits) {
  if (argv.empty() || argv[0].empty()) return Fail(std::string("empty command"));
  const std::string& program = argv[0];

  Fd out_read, out_write, err_read, err_write;
  if (!MakePipe(out_read, out_write) || !MakePipe(err_read, err_write)) {
    return Fail("cannot create pipes: " + ErrnoText(errno));
  }
  SpawnActions actions;
  SpawnAttr attr;
  if (!actions.ok() || !attr.ok()) return Fail(std::string("cannot prepare posix_spawn"));
  // stdin from /dev/null: a credential helper must not wait for our input.
  if (posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0) != 0 ||
      posix_spawn_file_actions_adddup2(actions.get(), out_write.get(), 1) != 0 ||
      posix_spawn_file_actions_adddup2(actions.get(), err_write.get(), 2) != 0 ||
      posix_spawn_file_actions_addclosefrom_np(actions.get(), 3) != 0) {
    return Fail(std::string("cannot prepare the child's file descriptors"));
  }
  // Its own process group, so a timeout can kill helpers it started too; default signals.
  sigset_t default_signals;
  sigemptyset(&default_signals);
  sigaddset(&default_signals, SIGPIPE);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  if (posix_spawnattr_setpgroup(attr.get(), 0) != 0 ||
      posix_spawnattr_setsigdefault(attr.get(), &default_signals) != 0 ||
      posix_spawnattr_setsigmask(attr.get(), &no_signals) != 0 ||
      posix_spawnattr_setflags(attr.get(), POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                               POSIX_SPAWN_SETSIGMASK) != 0) {
    return Fail(std::string("cannot prepare posix_spawn attributes"));
  }

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  pid_t pid = 0;
  int spawn_error =
      program.find('/') == std::string::npos
          ? posix_spawnp(&pid, program.c_str(), actions.get(), attr.get(), args.data(), environ)
          : posix_spawn(&pid, program.c_str(), actions.get(), attr.get(), args.data(), environ);
  if (spawn_error != 0) {
    return Fail("cannot start \"" + program + "\": " + ErrnoText(spawn_error));
  }
  out_write.Close();
  err_write.Close();

  ProcessOutput output;
  std::string failure;
  const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  std::array<Fd*, 2> sources = {&out_read, &err_read};
  std::array<std::string*, 2> sinks = {&output.stdout_text, &output.stderr_text};
  char buffer[4096];
  while (failure.empty() && (out_read.get() >= 0 || err_read.get() >= 0)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      failure = "\"" + program + "\" did not finish within " +
                std::to_string(limits.timeout.count()) + " ms and was killed";
      break;
    }
    std::array<pollfd, 2> fds{};
    for (std::size_t i = 0; i < 2; ++i) {
      fds[i].fd = sources[i]->get();  // negative fds are ignored by poll
      fds[i].events = POLLIN;
    }
    int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      failure = "poll failed: " + ErrnoText(errno);
      break;
    }
    for (std::size_t i = 0; i < 2 && failure.empty(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
        if (sinks[i]->size() > limits.max_output_bytes) {
          failure = "\"" + program + "\" wrote more than " +
                    std::to_string(limits.max_output_bytes) + " bytes to " +
                    (i == 0 ? "stdout" : "stderr") + " and was killed";
        }
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        sources[i]->Close();
      }
    }
  }
  OPENSSL_cleanse(buffer, sizeof buffer);

  if (!failure.empty()) ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!failure.empty()) return Fail(std::move(failure));
  if (WIFSIGNALED(status)) {
    output.signal = WTERMSIG(status);
  } else if (WIFEXITED(status)) {
    output.exit_code = WEXITSTATUS(status);
  }
  return output;
}

PosixProcessRunner& PosixProcessRunner::Instance() {
  static PosixProcessRunner runner;
  return runner;
}

}  // namespace dbtrotate::aws
