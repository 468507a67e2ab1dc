#ifndef DBTROTATE_AWS_SECRETSMANAGER_CLIENT_H_
#define DBTROTATE_AWS_SECRETSMANAGER_CLIENT_H_

// SecretsManagerApi over HTTP: AWS JSON 1.1 `POST /` with `X-Amz-Target: secretsmanager.<Op>`,
// signed with SigV4 (service "secretsmanager"), standard-mode retries (reference §1, §2, §6).
// Endpoint and region are resolved by the caller (aws/credentials/endpoints.h).

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials/credentials.h"
#include "aws/secretsmanager/api.h"
#include "aws/secretsmanager/retry_policy.h"
#include "core/clock.h"
#include "core/random.h"
#include "http/client.h"

namespace dbtrotate::aws {

inline constexpr char kSecretsManagerSigningName[] = "secretsmanager";

class SecretsManagerClient final : public SecretsManagerApi {
 public:
  /// `http` should not retry by itself (give it a plain CurlClient): this client retries, and
  /// re-signs every attempt with a fresh X-Amz-Date and freshly resolved credentials.
  /// `endpoint` e.g. "https://secretsmanager.us-east-1.amazonaws.com" or "http://127.0.0.1:4566"
  /// (a base path is kept); an invalid one makes every call fail with kInvalidConfig.
  SecretsManagerClient(http::Client& http, CredentialsProvider& credentials, std::string endpoint,
                       std::string region, Clock& clock, Random& random, RetryConfig retry = {});

  AwsResult<SecretValue> GetSecretValue(const GetSecretValueRequest& request) override;
  /// An empty client_request_token is replaced by a fresh UUIDv4 (as the SDKs do), so that
  /// retries stay idempotent.
  AwsResult<PutSecretValueResult> PutSecretValue(const PutSecretValueRequest& request) override;
  AwsResult<SecretDescription> DescribeSecret(const std::string& secret_id) override;
  AwsResult<void> UpdateSecretVersionStage(const UpdateSecretVersionStageRequest& request) override;
  /// An empty client_request_token is replaced by a fresh UUIDv4.
  AwsResult<CreateSecretResult> CreateSecret(const CreateSecretRequest& request) override;
  /// Follows NextToken until it is absent (at most kMaxPages pages).
  AwsResult<std::vector<SecretVersion>> ListSecretVersionIds(const std::string& secret_id,
                                                             bool include_deprecated) override;

  /// The URL every request is posted to.
  const std::string& url() const { return url_; }

  static constexpr int kMaxPages = 1000;
  static constexpr int kPageSize = 100;

 private:
  struct Call {
    std::string_view operation;  // "GetSecretValue", …
    std::string_view secret_id;  // for messages
    bool is_write = false;       // may change state: failures after sending are ambiguous
    const SecretString* sensitive = nullptr;  // redacted from any error message
  };

  /// Sends the body with retries; on success returns the parsed response object.
  AwsResult<nlohmann::json> Invoke(const Call& call, nlohmann::json body);
  Error MakeError(const Call& call, ErrorCode code, std::string detail) const;

  http::Client& http_;
  CredentialsProvider& credentials_;
  std::string endpoint_;
  std::string region_;
  Clock& clock_;
  Random& random_;
  RetryConfig retry_;
  std::string url_;
  std::string config_error_;  // non-empty when endpoint/region are unusable
};

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_SECRETSMANAGER_CLIENT_H_
