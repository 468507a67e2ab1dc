#ifndef DBTROTATE_CLI_FLEET_COMMAND_H_
#define DBTROTATE_CLI_FLEET_COMMAND_H_

// `rotate --config FILE` and `status --config FILE`: every secret of a fleet file (src/fleet/).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "fleet/fleet_runner.h"
#include "fleet/selection.h"

namespace CLI {
class App;
}  // namespace CLI

namespace dbtrotate::cli {

struct FleetFlags {
  std::optional<std::string> config;
  std::vector<std::string> only;
  std::vector<std::string> tags;
  int jobs = fleet::kDefaultJobs;
  /// Per account: "N" per minute, or "N/DURATION".
  std::string dbt_rate = std::to_string(fleet::kDefaultDbtRatePerMinute);
  /// Per region: "N" per second, or "N/DURATION".
  std::string sm_write_rate = std::to_string(fleet::kDefaultSecretsManagerWritesPerSecond);
};

/// Everything a fleet run needs, built and checked before the first request: the selected
/// entries, one Secrets Manager runtime per (region, profile), the one dbt Cloud pool.
struct FleetContext {
  std::vector<fleet::FleetEntry> entries;
  std::unique_ptr<http::CurlClient> dbt_pool;
  std::map<fleet::AwsTarget, std::unique_ptr<Runtime>> runtimes;
};

/// Loads and validates the file, selects, resolves every entry's AWS configuration.
Result<std::unique_ptr<FleetContext>, std::string> PrepareFleet(const std::string& path,
                                                                const fleet::Selection& selection,
                                                                const ConnectionFlags& connection,
                                                                const aws::Environment& env);

/// --config, --only, --tag, --jobs, --dbt-rate, --sm-write-rate (rotate).
void AddFleetRotateFlags(CLI::App* rotate, FleetFlags& flags);
/// --config, --only, --tag, --jobs (status).
void AddFleetStatusFlags(CLI::App* status, FleetFlags& flags);

int RunFleetRotate(const GlobalFlags& global, const RotateFlags& rotate, const FleetFlags& flags,
                   const aws::Environment& env, Io io);
int RunFleetStatus(const GlobalFlags& global, const StatusFlags& status, const FleetFlags& flags,
                   const aws::Environment& env, Io io);

/// Names and messages from files and services, safe to print on a terminal (TerminalSafe).
std::string EscapeControl(std::string_view text);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_FLEET_COMMAND_H_
