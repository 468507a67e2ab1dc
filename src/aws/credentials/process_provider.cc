#include "aws/credentials/process_provider.h"

#include "aws/credentials/credentials_json.h"
#include "aws/credentials/shell_split.h"
#include "aws/credentials/text_util.h"

namespace dbtrotate::aws {

std::unique_ptr<CredentialsProvider> MakeProcessProvider(ProcessProviderConfig config,
                                                         ProcessRunner& runner, Clock& clock,
                                                         RefreshPolicy policy) {
  auto fetch = [config = std::move(config), &runner]() -> CredentialsResult {
    const std::string what = "credential_process of profile " + config.profile;
    auto argv = ShellSplit(config.command);
    if (!argv) return Fail(CredentialsError{what + " cannot be parsed: " + argv.error()});
    if (argv->empty()) return Fail(CredentialsError{what + " is empty"});

    auto output = runner.Run(*argv, config.limits);
    if (!output) return Fail(CredentialsError{what + " failed: " + output.error()});
    if (output->signal != 0 || output->exit_code != 0) {
      std::string status = output->signal != 0
                               ? "was killed by signal " + std::to_string(output->signal)
                               : "exited with status " + std::to_string(output->exit_code);
      std::string_view stderr_text = Trim(output->stderr_text);
      return Fail(
          CredentialsError{what + " (" + Printable((*argv)[0], 200) + ") " + status +
                           (stderr_text.empty() ? std::string(" and wrote nothing to stderr")
                                                : ": " + Printable(stderr_text, 2000))});
    }
    auto parsed = ParseCredentialsJson(
        output->stdout_text,
        CredentialsJsonShape{
            .what = what, .token_field = "SessionToken", .require_version_1 = true});
    if (!parsed) return Fail(CredentialsError{parsed.error()});
    auto credentials = std::make_shared<Credentials>(std::move(*parsed));
    credentials->source = "credential_process (profile " + config.profile + ")";
    return std::shared_ptr<const Credentials>(std::move(credentials));
  };
  return std::make_unique<RefreshingProvider>(std::move(fetch), clock, policy);
}

}  // namespace dbtrotate::aws
