#ifndef DBTROTATE_FLEET_RATE_LIMITED_CLIENT_H_
#define DBTROTATE_FLEET_RATE_LIMITED_CLIENT_H_

// The dbt Cloud side of the fleet's rate limiting, at the HTTP seam: dbt counts requests, and
// one ServiceTokenApi call may be many requests (every page of a list), so the limiter is
// taken once per request sent, below dbtcloud::Client and below the retrying decorator (its
// retries are requests too).
//
// A 429 pauses the account's limiter for its Retry-After (else dbt's documented five-minute
// cool-down) and the request is sent again after the pause: a 429 is a refusal before any
// processing, so even a token create may be re-sent. After `max_429_retries` the 429 is
// returned and the caller fails that rotation safely.

#include <atomic>
#include <cstdint>

#include "core/clock.h"
#include "fleet/rate_limiter.h"
#include "http/client.h"

namespace dbtrotate::fleet {

struct TooManyRequestsPolicy {
  Duration cooldown = std::chrono::minutes(5);  // reference §7, when no Retry-After is sent
  int max_429_retries = 3;
};

class RateLimitedClient final : public http::Client {
 public:
  RateLimitedClient(http::Client& inner, RateLimiter& limiter, Clock& clock,
                    TooManyRequestsPolicy policy = {})
      : inner_(inner), limiter_(limiter), clock_(clock), policy_(policy) {}

  http::HttpResult Send(const http::Request& request) override;

  std::int64_t too_many_requests() const { return too_many_requests_.load(); }

 private:
  http::Client& inner_;
  RateLimiter& limiter_;
  Clock& clock_;
  TooManyRequestsPolicy policy_;
  std::atomic<std::int64_t> too_many_requests_{0};
};

}  // namespace dbtrotate::fleet

#endif  // DBTROTATE_FLEET_RATE_LIMITED_CLIENT_H_
