#include "cli/interrupt_guard.h"

#include <pthread.h>
#include <unistd.h>

#include <cstdio>
#include <utility>

namespace dbtrotate::cli {

namespace {

constexpr int kWatchedSignals[] = {SIGINT, SIGTERM, SIGHUP};

bool IgnoredByParent(int signal) {
  struct sigaction current {};
  return ::sigaction(signal, nullptr, &current) == 0 && current.sa_handler == SIG_IGN;
}

}  // namespace

InterruptGuard::InterruptGuard(std::function<void(int)> on_interrupt)
    : on_interrupt_(std::move(on_interrupt)) {
  sigemptyset(&watched_);
  for (int signal : kWatchedSignals) {
    if (!IgnoredByParent(signal)) sigaddset(&watched_, signal);
  }
  pthread_sigmask(SIG_BLOCK, &watched_, &previous_mask_);
  watcher_ = std::thread([this] { Watch(); });
}

InterruptGuard::~InterruptGuard() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
    stopping_ = true;
  }
  // Wake the watcher with a signal it waits for; it sees stopping_ and returns.
  pthread_kill(watcher_.native_handle(), SIGTERM);
  watcher_.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

void InterruptGuard::Finish() {
  const std::lock_guard<std::mutex> lock(mutex_);
  finished_ = true;
}

void InterruptGuard::Watch() {
  sigset_t wait_for = watched_;
  sigaddset(&wait_for, SIGTERM);  // the destructor's wake-up, even when SIGTERM is ignored
  pthread_sigmask(SIG_BLOCK, &wait_for, nullptr);
  while (true) {
    int signal = 0;
    if (sigwait(&wait_for, &signal) != 0) continue;
    const std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    if (finished_ || sigismember(&watched_, signal) != 1) continue;
    on_interrupt_(signal);
    std::fflush(stdout);
    std::fflush(stderr);
    ::_exit(128 + signal);
  }
}

}  // namespace dbtrotate::cli
