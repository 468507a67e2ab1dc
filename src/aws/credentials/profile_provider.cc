#include "aws/credentials/profile_provider.h"

#include <algorithm>
#include <charconv>
#include <regex>

#include "aws/credentials/process_provider.h"
#include "aws/credentials/static_provider.h"
#include "aws/credentials/text_util.h"
#include "aws/credentials/web_identity_provider.h"

namespace dbtrotate::aws {

namespace {

CredentialsError ProfileError(const Profile& profile, const std::string& what) {
  return CredentialsError{"profile " + profile.name + ": " + what};
}

const std::string* NonEmpty(const Profile& profile, std::string_view key) {
  const std::string* value = profile.Get(key);
  return value != nullptr && !value->empty() ? value : nullptr;
}

std::string JoinLoop(const std::vector<std::string>& visited, const std::string& again) {
  std::string loop;
  auto start = std::find(visited.begin(), visited.end(), again);
  for (auto it = start; it != visited.end(); ++it) loop += *it + " -> ";
  return loop + again;
}

bool IsSsoProfile(const Profile& profile) {
  return profile.Has("sso_session") || profile.Has("sso_start_url") ||
         profile.Has("sso_account_id") || profile.Has("sso_role_name");
}

// Builds the AssumeRole parameters from the profile, validating them as STS would.
Result<AssumeRoleParams, CredentialsError> RoleParams(const Profile& profile) {
  AssumeRoleParams params;
  params.role_arn = *profile.Get("role_arn");
  if (params.role_arn.rfind("arn:", 0) != 0) {
    return Fail(ProfileError(profile, "role_arn \"" + Printable(params.role_arn, 200) +
                                          "\" is not an ARN (arn:aws:iam::ACCOUNT:role/NAME)"));
  }
  if (const std::string* name = NonEmpty(profile, "role_session_name")) {
    static const std::regex kSessionName(R"([\w+=,.@-]{2,64})");
    if (!std::regex_match(*name, kSessionName)) {
      return Fail(ProfileError(profile,
                               "role_session_name must be 2-64 characters of letters, "
                               "digits and +=,.@_-"));
    }
    params.session_name = *name;
  }
  if (const std::string* text = NonEmpty(profile, "duration_seconds")) {
    int seconds = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), seconds);
    if (ec != std::errc() || end != text->data() + text->size() || seconds < 900 ||
        seconds > 43200) {
      return Fail(ProfileError(profile,
                               "duration_seconds must be a whole number of seconds from "
                               "900 to 43200, not \"" +
                                   Printable(*text, 40) + "\""));
    }
    params.duration_seconds = seconds;
  }
  if (const std::string* external_id = NonEmpty(profile, "external_id")) {
    if (external_id->size() < 2 || external_id->size() > 1224) {
      return Fail(ProfileError(profile, "external_id must be 2-1224 characters long"));
    }
    params.external_id = *external_id;
  }
  if (NonEmpty(profile, "mfa_serial") != nullptr) {
    return Fail(ProfileError(profile,
                             "mfa_serial is set, but dbt-rotate runs unattended and cannot prompt "
                             "for an MFA code; use a role that does not require MFA, or a "
                             "credential_process that supplies session credentials"));
  }
  return params;
}

}  // namespace

ProbeResult ProfileProviderFactory::ForProfile(const std::string& name) {
  const Profile* profile = context_.config->FindProfile(name);
  if (profile == nullptr) {
    return SourceProbe::Skip("no profile named \"" + name + "\" in " +
                             context_.config->DescribeFiles());
  }
  std::vector<std::string> visited;
  return Resolve(*profile, visited);
}

ProbeResult ProfileProviderFactory::Resolve(const Profile& profile,
                                            std::vector<std::string>& visited) {
  const std::string* role_arn = NonEmpty(profile, "role_arn");
  if (role_arn != nullptr && NonEmpty(profile, "web_identity_token_file") != nullptr) {
    WebIdentityConfig config;
    config.role_arn = *role_arn;
    config.token_file = *profile.Get("web_identity_token_file");
    if (const std::string* session = NonEmpty(profile, "role_session_name")) {
      config.session_name = *session;
    }
    config.origin = "profile " + profile.name;
    return SourceProbe::Found(MakeWebIdentityProvider(
        std::move(config), context_.sts, context_.sts_error, *context_.clock, context_.refresh));
  }
  if (role_arn != nullptr) return AssumeRole(profile, visited);

  if (HasStaticKeys(profile)) {
    auto keys = CredentialsFromProfile(profile);
    if (!keys) return Fail(std::move(keys.error()));
    return SourceProbe::Found(std::make_unique<StaticProvider>(std::move(keys->credentials)));
  }
  if (const std::string* command = NonEmpty(profile, "credential_process")) {
    ProcessProviderConfig config{*command, profile.name, context_.process_limits};
    return SourceProbe::Found(MakeProcessProvider(std::move(config), *context_.process_runner,
                                                  *context_.clock, context_.refresh));
  }
  if (IsSsoProfile(profile)) {
    return Fail(
        ProfileError(profile,
                     "uses IAM Identity Center (SSO), which dbt-rotate does not support directly; "
                     "set credential_process = aws configure export-credentials --profile " +
                         profile.name + " --format process in another profile and use that one"));
  }
  if (NonEmpty(profile, "source_profile") != nullptr ||
      NonEmpty(profile, "credential_source") != nullptr) {
    return Fail(ProfileError(profile, "source_profile/credential_source need a role_arn"));
  }
  return SourceProbe::Skip("profile " + profile.name +
                           " has no credentials (no aws_access_key_id, role_arn or "
                           "credential_process)");
}

