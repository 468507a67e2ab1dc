#ifndef DBTROTATE_TESTS_SUPPORT_RUNTIME_PROCESS_H_
#define DBTROTATE_TESTS_SUPPORT_RUNTIME_PROCESS_H_

// Test helper: watches a started rotation-function process (the Lambda runtime) and tells the
// Runtime API emulator when it exits, as Lambda does, so the invocation in flight fails at once
// instead of waiting for its timeout. The destructor kills the process if it is still running.

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <atomic>
#include <string>
#include <thread>

#include "emulators/lambda/runtime_api_emulator.h"

namespace dbtrotate::testing {

class RuntimeProcess {
 public:
  RuntimeProcess(emulators::lambda::RuntimeApiEmulator& runtime, pid_t pid)
      : pid_(pid), watcher_([this, &runtime] {
          int status = 0;
          waitpid(pid_, &status, 0);
          runtime.RuntimeExited(WIFEXITED(status)
                                    ? "exit status " + std::to_string(WEXITSTATUS(status))
                                    : "killed by a signal");
          exited_ = true;
        }) {}
  ~RuntimeProcess() {
    if (!exited_) kill(pid_, SIGKILL);
    if (watcher_.joinable()) watcher_.join();
  }
  RuntimeProcess(const RuntimeProcess&) = delete;
  RuntimeProcess& operator=(const RuntimeProcess&) = delete;

  /// SIGKILL, then waits until the process is reaped and the emulator has been told.
  void Kill() {
    kill(pid_, SIGKILL);
    watcher_.join();
  }
  bool exited() const { return exited_; }

 private:
  pid_t pid_;
  std::atomic<bool> exited_{false};
  std::thread watcher_;
};

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_SUPPORT_RUNTIME_PROCESS_H_
