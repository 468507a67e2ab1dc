#ifndef DBTROTATE_AWS_CREDENTIALS_ENDPOINTS_H_
#define DBTROTATE_AWS_CREDENTIALS_ENDPOINTS_H_

// Endpoint resolution: the partition table and the Secrets Manager and STS rule sets (reference
// §1.1, botocore endpoint-rule-set-1.json + partitions.json), and the configured-endpoint sources
// of §5.9 (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, [services] blocks, profile endpoint_url).

#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials/environment.h"
#include "aws/credentials/shared_config.h"
#include "core/result.h"

namespace dbtrotate::aws {

struct Partition {
  std::string_view name;
  std::string_view dns_suffix;
  std::string_view dual_stack_dns_suffix;
  bool supports_fips;
  bool supports_dual_stack;
};

/// botocore's aws.partition(): an exact region of a partition, else the first partition whose
/// region pattern matches, else "aws".
const Partition& PartitionForRegion(std::string_view region);

/// A region must be a DNS label (letters, digits, '-'): it becomes part of a host name.
bool IsValidRegionName(std::string_view region);

struct EndpointFlags {
  bool use_fips = false;
  bool use_dual_stack = false;
};

/// The Secrets Manager rule set for a region with no custom endpoint.
Result<std::string, std::string> SecretsManagerEndpointFromRules(std::string_view region,
                                                                 EndpointFlags flags);
/// The STS rule set (regional endpoints; FIPS in aws-us-gov stays on sts.{region}.amazonaws.com).
Result<std::string, std::string> StsEndpointFromRules(std::string_view region, EndpointFlags flags);

/// Checks a custom endpoint: an absolute http(s) URL with a host. `source` names the setting.
Result<void, std::string> ValidateEndpointUrl(std::string_view url, std::string_view source);

struct ConfiguredEndpoint {
  std::string url;
  std::string source;  // "AWS_ENDPOINT_URL_SECRETS_MANAGER", "profile dev endpoint_url", …
};

/// The service as the configured-endpoint settings name it.
struct ServiceNames {
  std::string_view env_suffix;  // "SECRETS_MANAGER" → AWS_ENDPOINT_URL_SECRETS_MANAGER
  std::string_view config_key;  // "secrets_manager" → [services X] secrets_manager.endpoint_url
};
inline constexpr ServiceNames kSecretsManagerService{"SECRETS_MANAGER", "secrets_manager"};
inline constexpr ServiceNames kStsService{"STS", "sts"};

/// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, else the profile's ignore_configured_endpoint_urls.
Result<bool, std::string> IgnoreConfiguredEndpoints(const Environment& env, const Profile* profile);

/// The first configured endpoint in §5.9 order, or nullopt (use the rules). Honours the ignore
/// setting. Fails on a malformed URL or ignore flag.
Result<std::optional<ConfiguredEndpoint>, std::string> FindConfiguredEndpoint(
    const Environment& env, const SharedConfig& config, const Profile* profile,
    ServiceNames service);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_ENDPOINTS_H_
