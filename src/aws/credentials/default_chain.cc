#include "aws/credentials/default_chain.h"

#include "aws/credentials/endpoints.h"
#include "aws/credentials/imds_provider.h"
#include "aws/credentials/static_provider.h"
#include "aws/credentials/web_identity_provider.h"

namespace dbtrotate::aws {

Result<StsEndpoint, std::string> ResolveStsEndpoint(const AwsConfig& config,
                                                    const Environment& env) {
  const Profile* profile = config.ProfileSettings();
  SharedConfig empty;
  const SharedConfig& shared = config.shared_config ? *config.shared_config : empty;
  auto configured = FindConfiguredEndpoint(env, shared, profile, kStsService);
  if (!configured) return Fail(std::move(configured.error()));
  if (*configured) {
    if (config.use_fips) {
      return Fail(
          "Invalid Configuration: FIPS and custom endpoint are not supported (STS "
          "endpoint from " +
          (*configured)->source + ")");
    }
    return StsEndpoint{(*configured)->url, config.region};
  }
  auto rules =
      StsEndpointFromRules(config.region, EndpointFlags{config.use_fips, config.use_dual_stack});
  if (!rules)
    return Fail("cannot resolve the STS endpoint for region " + config.region + ": " +
                rules.error());
  return StsEndpoint{std::move(*rules), config.region};
}

std::unique_ptr<ChainProvider> MakeDefaultCredentialsProvider(const AwsConfig& config,
                                                              const CredentialsDeps& deps,
                                                              CredentialsOptions options) {
  auto context = std::make_shared<ProviderContext>();
  context->env = &deps.env;
  context->clock = &deps.clock;
  context->metadata_http = &deps.metadata_http;
  context->process_runner = &deps.process_runner;
  context->config = config.shared_config ? config.shared_config : std::make_shared<SharedConfig>();
  auto sts_endpoint = ResolveStsEndpoint(config, deps.env);
  if (sts_endpoint) {
    context->sts = std::make_shared<StsClient>(deps.http, deps.clock, std::move(*sts_endpoint));
  } else {
    context->sts_error = sts_endpoint.error();
  }
  context->process_limits = options.process_limits;
  context->refresh = options.refresh;
  context->container = options.container;
  context->container.refresh = options.refresh;
  context->imds_timeout = options.imds_timeout;

  const bool skip_env = config.profile_explicit && options.explicit_profile_skips_env;
  const std::string skipped_for_profile =
      "skipped because --profile " + config.profile + " was given";
  const std::string profile_name = config.profile;

  std::vector<ChainSource> sources;
  sources.push_back(
      {"environment variables", [context, skip_env, skipped_for_profile]() -> ProbeResult {
         if (skip_env) return SourceProbe::Skip(skipped_for_profile);
         auto keys = CredentialsFromEnvironment(*context->env);
         if (!keys) return Fail(std::move(keys.error()));
         if (!keys->credentials) return SourceProbe::Skip(keys->skip_reason);
         return SourceProbe::Found(std::make_unique<StaticProvider>(std::move(keys->credentials)));
       }});
  sources.push_back(
      {"web identity (AWS_WEB_IDENTITY_TOKEN_FILE)",
       [context, skip_env, skipped_for_profile]() -> ProbeResult {
         if (skip_env) return SourceProbe::Skip(skipped_for_profile);
         auto token_file = context->env->Get("AWS_WEB_IDENTITY_TOKEN_FILE");
         if (!token_file) return SourceProbe::Skip("AWS_WEB_IDENTITY_TOKEN_FILE is not set");
         auto role_arn = context->env->Get("AWS_ROLE_ARN");
         if (!role_arn) {
           return Fail(CredentialsError{
               "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not: set the role to "
               "assume"});
         }
         WebIdentityConfig web;
         web.role_arn = *role_arn;
         web.token_file = *token_file;
         web.session_name = context->env->Get("AWS_ROLE_SESSION_NAME");
         web.origin = "environment";
         return SourceProbe::Found(MakeWebIdentityProvider(
             std::move(web), context->sts, context->sts_error, *context->clock, context->refresh));
       }});
  sources.push_back(
      {"shared config profile " + profile_name, [context, profile_name]() -> ProbeResult {
         return ProfileProviderFactory(*context).ForProfile(profile_name);
       }});
  sources.push_back({"container credentials", [context]() -> ProbeResult {
                       return ProbeContainerProvider(*context->env, *context->metadata_http,
                                                     *context->clock, context->container);
                     }});
  sources.push_back({"EC2 instance metadata (IMDS)",
                     [context, profile_name]() -> ProbeResult {
                       std::string skip;
                       auto settings = ImdsSettingsFrom(
                           *context->env, context->config->FindProfile(profile_name), &skip);
                       if (!settings) return Fail(std::move(settings.error()));
                       if (!*settings) return SourceProbe::Skip(skip);
                       (*settings)->timeout = context->imds_timeout;
                       (*settings)->refresh = context->refresh;
                       return SourceProbe::Found(MakeImdsProvider(
                           std::move(**settings), *context->metadata_http, *context->clock));
                     },
                     /*soft=*/true});
  return std::make_unique<ChainProvider>(
      std::move(sources),
      "Configure credentials with `aws configure`, name a profile with --profile or AWS_PROFILE, "
      "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an IAM role is available.");
}

}  // namespace dbtrotate::aws