ProbeResult ProfileProviderFactory::AssumeRole(const Profile& profile,
                                               std::vector<std::string>& visited) {
  const std::string* source_profile = NonEmpty(profile, "source_profile");
  const std::string* credential_source = NonEmpty(profile, "credential_source");
  if (source_profile != nullptr && credential_source != nullptr) {
    return Fail(ProfileError(profile,
                             "sets both source_profile and credential_source; "
                             "use only one"));
  }
  if (source_profile == nullptr && credential_source == nullptr) {
    return Fail(ProfileError(profile,
                             "sets role_arn but none of source_profile, "
                             "credential_source or web_identity_token_file"));
  }
  auto params = RoleParams(profile);
  if (!params) return Fail(std::move(params.error()));

  visited.push_back(profile.name);
  ProbeResult source = source_profile != nullptr
                           ? FromSourceProfile(profile, *source_profile, visited)
                           : FromCredentialSource(profile, *credential_source);
  if (!source) return source;

  std::shared_ptr<CredentialsProvider> source_provider = std::move(source->provider);
  std::shared_ptr<StsClient> sts = context_.sts;
  std::string sts_error = context_.sts_error;
  Clock& clock = *context_.clock;
  const std::string name = profile.name;
  auto fetch = [source_provider, sts, sts_error, params = std::move(*params), name,
                &clock]() -> CredentialsResult {
    const std::string what = "assume role " + params.role_arn + " (profile " + name + ")";
    if (!sts) return Fail(CredentialsError{what + ": " + sts_error});
    auto source_credentials = source_provider->Resolve();
    if (!source_credentials) {
      return Fail(CredentialsError{
          what + ": the source credentials failed: " + source_credentials.error().message});
    }
    AssumeRoleParams call = params;
    if (call.session_name.empty()) call.session_name = DefaultSessionName(clock);
    auto result = sts->AssumeRole(**source_credentials, call);
    if (!result) return Fail(CredentialsError{what + ": " + result.error().message});
    return result;
  };
  return SourceProbe::Found(
      std::make_unique<RefreshingProvider>(std::move(fetch), clock, context_.refresh));
}

ProbeResult ProfileProviderFactory::FromSourceProfile(const Profile& parent,
                                                      const std::string& source_name,
                                                      std::vector<std::string>& visited) {
  const Profile* source = context_.config->FindProfile(source_name);
  if (source == nullptr) {
    return Fail(ProfileError(parent, "source_profile \"" + source_name + "\" does not exist in " +
                                         context_.config->DescribeFiles()));
  }
  bool seen = std::find(visited.begin(), visited.end(), source_name) != visited.end();
  if (seen && (source_name != parent.name || !HasStaticKeys(*source))) {
    return Fail(CredentialsError{"source_profile loop: " + JoinLoop(visited, source_name) +
                                 " (a profile may name itself as source_profile only when it has "
                                 "static keys)"});
  }
  // botocore: a source profile with static keys ends the chain, even if it has a role_arn.
  if (HasStaticKeys(*source)) {
    auto keys = CredentialsFromProfile(*source);
    if (!keys) return Fail(std::move(keys.error()));
    return SourceProbe::Found(std::make_unique<StaticProvider>(std::move(keys->credentials)));
  }
  ProbeResult resolved = Resolve(*source, visited);
  if (resolved && !resolved->provider) {
    return Fail(ProfileError(parent, "source_profile " + source_name +
                                         " has no credentials (no aws_access_key_id, role_arn or "
                                         "credential_process)"));
  }
  return resolved;
}

ProbeResult ProfileProviderFactory::FromCredentialSource(const Profile& profile,
                                                         const std::string& source) {
  if (source == "Environment") {
    auto keys = CredentialsFromEnvironment(*context_.env);
    if (!keys) return Fail(std::move(keys.error()));
    if (!keys->credentials) {
      return Fail(
          ProfileError(profile, "credential_source = Environment, but " + keys->skip_reason));
    }
    return SourceProbe::Found(std::make_unique<StaticProvider>(std::move(keys->credentials)));
  }
  if (source == "Ec2InstanceMetadata") {
    std::string skip;
    auto settings = ImdsSettingsFrom(*context_.env, &profile, &skip);
    if (!settings) return Fail(std::move(settings.error()));
    if (!*settings) {
      return Fail(
          ProfileError(profile, "credential_source = Ec2InstanceMetadata, but IMDS is " + skip));
    }
    (*settings)->timeout = context_.imds_timeout;
    (*settings)->refresh = context_.refresh;
    return SourceProbe::Found(
        MakeImdsProvider(std::move(**settings), *context_.metadata_http, *context_.clock));
  }
  if (source == "EcsContainer") {
    ContainerOptions options = context_.container;
    options.refresh = context_.refresh;
    auto probe =
        ProbeContainerProvider(*context_.env, *context_.metadata_http, *context_.clock, options);
    if (!probe) return probe;
    if (!probe->provider) {
      return Fail(
          ProfileError(profile, "credential_source = EcsContainer, but " + probe->skip_reason));
    }
    return probe;
  }
  return Fail(ProfileError(profile,
                           "credential_source must be Environment, Ec2InstanceMetadata "
                           "or EcsContainer, not \"" +
                               Printable(source, 60) + "\""));
}

}  // namespace dbtrotate::aws
