#include "fleet/rate_limiter.h"

#include <algorithm>
#include <charconv>

#include "rotation/duration.h"

namespace dbtrotate::fleet {

Result<RateLimit, std::string> ParseRate(std::string_view text, Duration default_window,
                                         std::string_view what) {
  const auto slash = text.find('/');
  const std::string_view count = text.substr(0, slash);
  int value = 0;
  const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), value);
  if (ec != std::errc() || end != count.data() + count.size() || value <= 0) {
    return Fail(std::string(what) +
                ": expected a positive number of requests, optionally per "
                "a duration (3000, 100/1s), got '" +
                std::string(text) + "'");
  }
  RateLimit limit{value, default_window, Duration(0)};
  if (slash != std::string_view::npos) {
    auto window = rotation::ParseDuration(text.substr(slash + 1), what);
    if (!window || window->count() <= 0) {
      return Fail(std::string(what) +
                  ": the period after '/' must be a duration such as 1s or "
                  "1m");
    }
    limit.window = *window;
  }
  // Arrival jitter (latency, a new connection's handshake) is tens of milliseconds whatever
  // the window, so short windows get at least 50 ms.
  limit.margin = std::max(limit.window / 50, Duration(50));
  return limit;
}

std::optional<SystemTime> RateLimiter::TryTakeLocked(SystemTime now) {
  SystemTime at = std::max(now, paused_until_);
  const auto capacity = static_cast<std::size_t>(limit_.max_requests);
  if (sent_.size() >= capacity) {
    // The request `capacity` sends back must have left the window before this one goes.
    at = std::max(at, sent_[sent_.size() - capacity] + limit_.window + limit_.margin);
  }
  if (at > now) return at;
  // Recorded when it is let through, not when it was planned: a caller that wakes late (a busy
  // machine, a test clock that jumps) is counted where it really goes.
  sent_.push_back(now);
  while (sent_.size() > capacity) sent_.pop_front();
  ++stats_.acquired;
  return std::nullopt;
}

void RateLimiter::Acquire() {
  if (limit_.max_requests <= 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++stats_.acquired;
    return;
  }
  for (;;) {
    Duration wait{0};
    {
      std::lock_guard<std::mutex> lock(mutex_);
      const SystemTime now = clock_.Now();
      const auto at = TryTakeLocked(now);
      if (!at) return;
      wait = std::max(Duration(1), std::chrono::ceil<Duration>(*at - now));
      stats_.waited += wait;
    }
    clock_.SleepFor(wait);
  }
}

void RateLimiter::PauseFor(Duration pause) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.pauses;
  paused_until_ = std::max(paused_until_, clock_.Now() + pause);
}

LimiterStats RateLimiter::Stats() {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

}  // namespace dbtrotate::fleet
