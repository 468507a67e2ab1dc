#ifndef DBTROTATE_FLEET_FLEET_RUNNER_H_
#define DBTROTATE_FLEET_FLEET_RUNNER_H_

// Rotates many secrets: a bounded pool of workers, one rotation::Engine run per secret (so
// every single-rotation guarantee holds for each), one rate limiter per dbt account shared by
// all its rotations, one per AWS region for Secrets Manager writes, one connection pool per
// service for the whole run. One failed rotation never stops the others.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/secretsmanager/api.h"
#include "core/clock.h"
#include "core/random.h"
#include "fleet/fleet_config.h"
#include "fleet/rate_limited_client.h"
#include "fleet/rate_limiter.h"
#include "http/client.h"
#include "http/retry.h"
#include "rotation/engine.h"
#include "rotation/report.h"
#include "rotation/run_owner.h"

namespace dbtrotate::fleet {

inline constexpr int kDefaultJobs = 8;
/// Well under dbt's 5,000 per minute per account: room for other clients of the account.
inline constexpr int kDefaultDbtRatePerMinute = 3000;
/// Secrets Manager: 50 writes per second per region (PutSecretValue + UpdateSecretVersionStage).
inline constexpr int kDefaultSecretsManagerWritesPerSecond = 40;

struct FleetLimits {
  int jobs = kDefaultJobs;
  RateLimit dbt{kDefaultDbtRatePerMinute, std::chrono::minutes(1), std::chrono::seconds(1)};
  RateLimit secrets_manager_writes{kDefaultSecretsManagerWritesPerSecond, std::chrono::seconds(1),
                                   std::chrono::milliseconds(50)};
  TooManyRequestsPolicy too_many_requests{std::chrono::minutes(5), 2};
  http::RetryPolicy dbt_retry;
};

/// An entry's Secrets Manager client and the region it writes to.
struct SecretsTarget {
  aws::SecretsManagerApi* api = nullptr;
  std::string region;
};
/// Builds (once per target; the caller caches) or refuses with a message for the user.
using SecretsResolver = std::function<Result<SecretsTarget, std::string>(const AwsTarget&)>;

struct FleetDeps {
  SecretsResolver secrets;
  http::Client* dbt_http = nullptr;  // the one dbt Cloud pool; must not retry by itself
  Clock* clock = nullptr;
  Random* random = nullptr;
  rotation::ProcessProbe* probe = nullptr;  // optional, as in EngineDeps
};

struct FleetRunOptions {
  bool dry_run = false;
  bool force = false;  // in addition to each entry's own `force`
};

struct EntryResult {
  std::string name;
  std::string secret_id;
  rotation::Report report;
  Duration duration{0};
};

struct AccountTraffic {
  std::string access_url;
  std::int64_t account_id = 0;
  LimiterStats limiter;
  std::int64_t too_many_requests = 0;  // 429s received
};

struct FleetReport {
  std::vector<EntryResult> entries;  // in the order given
  std::vector<AccountTraffic> accounts;
  std::map<std::string, LimiterStats> secrets_manager_writes;  // by region
  Duration wall{0};

  /// The worst outcome: 3 over 1 over 0 (an input error of one secret counts as 1: nothing
  /// was written for it and the rest ran).
  int ExitCode() const;
  std::int64_t TooManyRequests() const;
};

/// Progress callbacks; called from worker threads, one at a time.
class FleetObserver {
 public:
  virtual ~FleetObserver() = default;
  virtual void OnStarted(const FleetEntry& entry) = 0;
  virtual void OnFinished(const EntryResult& result) = 0;
};

class FleetRunner {
 public:
  FleetRunner(FleetDeps deps, FleetLimits limits);
  ~FleetRunner();
  FleetRunner(const FleetRunner&) = delete;
  FleetRunner& operator=(const FleetRunner&) = delete;

  FleetReport Run(const std::vector<FleetEntry>& entries, const FleetRunOptions& options,
                  FleetObserver* observer = nullptr);
  /// Reads only: rotation::Engine::Status for every entry, through the same limiters.
  std::vector<rotation::StatusReport> Status(const std::vector<FleetEntry>& entries);

 private:
  struct Account;
  EntryResult RunOne(const FleetEntry& entry, const FleetRunOptions& options);
  /// The engine's dependencies for one entry, or the message why there are none.
  Result<rotation::EngineDeps, std::string> DepsFor(const FleetEntry& entry,
                                                    std::unique_ptr<aws::SecretsManagerApi>& keep);
  /// Runs `task(i)` for every index on at most `jobs` threads (the caller's among them).
  void ForEach(std::size_t count, const std::function<void(std::size_t)>& task) const;
  /// The limited, retrying dbt Cloud client of one account (made on first use).
  http::Client& DbtClientFor(const std::string& access_url, std::int64_t account_id);
  RateLimiter& WriteLimiterFor(const std::string& region);
  void Collect(FleetReport& report);

  FleetDeps deps_;
  FleetLimits limits_;
  std::mutex mutex_;  // guards the two maps
  std::map<std::pair<std::string, std::int64_t>, std::unique_ptr<Account>> accounts_;
  std::map<std::string, std::unique_ptr<RateLimiter>> write_limiters_;
};

}  // namespace dbtrotate::fleet

#endif  // DBTROTATE_FLEET_FLEET_RUNNER_H_
