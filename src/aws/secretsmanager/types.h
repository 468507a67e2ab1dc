#ifndef DBTROTATE_AWS_SECRETSMANAGER_TYPES_H_
#define DBTROTATE_AWS_SECRETSMANAGER_TYPES_H_

// Secrets Manager operations' inputs and outputs (shared/reference/aws-secrets-manager.md §2).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/secret_string.h"

namespace dbtrotate::aws {

inline constexpr char kStageCurrent[] = "AWSCURRENT";
inline constexpr char kStagePending[] = "AWSPENDING";
inline constexpr char kStagePrevious[] = "AWSPREVIOUS";

struct GetSecretValueRequest {
  std::string secret_id;  // name or ARN
  std::optional<std::string> version_id;
  std::optional<std::string> version_stage;  // neither set = AWSCURRENT
};

struct SecretValue {
  std::string arn;
  std::string name;
  std::string version_id;
  std::vector<std::string> version_stages;
  std::optional<SecretString> secret_string;
  bool is_binary = false;  // SecretBinary present: not usable for rotation
  std::optional<SystemTime> created_date;
};

struct PutSecretValueRequest {
  std::string secret_id;
  std::string client_request_token;  // becomes the VersionId; reusing it is idempotent
  SecretString secret_string;
  std::vector<std::string> version_stages;  // empty = not sent (AWSCURRENT moves)
  /// A rotation function passes its event's RotationToken on (credential-like: never logged).
  std::optional<SecretString> rotation_token = std::nullopt;
};

struct PutSecretValueResult {
  std::string arn;
  std::string name;
  std::string version_id;
  std::vector<std::string> version_stages;
};

struct RotationRules {
  std::optional<int> automatically_after_days;     // 1–1000
  std::optional<std::string> duration;             // "[0-9]+h"
  std::optional<std::string> schedule_expression;  // cron(…) / rate(…)
};

struct SecretDescription {
  std::string arn;
  std::string name;
  std::optional<std::string> description;
  bool rotation_enabled = false;
  std::optional<std::string> rotation_lambda_arn;
  std::optional<SystemTime> last_rotated_date;
  std::optional<SystemTime> last_changed_date;
  std::optional<SystemTime> deleted_date;  // set when scheduled for deletion
  std::optional<SystemTime> created_date;
  /// Only versions that carry labels.
  std::map<std::string, std::vector<std::string>> version_ids_to_stages;
  std::optional<RotationRules> rotation_rules;
  std::optional<SystemTime> next_rotation_date;
  std::optional<SystemTime> last_accessed_date;
  std::optional<std::string> kms_key_id;  // absent for the default aws/secretsmanager key

  /// The version holding `stage`, if any.
  std::optional<std::string> VersionWithStage(const std::string& stage) const;
};

struct UpdateSecretVersionStageRequest {
  std::string secret_id;
  std::string version_stage;
  std::optional<std::string> move_to_version_id;
  std::optional<std::string> remove_from_version_id;
};

struct CreateSecretRequest {
  std::string name;
  std::string client_request_token;
  SecretString secret_string;
  std::optional<std::string> description;
  std::vector<std::pair<std::string, std::string>> tags;
};

struct CreateSecretResult {
  std::string arn;
  std::string name;
  std::string version_id;
};

struct SecretVersion {
  std::string version_id;
  std::vector<std::string> version_stages;
  std::optional<SystemTime> created_date;
};

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_SECRETSMANAGER_TYPES_H_
