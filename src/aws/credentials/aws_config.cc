#include "aws/credentials/aws_config.h"

#include <sys/stat.h>

#include "aws/credentials/endpoints.h"
#include "aws/credentials/text_util.h"

namespace dbtrotate::aws {

namespace {

AwsConfigError ConfigError(std::string message) { return AwsConfigError{std::move(message)}; }

// An env variable, else a profile key; `source` says which one answered.
std::optional<std::string> Setting(const Environment& env, std::string_view env_name,
                                   const Profile* profile, std::string_view key,
                                   std::string* source) {
  if (auto value = env.Get(env_name)) {
    *source = std::string(env_name);
    return value;
  }
  if (profile != nullptr) {
    if (const std::string* value = profile->Get(key); value != nullptr && !value->empty()) {
      *source = std::string(key) + " in profile " + profile->name;
      return *value;
    }
  }
  return std::nullopt;
}

Result<bool, AwsConfigError> BoolSetting(const Environment& env, std::string_view env_name,
                                         const Profile* profile, std::string_view key,
                                         std::string* source) {
  auto value = Setting(env, env_name, profile, key, source);
  if (!value) return false;
  auto parsed = ParseBoolSetting(*source, *value);
  if (!parsed) return Fail(ConfigError(parsed.error()));
  return *parsed;
}

}  // namespace

Result<AwsConfig, AwsConfigError> ResolveAwsConfig(const AwsOptions& options,
                                                   const Environment& env) {
  auto loaded = SharedConfig::Load(SharedConfigPathsFrom(env));
  if (!loaded) {
    return Fail(ConfigError("cannot read the AWS shared config: " + loaded.error()));
  }
  return ResolveAwsConfig(options, env, std::make_shared<const SharedConfig>(std::move(*loaded)));
}

Result<AwsConfig, AwsConfigError> ResolveAwsConfig(const AwsOptions& options,
                                                   const Environment& env,
                                                   std::shared_ptr<const SharedConfig> config) {
  AwsConfig result;
  result.shared_config = std::move(config);

  // Profile.
  std::string profile_source;
  if (options.profile && !options.profile->empty()) {
    result.profile = *options.profile;
    result.profile_explicit = true;
    profile_source = "--profile";
  } else if (auto named = env.Get("AWS_PROFILE")) {
    result.profile = *named;
    profile_source = "AWS_PROFILE";
  } else {
    result.profile = "default";
  }
  const Profile* profile = result.shared_config->FindProfile(result.profile);
  result.profile_exists = profile != nullptr;
  if (profile == nullptr && !profile_source.empty()) {
    return Fail(ConfigError("The config profile \"" + result.profile + "\" (from " +
                            profile_source + ") could not be found in " +
                            result.shared_config->DescribeFiles()));
  }

  // Region.
  if (options.region && !options.region->empty()) {
    result.region = *options.region;
    result.region_source = "--region";
  } else if (auto region = Setting(env, "AWS_REGION", nullptr, "", &result.region_source)) {
    result.region = *region;
  } else if (auto fallback =
                 Setting(env, "AWS_DEFAULT_REGION", profile, "region", &result.region_source)) {
    result.region = *fallback;
  }
  result.region = std::string(Trim(result.region));
  if (result.region.empty()) {
    return Fail(
        ConfigError("Missing Region: pass --region or set AWS_REGION (or set region in profile " +
                    result.profile + " of " +
                    (result.shared_config->paths().config_file.empty()
                         ? std::string("~/.aws/config")
                         : result.shared_config->paths().config_file) +
                    ")"));
  }
  if (!IsValidRegionName(result.region)) {
    return Fail(ConfigError("the region \"" + Printable(result.region, 64) + "\" (from " +
                            result.region_source +
                            ") is not a valid AWS region name such as us-east-1"));
  }
  result.signing_region = result.region;

  // FIPS and dual-stack.
  std::string fips_source;
  auto fips = BoolSetting(env, "AWS_USE_FIPS_ENDPOINT", profile, "use_fips_endpoint", &fips_source);
  if (!fips) return Fail(std::move(fips.error()));
  result.use_fips = *fips;
  std::string dual_source;
  auto dual = BoolSetting(env, "AWS_USE_DUALSTACK_ENDPOINT", profile, "use_dualstack_endpoint",
                          &dual_source);
  if (!dual) return Fail(std::move(dual.error()));
  result.use_dual_stack = *dual;

  // Endpoint.
  if (options.endpoint_url && !options.endpoint_url->empty()) {
    auto valid = ValidateEndpointUrl(*options.endpoint_url, "--endpoint-url");
    if (!valid) return Fail(ConfigError(valid.error()));
    result.endpoint_url = *options.endpoint_url;
    result.endpoint_source = "--endpoint-url";
  } else {
    auto configured =
        FindConfiguredEndpoint(env, *result.shared_config, profile, kSecretsManagerService);
    if (!configured) return Fail(ConfigError(configured.error()));
    if (*configured) {
      result.endpoint_url = (*configured)->url;
      result.endpoint_source = (*configured)->source;
    }
  }
  if (!result.endpoint_url.empty()) {
    if (result.use_fips) {
      return Fail(
          ConfigError("Invalid Configuration: FIPS and custom endpoint are not supported "
                      "(endpoint from " +
                      result.endpoint_source + ", FIPS from " + fips_source + ")"));
    }
    if (result.use_dual_stack) {
      return Fail(
          ConfigError("Invalid Configuration: Dualstack and custom endpoint are not "
                      "supported (endpoint from " +
                      result.endpoint_source + ", dual-stack from " + dual_source + ")"));
    }
  } else {
    auto rules = SecretsManagerEndpointFromRules(
        result.region, EndpointFlags{result.use_fips, result.use_dual_stack});
    if (!rules) {
      return Fail(ConfigError("cannot resolve the Secrets Manager endpoint for region " +
                              result.region + ": " + rules.error()));
    }
    result.endpoint_url = std::move(*rules);
    result.endpoint_source = "endpoint rules";
  }

  // CA bundle.
  if (options.ca_bundle && !options.ca_bundle->empty()) {
    result.ca_bundle = *options.ca_bundle;
    result.ca_bundle_source = "--ca-bundle";
  } else {
    result.ca_bundle =
        Setting(env, "AWS_CA_BUNDLE", profile, "ca_bundle", &result.ca_bundle_source);
  }
  if (result.ca_bundle) {
    struct stat info {};
    if (::stat(result.ca_bundle->c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
      return Fail(ConfigError("the CA bundle " + *result.ca_bundle + " (from " +
                              result.ca_bundle_source + ") does not exist or is not a file"));
    }
  }
  return result;
}

}  // namespace dbtrotate::aws
