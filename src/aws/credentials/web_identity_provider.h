#ifndef DBTROTATE_AWS_CREDENTIALS_WEB_IDENTITY_PROVIDER_H_
#define DBTROTATE_AWS_CREDENTIALS_WEB_IDENTITY_PROVIDER_H_

// AssumeRoleWithWebIdentity from a token file (reference §5.5): EKS IRSA, GitHub OIDC, … The
// token file rotates, so it is read again on every refresh.

#include <memory>
#include <optional>
#include <string>

#include "aws/credentials/credentials.h"
#include "aws/credentials/refreshing_provider.h"
#include "aws/credentials/sts_client.h"
#include "core/clock.h"

namespace dbtrotate::aws {

struct WebIdentityConfig {
  std::string role_arn;
  std::string token_file;
  std::optional<std::string> session_name;  // default "dbt-rotate-<epoch seconds>"
  std::string origin;                       // "environment" or "profile NAME", for messages
};

/// `sts` is null when the STS endpoint could not be resolved; `sts_error` then says why.
std::unique_ptr<CredentialsProvider> MakeWebIdentityProvider(WebIdentityConfig config,
                                                             std::shared_ptr<StsClient> sts,
                                                             std::string sts_error, Clock& clock,
                                                             RefreshPolicy policy = {});

/// "dbt-rotate-<epoch seconds>", the default role session name (botocore uses
/// "botocore-session-<epoch>").
std::string DefaultSessionName(Clock& clock);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_WEB_IDENTITY_PROVIDER_H_
