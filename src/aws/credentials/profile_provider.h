#ifndef DBTROTATE_AWS_CREDENTIALS_PROFILE_PROVIDER_H_
#define DBTROTATE_AWS_CREDENTIALS_PROFILE_PROVIDER_H_

// Credentials named by a shared-config profile (reference §5.3–5.6), in this order:
// role_arn + web_identity_token_file → web identity; role_arn + source_profile / credential_source
// → STS AssumeRole (signed with the source's credentials); static keys; credential_process.
// source_profile chains follow botocore: a source profile with static keys ends the chain, a
// profile may name itself only when it has static keys, and any other loop is an error.

#include <memory>
#include <string>
#include <vector>

#include "aws/credentials/container_provider.h"
#include "aws/credentials/environment.h"
#include "aws/credentials/imds_provider.h"
#include "aws/credentials/process_runner.h"
#include "aws/credentials/refreshing_provider.h"
#include "aws/credentials/shared_config.h"
#include "aws/credentials/source.h"
#include "aws/credentials/sts_client.h"
#include "core/clock.h"
#include "http/client.h"

namespace dbtrotate::aws {

/// Everything a provider may need; references must outlive the providers built from it.
struct ProviderContext {
  const Environment* env = nullptr;
  Clock* clock = nullptr;
  http::Client* metadata_http = nullptr;  // IMDS and container endpoints (plain http, no proxy)
  ProcessRunner* process_runner = nullptr;
  std::shared_ptr<const SharedConfig> config;
  std::shared_ptr<StsClient> sts;  // null when the STS endpoint could not be resolved
  std::string sts_error;           // why sts is null
  ProcessLimits process_limits;
  RefreshPolicy refresh;
  ContainerOptions container;
  std::chrono::milliseconds imds_timeout = std::chrono::seconds(1);
};

class ProfileProviderFactory {
 public:
  explicit ProfileProviderFactory(const ProviderContext& context) : context_(context) {}

  /// The provider for profile `name`. A profile that does not exist, or has no credential
  /// settings, is skipped (with the reason); broken settings are errors.
  ProbeResult ForProfile(const std::string& name);

 private:
  ProbeResult Resolve(const Profile& profile, std::vector<std::string>& visited);
  ProbeResult AssumeRole(const Profile& profile, std::vector<std::string>& visited);
  ProbeResult FromSourceProfile(const Profile& parent, const std::string& source_name,
                                std::vector<std::string>& visited);
  ProbeResult FromCredentialSource(const Profile& profile, const std::string& source);

  const ProviderContext& context_;
};

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_PROFILE_PROVIDER_H_
