#ifndef DBTROTATE_FLEET_FLEET_CONFIG_H_
#define DBTROTATE_FLEET_FLEET_CONFIG_H_

// `rotate --config FILE`: many secrets in one YAML file.
//
//   defaults:                      # optional; any entry key but secret_id, name and tags
//     access_url: https://ab123.us1.dbt.com
//     min_age: 30d
//   secrets:                       # required, a non-empty list
//     - secret_id: prod/dbt/job-runner
//       name: job-runner           # optional; default: the secret_id
//       tags: [prod, jobs]
//       manager_secret_id: prod/dbt/admin
//
// The whole file is validated before anything is sent: unknown keys, a secret (or a name)
// listed twice and bad values fail with the file, the line and the key.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/result.h"
#include "rotation/options.h"

namespace dbtrotate::fleet {

/// Where an entry's AWS calls go (each distinct pair gets its own Secrets Manager client).
struct AwsTarget {
  std::optional<std::string> region;   // else the command line / environment / profile
  std::optional<std::string> profile;  // else the command line / AWS_PROFILE

  friend bool operator==(const AwsTarget&, const AwsTarget&) = default;
  friend bool operator<(const AwsTarget& a, const AwsTarget& b) {
    return std::tie(a.region, a.profile) < std::tie(b.region, b.profile);
  }
};

struct FleetEntry {
  std::string name;  // unique; the secret_id when not given
  std::vector<std::string> tags;
  int line = 0;  // 1-based line of the entry in the file
  AwsTarget aws;
  /// Ready for the engine, except dry_run/force/takeover from the command line.
  rotation::RotateOptions rotate;
};

struct FleetConfig {
  std::string path;
  std::vector<FleetEntry> entries;
};

struct ConfigError {
  std::string message;  // "fleet.yaml:12: secrets[3].overlap: ..." (never a secret value)
};

/// Parses and validates a fleet file's text; `path` names it in errors.
Result<FleetConfig, ConfigError> ParseFleetConfig(std::string_view text, const std::string& path);
Result<FleetConfig, ConfigError> LoadFleetConfig(const std::string& path);

}  // namespace dbtrotate::fleet

#endif  // DBTROTATE_FLEET_FLEET_CONFIG_H_
