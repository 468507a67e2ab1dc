#ifndef DBTROTATE_ROTATION_OPTIONS_H_
#define DBTROTATE_ROTATION_OPTIONS_H_

// What the CLI hands the engine. Defaults match the notebook where there is one (no overlap,
// same name, same grants).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/secret_string.h"
#include "dbtcloud/api.h"
#include "rotation/error.h"

namespace dbtrotate::rotation {

/// Where the account lives. Taken from the options, else from the secret.
struct ConnectionInfo {
  std::string access_url;
  std::int64_t account_id = 0;
};

/// Builds the dbt Cloud API acting with `token`. The acting token comes out of a secret (the
/// rotated one, or a manager secret), so the engine cannot be handed a ready client.
using DbtApiFactory = std::function<std::unique_ptr<dbtcloud::ServiceTokenApi>(
    const ConnectionInfo& connection, SecretString token)>;

enum class OverlapKind {
  kNone,       // revoke the old token right after the new one is current (the notebook)
  kUntilNext,  // keep it until the next rotation: two valid tokens at all times
  kDuration,   // revoke it on the first run after it has been previous for `duration`
};

struct OverlapPolicy {
  OverlapKind kind = OverlapKind::kNone;
  Duration duration{0};
};

/// "none", "until-next", or a duration ("36h", "7d").
RotationResult<OverlapPolicy> ParseOverlap(std::string_view text);
std::string DescribeOverlap(const OverlapPolicy& policy);

struct ConnectionOptions {
  std::optional<std::int64_t> account_id;  // overrides / fills in the secret's account_id
  std::optional<std::string> access_url;   // overrides / fills in the secret's access_url
  /// Act with the admin token stored in this secret instead of the rotated token itself.
  std::optional<std::string> manager_secret_id;
};

struct RotateOptions {
  std::string secret_id;
  ConnectionOptions connection;
  std::optional<std::string> token_name;                         // default: the old name
  std::optional<std::vector<dbtcloud::PermissionGrant>> grants;  // default: the old grants
  OverlapPolicy overlap;
  /// Rotate only a token older than this (last_rotated_datetime_utc, else its created_at).
  std::optional<Duration> min_age;
  bool force = false;    // rotate regardless of min_age
  bool dry_run = false;  // reads only; report the plan
  /// Treat a fresh AWSPENDING (younger than the lease) as abandoned. Only for when the
  /// operator knows the run that wrote it is dead.
  bool takeover = false;
  /// An AWSPENDING version older than this is abandoned and any run may resume it.
  Duration lease = std::chrono::minutes(15);
  /// Tolerated difference between this machine's clock and dbt Cloud's (orphan search).
  Duration clock_skew = std::chrono::minutes(5);
  /// Issue independent requests concurrently (GetSecretValue ∥ DescribeSecret, …).
  bool concurrent_requests = true;
  /// A just-created token may take a moment to be accepted everywhere: retry a 401 this many
  /// times in total before giving up on it.
  int verify_attempts = 3;
  Duration verify_backoff = std::chrono::seconds(2);
};

struct StatusOptions {
  std::string secret_id;
  ConnectionOptions connection;
  Duration lease = std::chrono::minutes(15);
  bool concurrent_requests = true;
};

struct InitOptions {
  std::string secret_id;
  std::int64_t token_id = 0;
  SecretString token;
  std::int64_t account_id = 0;
  std::string access_url;
  /// Used to confirm the token's id and state when the token cannot read itself.
  std::optional<std::string> manager_secret_id;
  std::optional<std::string> description;  // for CreateSecret
  bool force = false;                      // overwrite an existing secret
};

}  // namespace dbtrotate::rotation

#endif  // DBTROTATE_ROTATION_OPTIONS_H_
