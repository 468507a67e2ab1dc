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
  limit.margin = kRateMargin;
  return limit;
}

std::optional<SystemTime> RateLimiter::TryTakeLocked(SystemTime now) {
  const Duration hold = limit_.window + limit_.margin;
  while (!answered_at_.empty() && answered_at_.front() + hold <= now) answered_at_.pop_front();
  SystemTime at = std::max(now, paused_until_);
  const auto capacity = static_cast<std::size_t>(limit_.max_requests);
  if (static_cast<std::size_t>(in_flight_) + answered_at_.size() >= capacity) {
    // Full: the oldest answer must leave the window first; with none, an answer must come.
    if (answered_at_.empty()) return SystemTime::max();
    at = std::max(at, answered_at_.front() + hold);
  }
  if (at > now) return at;
  ++in_flight_;
  ++stats_.acquired;
  return std::nullopt;
}

RateLimiter::Slot RateLimiter::Acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (limit_.max_requests <= 0) {
    ++stats_.acquired;
    return Slot(nullptr);
  }
  for (;;) {
    const SystemTime now = clock_.Now();
    const auto at = TryTakeLocked(now);
    if (!at) return Slot(this);
    if (*at == SystemTime::max()) {
      answered_.wait(lock);  // bounded: every request in flight ends by its own timeout
      stats_.waited += std::chrono::duration_cast<Duration>(clock_.Now() - now);
      continue;
    }
    const Duration wait = std::max(Duration(1), std::chrono::ceil<Duration>(*at - now));
    stats_.waited += wait;
    lock.unlock();
    clock_.SleepFor(wait);
    lock.lock();
  }
}

void RateLimiter::Finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --in_flight_;
    // Stamped now, under the lock: a late stamp only makes the request count longer.
    const SystemTime now = clock_.Now();
    answered_at_.insert(std::upper_bound(answered_at_.begin(), answered_at_.end(), now), now);
  }
  answered_.notify_all();
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
