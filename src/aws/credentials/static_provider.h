#ifndef DBTROTATE_AWS_CREDENTIALS_STATIC_PROVIDER_H_
#define DBTROTATE_AWS_CREDENTIALS_STATIC_PROVIDER_H_

// Long-term (or externally managed) keys that are read once: environment variables and a
// profile's aws_access_key_id / aws_secret_access_key / aws_session_token.

#include <memory>
#include <string>

#include "aws/credentials/credentials.h"
#include "aws/credentials/environment.h"
#include "aws/credentials/shared_config.h"

namespace dbtrotate::aws {

class StaticProvider final : public CredentialsProvider {
 public:
  explicit StaticProvider(std::shared_ptr<const Credentials> credentials)
      : credentials_(std::move(credentials)) {}
  CredentialsResult Resolve() override { return credentials_; }

 private:
  std::shared_ptr<const Credentials> credentials_;
};

/// What a source found: credentials, or (when null) why it was skipped.
struct StaticLookup {
  std::shared_ptr<const Credentials> credentials;
  std::string skip_reason;
};

/// AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN, or botocore's older
/// AWS_SECURITY_TOKEN). An access key without a secret key is an error, not a skip.
Result<StaticLookup, CredentialsError> CredentialsFromEnvironment(const Environment& env);

/// True when the profile sets aws_access_key_id (botocore's test for "has static keys").
bool HasStaticKeys(const Profile& profile);

/// The profile's static keys; an access key without a secret key is an error.
Result<StaticLookup, CredentialsError> CredentialsFromProfile(const Profile& profile);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_STATIC_PROVIDER_H_
