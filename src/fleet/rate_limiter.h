#ifndef DBTROTATE_FLEET_RATE_LIMITER_H_
#define DBTROTATE_FLEET_RATE_LIMITER_H_

// At most `max_requests` in any window of `window`, as the server counts them, shared by every
// rotation that talks to one dbt account (or writes to Secrets Manager in one region).
//
// The server counts a request when it arrives, which is somewhere between our send and the
// answer's arrival: latency varies, and a starved client may read an answer late. So a request
// counts here from its send until one window after its answer (Slot::Done). A request may go
// when fewer than max_requests are in flight or answered within the last window; then any
// interval of one window holds at most max_requests arrivals, whatever the jitter, and
// whatever window the server uses (fixed, aligned or sliding). A token bucket would not do: one
// that starts full lets burst + rate through in the first window.
// A 429 pauses the whole limiter (every rotation of that account) until the cool-down ends.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/clock.h"
#include "core/result.h"

namespace dbtrotate::fleet {

struct RateLimit {
  int max_requests = 0;  // 0 = unlimited
  Duration window = std::chrono::minutes(1);
  /// Added to the window: the server's clock may round an arrival, or tick at another rate.
  Duration margin = std::chrono::milliseconds(0);
};

inline constexpr Duration kRateMargin = std::chrono::milliseconds(10);

struct LimiterStats {
  std::int64_t acquired = 0;  // requests let through
  std::int64_t pauses = 0;    // PauseFor calls (429s received)
  Duration waited{0};         // total time callers spent waiting (summed over threads)
};

/// "N" (per `default_window`) or "N/DURATION" ("3000", "100/1s", "5000/1m"), with a margin of
/// kRateMargin. `what` names the option in errors.
Result<RateLimit, std::string> ParseRate(std::string_view text, Duration default_window,
                                         std::string_view what);

class RateLimiter {
 public:
  /// One request let through. It counts as in flight until Done() (or destruction), which the
  /// caller calls once the answer (or the failure) has arrived.
  class [[nodiscard]] Slot {
   public:
    Slot(Slot&& other) noexcept : limiter_(std::exchange(other.limiter_, nullptr)) {}
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&& other) noexcept {
      if (this != &other) {
        Done();
        limiter_ = std::exchange(other.limiter_, nullptr);
      }
      return *this;
    }
    ~Slot() { Done(); }
    void Done() {
      if (limiter_ != nullptr) std::exchange(limiter_, nullptr)->Finish();
    }

   private:
    friend class RateLimiter;
    explicit Slot(RateLimiter* limiter) : limiter_(limiter) {}
    RateLimiter* limiter_;
  };

  RateLimiter(RateLimit limit, Clock& clock) : limit_(limit), clock_(clock) {}

  /// Blocks until one more request may be sent (clock.SleepFor for a window to pass; a wait on
  /// the requests in flight when all of them are), and counts it from now.
  Slot Acquire();
  /// Nothing is let through before now + `pause` (a 429's Retry-After or cool-down).
  void PauseFor(Duration pause);
  LimiterStats Stats();
  const RateLimit& limit() const { return limit_; }

 private:
  /// Under the lock: takes a slot now (nullopt), or says when one may be free: a time, or
  /// SystemTime::max() when only an answer can free one.
  std::optional<SystemTime> TryTakeLocked(SystemTime now);
  void Finish();

  const RateLimit limit_;
  Clock& clock_;
  std::mutex mutex_;
  std::condition_variable answered_;
  int in_flight_ = 0;                   // let through, not answered yet
  std::deque<SystemTime> answered_at_;  // answers of the last window, ascending
  SystemTime paused_until_{};
  LimiterStats stats_;
};

}  // namespace dbtrotate::fleet

#endif  // DBTROTATE_FLEET_RATE_LIMITER_H_
