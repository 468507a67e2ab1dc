#include "aws/credentials/static_provider.h"

namespace dbtrotate::aws {

Result<StaticLookup, CredentialsError> CredentialsFromEnvironment(const Environment& env) {
  std::optional<std::string> access_key = env.Get("AWS_ACCESS_KEY_ID");
  std::optional<std::string> secret_key = env.Get("AWS_SECRET_ACCESS_KEY");
  if (!access_key) {
    StaticLookup skipped;
    skipped.skip_reason = secret_key ? "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"
                                     : "AWS_ACCESS_KEY_ID is not set";
    if (secret_key) WipeString(*secret_key);
    return skipped;
  }
  if (!secret_key) {
    return Fail(CredentialsError{
        "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or unset "
        "AWS_ACCESS_KEY_ID to use another credential source"});
  }
  auto credentials = std::make_shared<Credentials>();
  credentials->access_key_id = std::move(*access_key);
  credentials->secret_access_key = SecretString(std::move(*secret_key));
  std::optional<std::string> token = env.Get("AWS_SESSION_TOKEN");
  if (!token) token = env.Get("AWS_SECURITY_TOKEN");
  if (token) credentials->session_token = SecretString(std::move(*token));
  credentials->source = "environment variables";
  return StaticLookup{std::move(credentials), {}};
}

bool HasStaticKeys(const Profile& profile) {
  const std::string* access_key = profile.Get("aws_access_key_id");
  return access_key != nullptr && !access_key->empty();
}

Result<StaticLookup, CredentialsError> CredentialsFromProfile(const Profile& profile) {
  if (!HasStaticKeys(profile)) {
    return StaticLookup{nullptr, "profile " + profile.name + " has no aws_access_key_id"};
  }
  const std::string* secret_key = profile.Get("aws_secret_access_key");
  if (secret_key == nullptr || secret_key->empty()) {
    return Fail(CredentialsError{"profile " + profile.name +
                                 " sets aws_access_key_id but not aws_secret_access_key"});
  }
  auto credentials = std::make_shared<Credentials>();
  credentials->access_key_id = *profile.Get("aws_access_key_id");
  credentials->secret_access_key = SecretString::CopyOf(*secret_key);
  const std::string* token = profile.Get("aws_session_token");
  if (token == nullptr || token->empty()) token = profile.Get("aws_security_token");
  if (token != nullptr && !token->empty()) {
    credentials->session_token = SecretString::CopyOf(*token);
  }
  credentials->source = "profile " + profile.name + " (static keys)";
  return StaticLookup{std::move(credentials), {}};
}

}  // namespace dbtrotate::aws
