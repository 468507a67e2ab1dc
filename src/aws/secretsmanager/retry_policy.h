#ifndef DBTROTATE_AWS_SECRETSMANAGER_RETRY_POLICY_H_
#define DBTROTATE_AWS_SECRETSMANAGER_RETRY_POLICY_H_

// The AWS SDK "standard" retry mode (reference §6): a few attempts with full-jitter exponential
// backoff. The retry quota (token bucket) is left out: one process makes a handful of calls.

#include <chrono>

#include "core/clock.h"
#include "core/random.h"

namespace dbtrotate::aws {

struct RetryConfig {
  int max_attempts = 3;  // in total, including the first (AWS_MAX_ATTEMPTS)
  Duration base_delay = std::chrono::seconds(1);
  Duration max_backoff = std::chrono::seconds(20);
};

/// The wait after failed attempt number `attempt` (1-based):
/// rand[0,1) * min(base_delay * 2^(attempt-1), max_backoff).
Duration BackoffDelay(int attempt, const RetryConfig& config, Random& random);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_SECRETSMANAGER_RETRY_POLICY_H_
