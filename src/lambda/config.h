#ifndef DBTROTATE_LAMBDA_CONFIG_H_
#define DBTROTATE_LAMBDA_CONFIG_H_

// The rotation function's configuration, from its environment (issue #9 §3). Anything unusable
// is an error naming the variable; the account and host may also come from the secret's own
// `account_id` / `access_url` keys (written by `init`), which the steps read.

#include <optional>
#include <string>

#include "aws/credentials/environment.h"
#include "core/result.h"
#include "rotation/lambda_steps.h"

namespace dbtrotate::lambda {

struct LambdaConfig {
  std::string runtime_api;     // AWS_LAMBDA_RUNTIME_API
  rotation::StepOptions step;  // account, host, manager secret, overlap, grants
  /// SECRETS_MANAGER_ENDPOINT (AWS's templates) wins over AWS_ENDPOINT_URL_SECRETS_MANAGER and
  /// the rest of the SDK order, as an endpoint given in code does.
  std::optional<std::string> secrets_manager_endpoint;
  /// CA bundle for dbt Cloud (SSL_CERT_FILE, AWS_CA_BUNDLE, else a probed system bundle).
  std::optional<std::string> ca_bundle;
  Duration request_timeout = std::chrono::seconds(30);
};

/// `file_exists` is injected so tests do not depend on the machine's CA files.
Result<LambdaConfig, std::string> ConfigFromEnvironment(
    const aws::Environment& env, bool (*file_exists)(const std::string&) = nullptr);

}  // namespace dbtrotate::lambda

#endif  // DBTROTATE_LAMBDA_CONFIG_H_
