#include "http/retry.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace dbtrotate::http {

Duration FullJitterBackoff(int retry, const RetryPolicy& policy, Random& random) {
  const double exponent = std::min(retry - 1, 30);
  const double ceiling =
      std::min(static_cast<double>(policy.max_delay.count()),
               static_cast<double>(policy.base_delay.count()) * std::exp2(exponent));
  return Duration(static_cast<Duration::rep>(random.NextUnit() * ceiling));
}

std::optional<Duration> ParseRetryAfter(std::string_view value, SystemTime now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  long long seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
    return std::chrono::duration_cast<Duration>(std::chrono::seconds(seconds));
  }
  const std::string text(value);
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  const auto delta = std::chrono::system_clock::from_time_t(when) - now;
  return std::max(Duration(0), std::chrono::duration_cast<Duration>(delta));
}

bool IsRetryableStatus(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

std::optional<Duration> RetryingClient::NextDelay(const Request& request, const HttpResult& result,
                                                  int retry, Duration waited) {
  if (retry >= policy_.max_attempts) return std::nullopt;
  Duration delay = FullJitterBackoff(retry, policy_, random_);
  if (!result) {
    // A request that never left is always safe to repeat; one that may have arrived only if
    // repeating it cannot do harm.
    if (result.error().maybe_sent && !request.idempotent) return std::nullopt;
    switch (result.error().kind) {
      case ErrorKind::kInvalidUrl:
      case ErrorKind::kInsecureUrl:
      case ErrorKind::kTls:
      case ErrorKind::kResponseTooLarge:
        return std::nullopt;  // repeating cannot help
      default:
        break;
    }
  } else {
    if (!request.idempotent || !IsRetryableStatus(result->status)) return std::nullopt;
    if (auto header = result->HeaderValue("retry-after")) {
      auto retry_after = ParseRetryAfter(*header, clock_.Now());
      if (retry_after) {
        if (*retry_after > policy_.max_retry_after) return std::nullopt;
        delay = *retry_after;
      }
    }
  }
  if (waited + delay > policy_.max_total_delay) return std::nullopt;
  return delay;
}

HttpResult RetryingClient::Send(const Request& request) {
  Duration waited(0);
  for (int attempt = 1;; ++attempt) {
    HttpResult result = inner_.Send(request);
    if (result && !IsRetryableStatus(result->status)) return result;
    const auto delay = NextDelay(request, result, attempt, waited);
    if (!delay) return result;
    clock_.SleepFor(*delay);
    waited += *delay;
  }
}

}  // namespace dbtrotate::http
