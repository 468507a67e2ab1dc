#ifndef DBTROTATE_AWS_CREDENTIALS_IMDS_PROVIDER_H_
#define DBTROTATE_AWS_CREDENTIALS_IMDS_PROVIDER_H_

// EC2 instance metadata credentials (reference §5.8): IMDSv2 session token, then the role name,
// then the role's credentials. Falls back to IMDSv1 (no token) when the token request gets
// 403/404/405 or times out, unless v1 is disabled. Short timeouts and one attempt, so a machine
// that is not on EC2 learns it quickly.

#include <chrono>
#include <string>

#include "aws/credentials/environment.h"
#include "aws/credentials/refreshing_provider.h"
#include "aws/credentials/shared_config.h"
#include "aws/credentials/source.h"
#include "core/clock.h"
#include "http/client.h"

namespace dbtrotate::aws {

inline constexpr char kImdsIpv4Endpoint[] = "http://169.254.169.254";
inline constexpr char kImdsIpv6Endpoint[] = "http://[fd00:ec2::254]";

struct ImdsSettings {
  std::string endpoint = kImdsIpv4Endpoint;  // no trailing '/'
  bool v1_fallback_allowed = true;
  std::chrono::milliseconds timeout = std::chrono::seconds(1);
  RefreshPolicy refresh;
};

/// Skipped when AWS_EC2_METADATA_DISABLED=true. Endpoint: AWS_EC2_METADATA_SERVICE_ENDPOINT, else
/// the profile's ec2_metadata_service_endpoint, else by AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE /
/// ec2_metadata_service_endpoint_mode (IPv4|IPv6). v1 fallback off with
/// AWS_EC2_METADATA_V1_DISABLED / ec2_metadata_v1_disabled. Fails on malformed settings.
Result<std::optional<ImdsSettings>, CredentialsError> ImdsSettingsFrom(const Environment& env,
                                                                       const Profile* profile,
                                                                       std::string* skip_reason);

std::unique_ptr<CredentialsProvider> MakeImdsProvider(ImdsSettings settings, http::Client& http,
                                                      Clock& clock);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_IMDS_PROVIDER_H_
