#ifndef DBTROTATE_AWS_CREDENTIALS_CONTAINER_PROVIDER_H_
#define DBTROTATE_AWS_CREDENTIALS_CONTAINER_PROVIDER_H_

// Container credentials (reference §5.7): ECS task roles (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
// on 169.254.170.2) and EKS Pod Identity / other agents (AWS_CONTAINER_CREDENTIALS_FULL_URI),
// with an optional Authorization header from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read on
// every fetch: it rotates) or AWS_CONTAINER_AUTHORIZATION_TOKEN.

#include <string>
#include <string_view>

#include "aws/credentials/environment.h"
#include "aws/credentials/refreshing_provider.h"
#include "aws/credentials/source.h"
#include "core/clock.h"
#include "http/client.h"

namespace dbtrotate::aws {

inline constexpr char kEcsCredentialsBase[] = "http://169.254.170.2";

/// Plain http is allowed only to loopback, 169.254.170.2, 169.254.170.23, fd00:ec2::23 and
/// "localhost"; https may go anywhere. `source` names the setting for the message.
Result<void, std::string> ValidateContainerUrl(std::string_view url, std::string_view source);

struct ContainerOptions {
  int attempts = 3;  // botocore: 3 attempts, 1 s apart
  Duration retry_delay = std::chrono::seconds(1);
  std::chrono::milliseconds timeout = std::chrono::seconds(2);
  RefreshPolicy refresh;
};

/// Skipped when neither URI variable is set; an error when the URI is invalid.
/// `env` must outlive the provider (the token variables are read on each fetch).
ProbeResult ProbeContainerProvider(const Environment& env, http::Client& http, Clock& clock,
                                   ContainerOptions options = {});

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_CONTAINER_PROVIDER_H_
