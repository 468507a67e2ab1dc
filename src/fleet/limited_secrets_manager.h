#ifndef DBTROTATE_FLEET_LIMITED_SECRETS_MANAGER_H_
#define DBTROTATE_FLEET_LIMITED_SECRETS_MANAGER_H_

// Secrets Manager's write quota (PutSecretValue + UpdateSecretVersionStage, 50 per second per
// region, combined) shared by every rotation writing to one region: each write call takes
// from the region's limiter first. Reads pass straight through (their quota is 100x larger).

#include "aws/secretsmanager/api.h"
#include "fleet/rate_limiter.h"

namespace dbtrotate::fleet {

class LimitedSecretsManager final : public aws::SecretsManagerApi {
 public:
  LimitedSecretsManager(aws::SecretsManagerApi& inner, RateLimiter& writes)
      : inner_(inner), writes_(writes) {}

  aws::AwsResult<aws::SecretValue> GetSecretValue(
      const aws::GetSecretValueRequest& request) override {
    return inner_.GetSecretValue(request);
  }
  aws::AwsResult<aws::PutSecretValueResult> PutSecretValue(
      const aws::PutSecretValueRequest& request) override {
    auto slot = writes_.Acquire();
    return inner_.PutSecretValue(request);
  }
  aws::AwsResult<aws::SecretDescription> DescribeSecret(const std::string& secret_id) override {
    return inner_.DescribeSecret(secret_id);
  }
  aws::AwsResult<void> UpdateSecretVersionStage(
      const aws::UpdateSecretVersionStageRequest& request) override {
    auto slot = writes_.Acquire();
    return inner_.UpdateSecretVersionStage(request);
  }
  aws::AwsResult<aws::CreateSecretResult> CreateSecret(
      const aws::CreateSecretRequest& request) override {
    auto slot = writes_.Acquire();
    return inner_.CreateSecret(request);
  }
  aws::AwsResult<std::vector<aws::SecretVersion>> ListSecretVersionIds(
      const std::string& secret_id, bool include_deprecated) override {
    return inner_.ListSecretVersionIds(secret_id, include_deprecated);
  }

 private:
  aws::SecretsManagerApi& inner_;
  RateLimiter& writes_;
};

}  // namespace dbtrotate::fleet

#endif  // DBTROTATE_FLEET_LIMITED_SECRETS_MANAGER_H_
