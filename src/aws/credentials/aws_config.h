#ifndef DBTROTATE_AWS_CREDENTIALS_AWS_CONFIG_H_
#define DBTROTATE_AWS_CREDENTIALS_AWS_CONFIG_H_

// The CLI's entry point for "where and how do we talk to AWS" (reference §1.1, §5.2, §5.9):
// profile, region, the Secrets Manager endpoint, the CA bundle, FIPS/dual-stack flags. The
// credential chain is built from the result (default_chain.h).

#include <memory>
#include <optional>
#include <string>

#include "aws/credentials/environment.h"
#include "aws/credentials/shared_config.h"
#include "core/result.h"

namespace dbtrotate::aws {

/// What the command line says; unset fields fall back to the environment and shared config.
struct AwsOptions {
  std::optional<std::string> profile = std::nullopt;       // --profile
  std::optional<std::string> region = std::nullopt;        // --region
  std::optional<std::string> endpoint_url = std::nullopt;  // --endpoint-url (Secrets Manager)
  std::optional<std::string> ca_bundle = std::nullopt;     // --ca-bundle
};

struct AwsConfig {
  std::string profile;            // the profile in use ("default" when none is named)
  bool profile_explicit = false;  // named with --profile (botocore then ignores env keys)
  bool profile_exists = false;    // present in a shared file
  std::string region;
  std::string region_source;             // "--region", "AWS_REGION", "profile dev", …
  std::string endpoint_url;              // Secrets Manager
  std::string endpoint_source;           // "--endpoint-url", "AWS_ENDPOINT_URL", "rules", …
  std::string signing_region;            // always the region, also for custom endpoints
  std::optional<std::string> ca_bundle;  // path for the HTTP client, when configured
  std::string ca_bundle_source;
  bool use_fips = false;
  bool use_dual_stack = false;
  std::shared_ptr<const SharedConfig> shared_config;  // parsed once, reused for credentials

  const Profile* ProfileSettings() const {
    return shared_config ? shared_config->FindProfile(profile) : nullptr;
  }
};

struct AwsConfigError {
  std::string message;
};

/// Profile: --profile, AWS_PROFILE, "default" (a named profile must exist).
/// Region: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region.
/// Endpoint: --endpoint-url, AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL, the profile's
/// [services] secrets_manager.endpoint_url, the profile's endpoint_url, then the rule set
/// (AWS_USE_FIPS_ENDPOINT / use_fips_endpoint, AWS_USE_DUALSTACK_ENDPOINT /
/// use_dualstack_endpoint). AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls
/// disables the env and config endpoint sources. A custom endpoint with FIPS is an error.
/// CA bundle: --ca-bundle, AWS_CA_BUNDLE, the profile's ca_bundle (the file must exist).
Result<AwsConfig, AwsConfigError> ResolveAwsConfig(const AwsOptions& options,
                                                   const Environment& env);

/// The same with shared config that was already loaded (tests, or a caller that loads it once).
Result<AwsConfig, AwsConfigError> ResolveAwsConfig(const AwsOptions& options,
                                                   const Environment& env,
                                                   std::shared_ptr<const SharedConfig> config);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_AWS_CONFIG_H_
