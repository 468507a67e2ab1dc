#include "fleet/rate_limiter.h"

#include <algorithm>

namespace dbtrotate::fleet {

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
