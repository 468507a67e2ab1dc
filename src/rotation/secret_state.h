#ifndef DBTROTATE_ROTATION_SECRET_STATE_H_
#define DBTROTATE_ROTATION_SECRET_STATE_H_

// Reading where a secret stands (internal): its AWSCURRENT value, its staging labels, an
// unfinished rotation in AWSPENDING, and who acts on dbt Cloud.

#include <memory>
#include <optional>
#include <string>

#include "dbtcloud/api.h"
#include "rotation/intent.h"
#include "rotation/options.h"
#include "rotation/report.h"
#include "rotation/run_context.h"
#include "rotation/secret_value.h"

namespace dbtrotate::rotation::internal {

/// The lock label's partner: PutSecretValue needs some label, or it would move AWSCURRENT.
/// Versions written under it become AWSPENDING only through a compare-and-swap.
inline constexpr char kStagedLabel[] = "DBTROTATE_STAGED";

struct SecretState {
  std::string version_id;  // AWSCURRENT
  TokenSecret current;
  /// AWSPENDING on a version other than AWSCURRENT: an unfinished rotation.
  std::optional<std::string> pending_version;
  /// AWSPENDING left on the AWSCURRENT version by a finished rotation (a valid end state).
  bool pending_on_current = false;
  std::optional<SecretString> manager_token;
  ConnectionInfo connection;
  /// DescribeSecret's RotationEnabled: a rotation function is configured.
  bool rotation_enabled = false;
  /// The version carrying DBTROTATE_STAGED (the last intent written), if any.
  std::optional<std::string> staged_version;
};

/// A Secrets Manager error met while reading, as the Stop the run ends with (configuration
/// and permission problems are input errors; the rest may pass).
Stop AwsStop(const aws::Error& error, std::string_view doing);

/// GetSecretValue ∥ DescribeSecret (∥ the manager secret). Errors become a Stop.
Flow<SecretState> ReadState(RunContext& context, const std::string& secret_id,
                            const ConnectionOptions& options);

struct PendingRecord {
  PendingInfo info;
  std::optional<Intent> intent;      // kIntent
  std::optional<TokenSecret> token;  // kToken
  std::string foreign_reason;        // kForeign
};

Flow<PendingRecord> ReadPending(RunContext& context, const std::string& secret_id,
                                const std::string& version_id, Duration lease);

/// Who creates and revokes tokens: the rotated token itself, or the manager token.
struct Acting {
  std::unique_ptr<dbtcloud::ServiceTokenApi> api;
  bool self = true;
};

Flow<Acting> MakeActing(RunContext& context, const SecretState& state);

/// The message for a dbt error met while acting (401 → the token is rejected, 403/404 → not
/// an account admin, …), as the Stop the run ends with.
Stop DbtStop(const dbtcloud::Error& error, const Acting& acting, std::string_view doing);

}  // namespace dbtrotate::rotation::internal

#endif  // DBTROTATE_ROTATION_SECRET_STATE_H_
