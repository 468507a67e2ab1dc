#ifndef DBTROTATE_EMULATORS_COMMON_REQUEST_LOG_H_
#define DBTROTATE_EMULATORS_COMMON_REQUEST_LOG_H_

// Every request an emulator receives, numbered in arrival order, with what became of it, so
// tests can assert "exactly one create was applied" or "the client retried the GET twice".
// In memory only. Header values that carry credentials are kept as their scheme only.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "emulators/common/fault.h"

namespace dbtrotate::emulators {

struct RequestRecord {
  std::uint64_t index = 0;
  std::uint64_t operation_index = 0;
  std::string method;
  std::string target;  // path and query, as sent
  std::string operation;
  /// Lower-case names. authorization keeps only its scheme ("Token <redacted>");
  /// x-amz-security-token is "<redacted>".
  std::multimap<std::string, std::string> headers;
  bool completed = false;  // false while the request is still being handled
  int status = 0;          // 0 when no response was sent (drop, hang)
  bool applied = false;    // the emulator's handler ran (state may have changed)
  std::optional<FaultKind> fault;
  /// Monotonic arrival and completion times, for the benchmark's critical-path and
  /// time-to-first-request figures (not for any emulated behaviour).
  std::chrono::steady_clock::time_point received_at;
  std::chrono::steady_clock::time_point finished_at;
};

class RequestLog {
 public:
  /// Identifies a started request across ResetLog().
  struct Ticket {
    std::uint64_t generation = 0;
    std::uint64_t index = 0;
    std::uint64_t operation_index = 0;
  };

  Ticket Begin(std::string method, std::string target, std::string operation,
               std::multimap<std::string, std::string> headers);
  void Finish(const Ticket& ticket, int status, bool applied, std::optional<FaultKind> fault);

  /// Requests received since start or the last ResetLog().
  std::uint64_t RequestCount();
  std::uint64_t CountFor(const std::string& operation);
  /// Requests of this operation whose handler ran.
  std::uint64_t AppliedCountFor(const std::string& operation);
  std::vector<RequestRecord> Log();
  /// Forgets every record and restarts numbering at 1 (NthRequest rules count from here).
  void ResetLog();

 private:
  std::mutex mutex_;
  std::uint64_t generation_ = 1;
  std::vector<RequestRecord> records_;  // records_[i].index == i + 1
  std::map<std::string, std::uint64_t> per_operation_;
};

}  // namespace dbtrotate::emulators

#endif  // DBTROTATE_EMULATORS_COMMON_REQUEST_LOG_H_
