#ifndef DBTROTATE_EMULATORS_SECRETSMANAGER_STORE_TYPES_H_
#define DBTROTATE_EMULATORS_SECRETSMANAGER_STORE_TYPES_H_

// Inputs and outputs of the emulated operations, as they arrive on the wire (optional members
// stay optional so the model can answer a missing one the way AWS does). Secret values are
// SecretString; SecretBinary holds the decoded bytes, not base64.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/secret_string.h"

namespace dbtrotate::emulators::secretsmanager {

inline constexpr char kAwsCurrent[] = "AWSCURRENT";
inline constexpr char kAwsPending[] = "AWSPENDING";
inline constexpr char kAwsPrevious[] = "AWSPREVIOUS";

struct Tag {
  std::string key;
  std::string value;
};

struct CreateSecretInput {
  std::string name;
  std::optional<std::string> client_request_token;
  std::optional<std::string> description;
  std::optional<std::string> kms_key_id;
  std::optional<SecretString> secret_string;
  std::optional<SecretString> secret_binary;
  std::vector<Tag> tags;
};

struct CreateSecretOutput {
  std::string arn;
  std::string name;
  std::optional<std::string> version_id;  // absent when the secret was created without a value
};

struct PutSecretValueInput {
  std::string secret_id;
  std::optional<std::string> client_request_token;
  std::optional<SecretString> secret_string;
  std::optional<SecretString> secret_binary;
  std::optional<std::vector<std::string>> version_stages;  // nullopt = not sent
  std::optional<std::string> rotation_token;
};

struct PutSecretValueOutput {
  std::string arn;
  std::string name;
  std::string version_id;
  std::vector<std::string> version_stages;
};

struct GetSecretValueInput {
  std::string secret_id;
  std::optional<std::string> version_id;
  std::optional<std::string> version_stage;
};

struct GetSecretValueOutput {
  std::string arn;
  std::string name;
  std::string version_id;
  std::optional<SecretString> secret_string;
  std::optional<SecretString> secret_binary;
  std::vector<std::string> version_stages;
  SystemTime created_date;
};

struct DescribeSecretOutput {
  std::string arn;
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> kms_key_id;
  std::optional<bool> rotation_enabled;  // absent until rotation was ever configured
  std::optional<std::string> rotation_lambda_arn;
  std::optional<std::int64_t> rotation_automatically_after_days;
  std::optional<std::string> rotation_schedule_expression;
  std::optional<std::string> rotation_duration;
  std::optional<SystemTime> next_rotation_date;
  std::optional<SystemTime> last_rotated_date;
  std::optional<SystemTime> last_changed_date;
  std::optional<SystemTime> last_accessed_date;
  std::optional<SystemTime> deleted_date;
  SystemTime created_date;
  std::vector<Tag> tags;
  /// Only versions that carry at least one label, in creation order.
  std::vector<std::pair<std::string, std::vector<std::string>>> version_ids_to_stages;
};

struct UpdateSecretVersionStageInput {
  std::string secret_id;
  std::string version_stage;
  std::optional<std::string> move_to_version_id;
  std::optional<std::string> remove_from_version_id;
};

/// The `{"ARN","Name"}` answer of UpdateSecretVersionStage and RestoreSecret.
struct SecretRef {
  std::string arn;
  std::string name;
};

struct ListSecretVersionIdsInput {
  std::string secret_id;
  std::optional<std::int64_t> max_results;
  std::optional<std::string> next_token;
  bool include_deprecated = false;
};

struct VersionListEntry {
  std::string version_id;
  std::vector<std::string> version_stages;  // empty = deprecated (member left out)
  SystemTime created_date;
  std::optional<SystemTime> last_accessed_date;
};

struct ListSecretVersionIdsOutput {
  std::string arn;
  std::string name;
  std::vector<VersionListEntry> versions;
  std::optional<std::string> next_token;
};

struct DeleteSecretInput {
  std::string secret_id;
  std::optional<std::int64_t> recovery_window_in_days;
  std::optional<bool> force_delete_without_recovery;
};

struct DeleteSecretOutput {
  std::string arn;
  std::string name;
  SystemTime deletion_date;
};

struct RotationRules {
  std::optional<std::int64_t> automatically_after_days;  // 1–1000
  std::optional<std::string> schedule_expression;        // rate(…) or cron(…)
  std::optional<std::string> duration;                   // the window, "3h"
};

struct RotateSecretInput {
  std::string secret_id;
  std::optional<std::string> client_request_token;  // becomes the AWSPENDING VersionId
  std::optional<std::string> rotation_lambda_arn;
  std::optional<RotationRules> rotation_rules;
  std::optional<bool> rotate_immediately;  // absent = true
};

/// What the store decided when RotateSecret was accepted: what the runner invokes.
struct RotationPlan {
  std::string arn;
  std::string name;
  std::string version_id;  // the AWSPENDING stub, the event's ClientRequestToken
  std::string lambda_arn;
  bool immediately = true;  // false: only testSecret, then the stub loses AWSPENDING
};

struct CancelRotateSecretOutput {
  std::string arn;
  std::string name;
  std::optional<std::string> version_id;  // the partial version still labelled AWSPENDING
};

/// Test inspection: one version as stored.
struct VersionState {
  std::string version_id;
  std::vector<std::string> stages;
  std::optional<SecretString> value;  // nullopt: a stub (AWSPENDING placeholder) with no value
  bool binary = false;                // value came from SecretBinary
  SystemTime created_date;

  bool HasStage(std::string_view stage) const;
};

/// Test inspection: one secret and all its versions (deprecated ones too), in creation order.
struct SecretState {
  std::string arn;
  std::string name;
  std::optional<std::string> description;
  std::optional<bool> rotation_enabled;
  std::optional<SystemTime> last_rotated_date;
  std::optional<SystemTime> deleted_date;
  std::optional<SystemTime> last_changed_date;
  std::vector<VersionState> versions;

  const VersionState* FindVersion(std::string_view version_id) const;
  const VersionState* VersionWithStage(std::string_view stage) const;
};

}  // namespace dbtrotate::emulators::secretsmanager

#endif  // DBTROTATE_EMULATORS_SECRETSMANAGER_STORE_TYPES_H_
