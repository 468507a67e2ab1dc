#ifndef DBTROTATE_TESTS_CONTRACT_PRISM_PROCESS_H_
#define DBTROTATE_TESTS_CONTRACT_PRISM_PROCESS_H_

// Runs Stoplight Prism (pinned in tests/contract/package-lock.json) as a validating proxy in
// its own process group, captures its output in memory, and stops the whole group when
// destroyed. Every wait is bounded.

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/result.h"

namespace dbtrotate::contract {

/// Where `npm ci` puts Prism (scripts/install-deps).
std::string PrismPath();

class PrismProxy {
 public:
  PrismProxy() = default;
  ~PrismProxy();  // Stop()
  PrismProxy(const PrismProxy&) = delete;
  PrismProxy& operator=(const PrismProxy&) = delete;

  /// `prism proxy <spec> <upstream> --errors --port 0 --host 127.0.0.1`, then waits (at most
  /// `ready_timeout`) for "Prism is listening on http://127.0.0.1:PORT".
  Result<void, std::string> Start(const std::string& spec_path, const std::string& upstream,
                                  std::chrono::milliseconds ready_timeout);
  /// SIGTERM to the process group, SIGKILL after a grace period; idempotent.
  void Stop();

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  /// Everything Prism printed so far (stdout and stderr interleaved).
  std::string Output();
  std::size_t OutputSize();
  /// Waits (bounded) until the output holds `needle` at or after `from`.
  bool WaitForOutput(const std::string& needle, std::size_t from,
                     std::chrono::milliseconds timeout);
  /// Waits (bounded) until `done` holds for the output from `from` on.
  bool WaitForOutput(const std::function<bool(std::string_view)>& done, std::size_t from,
                     std::chrono::milliseconds timeout);

 private:
  void ReadLoop(int fd);

  pid_t pid_ = -1;
  int port_ = 0;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool eof_ = false;
  std::atomic<bool> stopping_{false};
};

}  // namespace dbtrotate::contract

#endif  // DBTROTATE_TESTS_CONTRACT_PRISM_PROCESS_H_
