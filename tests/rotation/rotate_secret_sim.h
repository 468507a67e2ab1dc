#ifndef DBTROTATE_TESTS_ROTATION_ROTATE_SECRET_SIM_H_
#define DBTROTATE_TESTS_ROTATION_ROTATE_SECRET_SIM_H_

// Secrets Manager's side of a Lambda rotation over any SecretsManagerApi (the fake or the
// emulator through the real client): RotationEnabled, RotateSecret's value-less AWSPENDING
// stub (reference aws-secrets-manager.md §2 "RotateSecret", §3), and its refusal while
// another rotation is unfinished. The stub lives here, in front of the inner API, since
// neither implementation can create one through the API.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/secretsmanager/api.h"

namespace dbtrotate::testing {

class RotationSimSecretsManager final : public aws::SecretsManagerApi {
 public:
  explicit RotationSimSecretsManager(aws::SecretsManagerApi& inner) : inner_(inner) {}

  /// RotateSecret: fails (InvalidRequest) while AWSPENDING is on a version other than
  /// AWSCURRENT's; else moves AWSPENDING onto a new value-less version `token`.
  aws::AwsResult<void> RotateSecret(const std::string& secret_id, const std::string& token);
  void SetRotationEnabled(const std::string& secret_id, bool enabled);

  aws::AwsResult<aws::SecretValue> GetSecretValue(const aws::GetSecretValueRequest& r) override;
  aws::AwsResult<aws::PutSecretValueResult> PutSecretValue(
      const aws::PutSecretValueRequest& r) override;
  aws::AwsResult<aws::SecretDescription> DescribeSecret(const std::string& id) override;
  aws::AwsResult<void> UpdateSecretVersionStage(
      const aws::UpdateSecretVersionStageRequest& r) override;
  aws::AwsResult<aws::CreateSecretResult> CreateSecret(const aws::CreateSecretRequest& r) override {
    return inner_.CreateSecret(r);
  }
  aws::AwsResult<std::vector<aws::SecretVersion>> ListSecretVersionIds(
      const std::string& id, bool include_deprecated) override;

  /// RotationToken values PutSecretValue received, to check they were passed on.
  std::vector<std::string> rotation_tokens_seen() const;

 private:
  struct State {
    bool rotation_enabled = false;
    std::optional<std::string> stub;  // AWSPENDING's value-less version
  };
  /// The inner API's canonical name for an ARN or name (keys the state).
  std::string Key(const std::string& secret_id);

  aws::SecretsManagerApi& inner_;
  mutable std::mutex mutex_;
  std::map<std::string, State> states_;
  std::vector<std::string> rotation_tokens_;
};

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_ROTATION_ROTATE_SECRET_SIM_H_
