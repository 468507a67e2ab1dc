#ifndef DBTROTATE_AWS_SECRETSMANAGER_API_H_
#define DBTROTATE_AWS_SECRETSMANAGER_API_H_

// The seam the rotation engine uses for Secrets Manager. The real implementation signs JSON 1.1
// requests with SigV4 (SecretsManagerClient); tests use fakes or the emulator.

#include <string>
#include <vector>

#include "aws/secretsmanager/error.h"
#include "aws/secretsmanager/types.h"

namespace dbtrotate::aws {

class SecretsManagerApi {
 public:
  virtual ~SecretsManagerApi() = default;

  virtual AwsResult<SecretValue> GetSecretValue(const GetSecretValueRequest& request) = 0;
  virtual AwsResult<PutSecretValueResult> PutSecretValue(const PutSecretValueRequest& request) = 0;
  virtual AwsResult<SecretDescription> DescribeSecret(const std::string& secret_id) = 0;
  virtual AwsResult<void> UpdateSecretVersionStage(
      const UpdateSecretVersionStageRequest& request) = 0;
  virtual AwsResult<CreateSecretResult> CreateSecret(const CreateSecretRequest& request) = 0;
  /// All pages.
  virtual AwsResult<std::vector<SecretVersion>> ListSecretVersionIds(const std::string& secret_id,
                                                                     bool include_deprecated) = 0;
};

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_SECRETSMANAGER_API_H_
