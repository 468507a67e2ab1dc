#include "aws/credentials/web_identity_provider.h"

#include "aws/credentials/file_util.h"
#include "aws/credentials/text_util.h"

namespace dbtrotate::aws {

namespace {
constexpr std::size_t kMaxTokenFileBytes = 64 * 1024;  // STS accepts up to 20000 characters
}  // namespace

std::string DefaultSessionName(Clock& clock) {
  auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
  return "dbt-rotate-" + std::to_string(seconds);
}

std::unique_ptr<CredentialsProvider> MakeWebIdentityProvider(WebIdentityConfig config,
                                                             std::shared_ptr<StsClient> sts,
                                                             std::string sts_error, Clock& clock,
                                                             RefreshPolicy policy) {
  auto fetch = [config = std::move(config), sts = std::move(sts), sts_error = std::move(sts_error),
                &clock]() -> CredentialsResult {
    const std::string what = "web identity (" + config.origin + ")";
    if (!sts) return Fail(CredentialsError{what + ": " + sts_error});
    auto contents = ReadSmallFile(config.token_file, kMaxTokenFileBytes);
    if (!contents) {
      return Fail(CredentialsError{
          what + ": cannot read the web identity token file: " + contents.error().message});
    }
    SecretString token = SecretString::CopyOf(Trim(*contents));
    WipeString(*contents);
    if (token.empty()) {
      return Fail(CredentialsError{what + ": the web identity token file " + config.token_file +
                                   " is empty"});
    }
    const std::string session =
        config.session_name ? *config.session_name : DefaultSessionName(clock);
    auto result = sts->AssumeRoleWithWebIdentity(config.role_arn, session, token);
    if (!result) return Fail(CredentialsError{what + ": " + result.error().message});
    return result;
  };
  return std::make_unique<RefreshingProvider>(std::move(fetch), clock, policy);
}

}  // namespace dbtrotate::aws
