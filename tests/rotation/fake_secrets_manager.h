#ifndef DBTROTATE_TESTS_ROTATION_FAKE_SECRETS_MANAGER_H_
#define DBTROTATE_TESTS_ROTATION_FAKE_SECRETS_MANAGER_H_

// An in-memory Secrets Manager with the semantics the rotation relies on
// (shared/reference/aws-secrets-manager.md §2): versions, ClientRequestToken idempotency,
// AWSCURRENT/AWSPENDING/AWSPREVIOUS rules and UpdateSecretVersionStage's consistency checks.
// Where AWS's behaviour is uncertain (§7) both variants are options.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/secretsmanager/api.h"
#include "core/clock.h"

namespace dbtrotate::testing {

struct FakeSecretsManagerOptions {
  /// The current user guide: moving AWSCURRENT onto a version also removes AWSPENDING from it.
  /// The API reference, the Lambda templates and moto leave it (false).
  bool current_move_clears_pending = false;
  /// AWS documents the RemoveFromVersionId check only for a label attached elsewhere. When the
  /// label is on no version, strict rejects a RemoveFromVersionId that does not hold it; lenient
  /// ignores it.
  bool lenient_remove_from = false;
};

class FakeSecretsManager final : public aws::SecretsManagerApi {
 public:
  explicit FakeSecretsManager(Clock& clock, FakeSecretsManagerOptions options = {});

  aws::AwsResult<aws::SecretValue> GetSecretValue(
      const aws::GetSecretValueRequest& request) override;
  aws::AwsResult<aws::PutSecretValueResult> PutSecretValue(
      const aws::PutSecretValueRequest& request) override;
  aws::AwsResult<aws::SecretDescription> DescribeSecret(const std::string& secret_id) override;
  aws::AwsResult<void> UpdateSecretVersionStage(
      const aws::UpdateSecretVersionStageRequest& request) override;
  aws::AwsResult<aws::CreateSecretResult> CreateSecret(
      const aws::CreateSecretRequest& request) override;
  aws::AwsResult<std::vector<aws::SecretVersion>> ListSecretVersionIds(
      const std::string& secret_id, bool include_deprecated) override;

  // Test-only access, outside the API.
  /// A secret whose only version holds SecretBinary (the API has no way to write one).
  void CreateBinarySecret(const std::string& name, const std::string& bytes);
  void MarkForDeletion(const std::string& name);
  int writes() const;

 private:
  struct Version {
    std::string id;
    std::optional<std::string> value;
    bool binary = false;
    std::vector<std::string> stages;
    SystemTime created;
  };
  struct Secret {
    std::string name;
    std::string arn;
    std::vector<Version> versions;
    std::optional<SystemTime> deleted;
    SystemTime created;
  };

  Secret* Find(const std::string& id);
  static Version* FindVersion(Secret& secret, const std::string& id);
  static Version* WithStage(Secret& secret, const std::string& stage);
  /// Moves `stage` onto `target` from wherever it is, with AWSCURRENT's AWSPREVIOUS rule.
  void Attach(Secret& secret, Version& target, const std::string& stage);

  Clock& clock_;
  FakeSecretsManagerOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, Secret> secrets_;
  int writes_ = 0;
};

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_ROTATION_FAKE_SECRETS_MANAGER_H_
