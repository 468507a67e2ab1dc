#include "fleet/rate_limiter.h"

#include <algorithm>

namespace dbtrotate::fleet {

SystemTime RateLimiter::ReserveLocked(SystemTime now) {
  SystemTime at = std::max(now, paused_until_);
  if (!sent_.empty()) at = std::max(at, sent_.back());  // keep the log ascending
  const auto capacity = static_cast<std::size_t>(limit_.max_requests);
  if (sent_.size() >= capacity) {
    // The request `capacity` sends back must have left the window before this one goes.
    at = std::max(at, sent_[sent_.size() - capacity] + limit_.window + limit_.margin);
  }
  sent_.push_back(at);
  while (sent_.size() > capacity) sent_.pop_front();
  return at;
}

void RateLimiter::Acquire() {
  if (limit_.max_requests <= 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++stats_.acquired;
    return;
  }
  for (;;) {
    SystemTime at;
    SystemTime now;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      now = clock_.Now();
      at = ReserveLocked(now);
      if (at <= now) {
        ++stats_.acquired;
        return;
      }
      stats_.waited += std::chrono::duration_cast<Duration>(at - now);
    }
    clock_.SleepFor(std::chrono::duration_cast<Duration>(at - now));
    std::lock_guard<std::mutex> lock(mutex_);
    // A 429 while this caller slept pauses it too; its reserved slot stays counted (safe side).
    if (clock_.Now() >= paused_until_) {
      ++stats_.acquired;
      return;
    }
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
