#include "fleet/fleet_runner.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "dbtcloud/access_url.h"
#include "dbtcloud/client.h"
#include "fleet/limited_secrets_manager.h"
#include "rotation/engine.h"

namespace dbtrotate::fleet {

struct FleetRunner::Account {
  Account(http::Client& pool, const FleetLimits& limits, Clock& clock, Random& random)
      : limiter(limits.dbt, clock),
        limited(pool, limiter, clock, limits.too_many_requests),
        retrying(limited, limits.dbt_retry, clock, random) {}

  RateLimiter limiter;
  RateLimitedClient limited;
  http::RetryingClient retrying;
};

namespace {

int Severity(rotation::Outcome outcome) {
  switch (rotation::ExitCode(outcome)) {
    case 0:
      return 0;
    case 3:
      return 2;
    default:
      return 1;  // failed safely, or this secret's own input error
  }
}

}  // namespace

int FleetReport::ExitCode() const {
  int worst = 0;
  for (const auto& entry : entries) worst = std::max(worst, Severity(entry.report.outcome));
  return worst == 2 ? 3 : worst;
}

std::int64_t FleetReport::TooManyRequests() const {
  std::int64_t total = 0;
  for (const auto& account : accounts) total += account.too_many_requests;
  return total;
}

FleetRunner::FleetRunner(FleetDeps deps, FleetLimits limits)
    : deps_(std::move(deps)), limits_(limits) {}

FleetRunner::~FleetRunner() = default;

http::Client& FleetRunner::DbtClientFor(const std::string& access_url, std::int64_t account_id) {
  auto parsed = dbtcloud::ParseAccessUrl(access_url);
  std::string key_url = parsed ? parsed->base : access_url;
  std::lock_guard<std::mutex> lock(mutex_);
  auto& account = accounts_[{std::move(key_url), account_id}];
  if (!account) {
    account = std::make_unique<Account>(*deps_.dbt_http, limits_, *deps_.clock, *deps_.random);
  }
  return account->retrying;
}

RateLimiter& FleetRunner::WriteLimiterFor(const std::string& region) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& limiter = write_limiters_[region];
  if (!limiter)
    limiter = std::make_unique<RateLimiter>(limits_.secrets_manager_writes, *deps_.clock);
  return *limiter;
}

Result<rotation::EngineDeps, std::string> FleetRunner::DepsFor(
    const FleetEntry& entry, std::unique_ptr<aws::SecretsManagerApi>& keep) {
  auto target = deps_.secrets(entry.aws);
  if (!target) return Fail(std::move(target.error()));
  keep = std::make_unique<LimitedSecretsManager>(*target->api, WriteLimiterFor(target->region));
  rotation::EngineDeps deps;
  deps.secrets = keep.get();
  deps.clock = deps_.clock;
  deps.random = deps_.random;
  deps.probe = deps_.probe;
  deps.dbt = [this](const rotation::ConnectionInfo& connection,
                    SecretString token) -> std::unique_ptr<dbtcloud::ServiceTokenApi> {
    auto client =
        dbtcloud::Client::Create(DbtClientFor(connection.access_url, connection.account_id),
                                 connection.access_url, connection.account_id, std::move(token));
    if (!client) return nullptr;
    return std::move(*client);
  };
  return deps;
}

EntryResult FleetRunner::RunOne(const FleetEntry& entry, const FleetRunOptions& options) {
  EntryResult result;
  result.name = entry.name;
  result.secret_id = entry.rotate.secret_id;
  const SystemTime started = deps_.clock->Now();
  std::unique_ptr<aws::SecretsManagerApi> secrets;
  auto deps = DepsFor(entry, secrets);
  if (!deps) {
    result.report.outcome = rotation::Outcome::kInvalidInput;
    result.report.secret_id = entry.rotate.secret_id;
    result.report.message = deps.error();
    return result;
  }
  rotation::RotateOptions rotate = entry.rotate;
  rotate.dry_run = options.dry_run;
  rotate.force = rotate.force || options.force;
  rotation::Engine engine(std::move(*deps));
  result.report = engine.Rotate(rotate);
  result.duration = std::chrono::duration_cast<Duration>(deps_.clock->Now() - started);
  return result;
}

std::vector<rotation::StatusReport> FleetRunner::Status(const std::vector<FleetEntry>& entries) {
  std::vector<rotation::StatusReport> reports(entries.size());
  ForEach(entries.size(), [&](std::size_t i) {
    const FleetEntry& entry = entries[i];
    std::unique_ptr<aws::SecretsManagerApi> secrets;
    auto deps = DepsFor(entry, secrets);
    if (!deps) {
      reports[i].outcome = rotation::Outcome::kInvalidInput;
      reports[i].secret_id = entry.rotate.secret_id;
      reports[i].message = deps.error();
      return;
    }
    rotation::StatusOptions options;
    options.secret_id = entry.rotate.secret_id;
    options.connection = entry.rotate.connection;
    options.lease = entry.rotate.lease;
    reports[i] = rotation::Engine(std::move(*deps)).Status(options);
  });
  return reports;
}

void FleetRunner::ForEach(std::size_t count, const std::function<void(std::size_t)>& task) const {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < count; i = next++) task(i);
  };
  const auto jobs = static_cast<std::size_t>(std::max(1, limits_.jobs));
  std::vector<std::thread> workers;
  for (std::size_t j = 1; j < std::min(jobs, count); ++j) workers.emplace_back(worker);
  worker();  // the calling thread is one of the workers
  for (auto& thread : workers) thread.join();
}

void FleetRunner::Collect(FleetReport& report) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [key, account] : accounts_) {
    AccountTraffic traffic;
    traffic.access_url = key.first;
    traffic.account_id = key.second;
    traffic.limiter = account->limiter.Stats();
    traffic.too_many_requests = account->limited.too_many_requests();
    report.accounts.push_back(std::move(traffic));
  }
  for (const auto& [region, limiter] : write_limiters_) {
    report.secrets_manager_writes[region] = limiter->Stats();
  }
}

FleetReport FleetRunner::Run(const std::vector<FleetEntry>& entries, const FleetRunOptions& options,
                             FleetObserver* observer) {
  FleetReport report;
  report.entries.resize(entries.size());
  const SystemTime started = deps_.clock->Now();
  std::mutex observer_mutex;
  ForEach(entries.size(), [&](std::size_t i) {
    if (observer != nullptr) {
      std::lock_guard<std::mutex> lock(observer_mutex);
      observer->OnStarted(entries[i]);
    }
    report.entries[i] = RunOne(entries[i], options);
    if (observer != nullptr) {
      std::lock_guard<std::mutex> lock(observer_mutex);
      observer->OnFinished(report.entries[i]);
    }
  });
  report.wall = std::chrono::duration_cast<Duration>(deps_.clock->Now() - started);
  Collect(report);
  return report;
}

}  // namespace dbtrotate::fleet
