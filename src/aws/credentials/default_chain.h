#ifndef DBTROTATE_AWS_CREDENTIALS_DEFAULT_CHAIN_H_
#define DBTROTATE_AWS_CREDENTIALS_DEFAULT_CHAIN_H_

// The default credential chain (reference §5.1, the SDK order):
//   1. environment keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)
//   2. web identity from the environment (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN)
//   3. the profile (assume role, profile web identity, static keys, credential_process)
//   4. container credentials (ECS / EKS Pod Identity)
//   5. EC2 instance metadata (IMDSv2, v1 fallback)
// As in botocore and the AWS CLI, naming a profile with --profile skips 1 and 2, so the named
// profile is what gets used.

#include <memory>

#include "aws/credentials/aws_config.h"
#include "aws/credentials/chain_provider.h"
#include "aws/credentials/environment.h"
#include "aws/credentials/process_runner.h"
#include "aws/credentials/profile_provider.h"
#include "core/clock.h"
#include "http/client.h"

namespace dbtrotate::aws {

/// What the chain runs on. Everything is borrowed and must outlive the provider.
struct CredentialsDeps {
  const Environment& env;
  Clock& clock;
  /// STS (https, with the configured CA bundle and proxies).
  http::Client& http;
  /// IMDS and container endpoints: plain http to link-local/loopback addresses; should not use
  /// a proxy or retry on its own (the providers bound their attempts).
  http::Client& metadata_http;
  ProcessRunner& process_runner;
};

struct CredentialsOptions {
  /// botocore/AWS CLI behaviour: an explicit --profile disables the environment sources.
  bool explicit_profile_skips_env = true;
  ProcessLimits process_limits;
  RefreshPolicy refresh;
  ContainerOptions container;
  std::chrono::milliseconds imds_timeout = std::chrono::seconds(1);
};

/// The STS endpoint for this configuration: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the profile's
/// [services] sts.endpoint_url or endpoint_url, else the STS rule set for the region (FIPS and
/// dual-stack as configured).
Result<StsEndpoint, std::string> ResolveStsEndpoint(const AwsConfig& config,
                                                    const Environment& env);

/// The chain described above. Sources are probed on the first Resolve(); the first that yields
/// credentials is kept (and refreshes itself).
std::unique_ptr<ChainProvider> MakeDefaultCredentialsProvider(const AwsConfig& config,
                                                              const CredentialsDeps& deps,
                                                              CredentialsOptions options = {});

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_DEFAULT_CHAIN_H_
