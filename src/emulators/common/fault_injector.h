#ifndef DBTROTATE_EMULATORS_COMMON_FAULT_INJECTOR_H_
#define DBTROTATE_EMULATORS_COMMON_FAULT_INJECTOR_H_

// The fault rules of one emulator, consulted for every request, and the waiting that hangs,
// holds and injected latency need. Thread-safe. Every wait ends at Shutdown() (called when
// the server stops), so a stopping server never waits for a hang to run out.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "emulators/common/fault.h"

namespace dbtrotate::emulators {

/// How a held request continues.
enum class HoldRelease {
  kApply,          // proceed normally: apply and answer
  kDrop,           // never apply; close the connection without a response
  kApplyThenDrop,  // apply, then close without a response
};

class FaultInjector {
 public:
  using RuleId = std::uint64_t;

  RuleId AddRule(FaultRule rule);
  void RemoveRule(RuleId id);
  void ClearRules();
  /// Rules that still have occurrences left.
  std::size_t PendingRules();

  /// The fault for this request, if a rule fires (and uses one occurrence).
  std::optional<Fault> Decide(const RequestInfo& info);

  /// Delay added before every request is handled (0 = none).
  void SetLatency(std::chrono::milliseconds latency);
  std::chrono::milliseconds latency();
  /// Delay added once per client connection, before its first request (as a TLS handshake,
  /// which a client starts when it first uses the connection, costs a real one; 0 = none).
  void SetConnectionLatency(std::chrono::milliseconds latency);
  /// A new connection is served no sooner than this after it was accepted (as a TCP handshake
  /// costs a real client; 0 = none). Unlike the connection latency, a client that connects
  /// ahead and sends later has paid it while it waited.
  void SetAcceptLatency(std::chrono::milliseconds latency);
  std::chrono::milliseconds accept_latency();
  /// Records that a connection was accepted (the server's accept hook calls it).
  void NoteAccepted(std::chrono::steady_clock::time_point accepted);
  /// When each connection so far was accepted, in order (the benchmark's first contact).
  std::vector<std::chrono::steady_clock::time_point> AcceptTimes();
  /// The connection delay if this is the first request seen from remote address:port, else 0.
  /// (A port the kernel reuses for a later connection is not seen as new: an approximation.)
  std::chrono::milliseconds ConnectionDelay(const std::string& remote_addr, int remote_port);
  /// Distinct client connections seen (addr:port pairs).
  std::size_t ConnectionCount();

  // --- holds ---------------------------------------------------------------------------
  /// Sleeps until `deadline` or Shutdown(); false when shut down.
  bool SleepUntil(std::chrono::steady_clock::time_point deadline);

  /// Blocks a request that hit a kHold fault until Release() or Shutdown() (→ kDrop).
  HoldRelease Hold(const RequestInfo& info);
  /// Waits until at least `count` requests are being held; false on timeout.
  bool WaitForHeld(std::chrono::milliseconds timeout, std::size_t count = 1);
  std::size_t HeldCount();
  /// Releases every request held right now, all with the same outcome.
  void Release(HoldRelease how = HoldRelease::kApply);

  // --- waiting -------------------------------------------------------------------------
  /// Sleeps in real time unless shut down first; returns false if interrupted.
  bool SleepFor(std::chrono::milliseconds duration);
  /// Ends every wait now and later (holds resolve to kDrop). Not reversible.
  void Shutdown();
  bool shut_down();

 private:
  struct Entry {
    RuleId id;
    FaultRule rule;
  };

  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Entry> rules_;
  RuleId next_id_ = 1;
  std::chrono::milliseconds latency_{0};
  std::chrono::milliseconds connection_latency_{0};
  std::chrono::milliseconds accept_latency_{0};
  std::vector<std::chrono::steady_clock::time_point> accept_times_;
  std::set<std::pair<std::string, int>> connections_;
  bool shut_down_ = false;
  // Held requests wait for the release generation to move past the one they joined.
  std::size_t held_ = 0;
  std::uint64_t release_generation_ = 0;
  std::vector<std::pair<std::uint64_t, HoldRelease>> releases_;
};

}  // namespace dbtrotate::emulators

#endif  // DBTROTATE_EMULATORS_COMMON_FAULT_INJECTOR_H_
