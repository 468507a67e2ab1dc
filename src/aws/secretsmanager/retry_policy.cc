#include "aws/secretsmanager/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace dbtrotate::aws {

Duration BackoffDelay(int attempt, const RetryConfig& config, Random& random) {
  const double base = static_cast<double>(config.base_delay.count());
  const double cap = static_cast<double>(config.max_backoff.count());
  // Clamp the exponent: 2^62 ms already exceeds any cap and avoids overflow.
  const double ceiling = std::min(base * std::exp2(std::clamp(attempt - 1, 0, 62)), cap);
  const double unit = std::clamp(random.NextUnit(), 0.0, 1.0);
  return Duration(static_cast<Duration::rep>(std::floor(unit * ceiling)));
}

}  // namespace dbtrotate::aws
