#ifndef DBTROTATE_CLI_INTERRUPT_GUARD_H_
#define DBTROTATE_CLI_INTERRUPT_GUARD_H_

// What happens on Ctrl-C, SIGTERM or a hang-up while a command runs. No signal handler: the
// signals are blocked in the creating thread (and so in every thread it starts later) and a
// thread of the guard's own waits for them with sigwait, so the reaction runs as ordinary code
// and may lock, allocate and print. It then ends the process with _exit(128 + signal): 130 for
// SIGINT, 143 for SIGTERM, 129 for SIGHUP. Nothing else needs to unwind: the rotation's state
// is in Secrets Manager and is crash-safe at every instant.
//
// Create the guard before starting any other thread. A signal the parent ignored (nohup, a
// background job of a non-interactive shell) stays ignored.

#include <csignal>
#include <functional>
#include <mutex>
#include <thread>

namespace dbtrotate::cli {

class InterruptGuard {
 public:
  /// `on_interrupt(signal)` runs on the guard's thread, then the process exits.
  explicit InterruptGuard(std::function<void(int)> on_interrupt);
  /// Stops watching and restores the signal mask; a signal that arrived after Finish() but
  /// before this is dropped (the command was already reporting its own result).
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  /// From here on a signal no longer runs on_interrupt: the command writes its own result.
  /// If on_interrupt is already running, this waits for ever (the process is about to exit),
  /// so exactly one of the two reports is written.
  void Finish();

 private:
  void Watch();

  std::function<void(int)> on_interrupt_;
  sigset_t watched_{};
  sigset_t previous_mask_{};
  std::mutex mutex_;
  bool finished_ = false;  // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::thread watcher_;
};

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_INTERRUPT_GUARD_H_
