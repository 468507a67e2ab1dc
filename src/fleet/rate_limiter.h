#ifndef DBTROTATE_FLEET_RATE_LIMITER_H_
#define DBTROTATE_FLEET_RATE_LIMITER_H_

// At most `max_requests` in any window of `window` (+ a safety margin), shared by every
// rotation that talks to one dbt account (or writes to Secrets Manager in one region).
//
// A sliding log rather than a token bucket: a bucket that starts full lets burst + rate
// through in the first window, which a fixed-window server limit (dbt's "5,000 per minute")
// counts as too many. With the log, any interval of one window holds at most max_requests
// sends, so whatever window the server uses (fixed, aligned or sliding) sees at most that.
// A 429 pauses the whole limiter (every rotation of that account) until the cool-down ends.

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace dbtrotate::fleet {

struct RateLimit {
  int max_requests = 0;  // 0 = unlimited
  Duration window = std::chrono::minutes(1);
  /// Added to the window: a request sent just in time may arrive a little later than its
  /// predecessor did (latency varies), and the server counts arrivals.
  Duration margin = std::chrono::milliseconds(0);
};

struct LimiterStats {
  std::int64_t acquired = 0;  // requests let through
  std::int64_t pauses = 0;    // PauseFor calls (429s received)
  Duration waited{0};         // total time callers spent waiting (summed over threads)
};

/// "N" (per `default_window`) or "N/DURATION" ("3000", "100/1s", "5000/1m"); the margin is a
/// fiftieth of the window, at least 50 ms. `what` names the option in errors.
Result<RateLimit, std::string> ParseRate(std::string_view text, Duration default_window,
                                         std::string_view what);

class RateLimiter {
 public:
  RateLimiter(RateLimit limit, Clock& clock) : limit_(limit), clock_(clock) {}

  /// Blocks (clock.SleepFor) until one more request may be sent, and counts it as sent.
  void Acquire();
  /// Nothing is let through before now + `pause` (a 429's Retry-After or cool-down).
  void PauseFor(Duration pause);
  LimiterStats Stats();
  const RateLimit& limit() const { return limit_; }

 private:
  /// Under the lock: takes a slot now, or says when one may be free.
  std::optional<SystemTime> TryTakeLocked(SystemTime now);

  const RateLimit limit_;
  Clock& clock_;
  std::mutex mutex_;
  std::deque<SystemTime> sent_;  // when the last max_requests requests went, ascending
  SystemTime paused_until_{};
  LimiterStats stats_;
};

}  // namespace dbtrotate::fleet

#endif  // DBTROTATE_FLEET_RATE_LIMITER_H_
