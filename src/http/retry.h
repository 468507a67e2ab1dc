#ifndef DBTROTATE_HTTP_RETRY_H_
#define DBTROTATE_HTTP_RETRY_H_

// Bounded retries with exponential backoff and full jitter, as a decorator over any Client.
// Only requests that are safe to repeat are retried after they may have reached the server:
// a service token create must never be sent twice by accident.

#include <optional>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"
#include "http/client.h"

namespace dbtrotate::http {

struct RetryPolicy {
  int max_attempts = 4;                         // including the first
  Duration base_delay = Duration(500);          // first retry waits up to this
  Duration max_delay = Duration(20'000);        // cap of one backoff step
  Duration max_total_delay = Duration(60'000);  // cap of all waiting in one Send
  /// A Retry-After longer than this is not waited for (dbt's 429 cooldown is 5 minutes):
  /// the 429 is returned and the caller reports "rate limited, try later".
  Duration max_retry_after = Duration(60'000);
};

/// Delay before retry number `retry` (1-based): uniform in [0, min(max, base * 2^(retry-1))).
Duration FullJitterBackoff(int retry, const RetryPolicy& policy, Random& random);

/// Retry-After as delta-seconds or an HTTP date (parsed by libcurl's curl_getdate).
std::optional<Duration> ParseRetryAfter(std::string_view value, SystemTime now);

/// 429, 500, 502, 503, 504.
bool IsRetryableStatus(int status);

class RetryingClient final : public Client {
 public:
  RetryingClient(Client& inner, RetryPolicy policy, Clock& clock, Random& random)
      : inner_(inner), policy_(policy), clock_(clock), random_(random) {}

  HttpResult Send(const Request& request) override;

 private:
  /// How long to wait before the next attempt, or nullopt to stop and return `result`.
  std::optional<Duration> NextDelay(const Request& request, const HttpResult& result, int retry,
                                    Duration waited);

  Client& inner_;
  RetryPolicy policy_;
  Clock& clock_;
  Random& random_;
};

}  // namespace dbtrotate::http

#endif  // DBTROTATE_HTTP_RETRY_H_
