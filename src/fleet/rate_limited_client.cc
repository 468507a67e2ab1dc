#include "fleet/rate_limited_client.h"

#include "http/retry.h"

namespace dbtrotate::fleet {

http::HttpResult RateLimitedClient::Send(const http::Request& request) {
  for (int retry = 0;; ++retry) {
    auto slot = limiter_.Acquire();
    http::HttpResult result = inner_.Send(request);
    slot.Done();  // answered: it counts for one window from now
    if (!result || result->status != 429) return result;
    ++too_many_requests_;
    Duration pause = policy_.cooldown;
    if (auto header = result->HeaderValue("retry-after")) {
      if (auto parsed = http::ParseRetryAfter(*header, clock_.Now())) pause = *parsed;
    }
    limiter_.PauseFor(pause);
    if (retry >= policy_.max_429_retries) return result;
  }
}

}  // namespace dbtrotate::fleet
