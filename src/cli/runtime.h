#ifndef DBTROTATE_CLI_RUNTIME_H_
#define DBTROTATE_CLI_RUNTIME_H_

// Everything a command needs to talk to the outside world, built once per process from the
// flags and the environment: one libcurl client per service (one connection cache each), the
// AWS configuration and credential chain, the Secrets Manager client and the dbt Cloud factory.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "aws/credentials/aws_config.h"
#include "aws/credentials/credentials.h"
#include "aws/credentials/environment.h"
#include "aws/credentials/process_runner.h"
#include "aws/secretsmanager/client.h"
#include "core/clock.h"
#include "core/random.h"
#include "http/curl_client.h"
#include "http/retry.h"
#include "rotation/options.h"

namespace dbtrotate::cli {

/// Connection flags shared by rotate, status and init.
struct ConnectionFlags {
  std::optional<std::int64_t> account_id;
  std::optional<std::string> access_url;
  std::optional<std::string> region;
  std::optional<std::string> profile;
  std::optional<std::string> ca_bundle;
  std::optional<double> timeout_seconds;
  /// Rotations this process runs at once (fleet --jobs): sizes the idle-connection caches.
  int concurrency = 1;
  /// TCP connections to open ahead to each service (http/preconnect.h), while the process is
  /// still starting and, for dbt, while Secrets Manager is read: as many as the first round
  /// of requests to that service sends at once. 0 = none. Needs the host before the secret:
  /// dbt only when the access URL comes from a flag or DBT_CLOUD_HOST.
  int preconnect_aws = 0;
  int preconnect_dbt = 0;
};

struct Runtime {
  Clock* clock = nullptr;
  Random* random = nullptr;
  std::unique_ptr<http::CurlClient> dbt_http;
  std::unique_ptr<http::RetryingClient> dbt_retrying;
  std::unique_ptr<http::CurlClient> aws_http;
  std::unique_ptr<http::CurlClient> metadata_http;
  std::unique_ptr<aws::ProcessRunner> process_runner;
  aws::AwsConfig aws_config;
  std::unique_ptr<aws::CredentialsProvider> credentials;
  std::unique_ptr<aws::SecretsManagerClient> secrets;
  rotation::DbtApiFactory dbt_factory;
  /// account id / access URL from the flags, else DBT_CLOUD_ACCOUNT_ID / DBT_CLOUD_HOST.
  rotation::ConnectionOptions connection;

  /// "N requests over M connections" for both services (the benchmark and --verbose print it).
  std::string DescribeTraffic() const;
};

/// Fails with a message for the user (exit code 2) when a flag or variable is unusable.
Result<std::unique_ptr<Runtime>, std::string> BuildRuntime(const ConnectionFlags& flags,
                                                           const aws::Environment& env,
                                                           Clock& clock, Random& random);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_RUNTIME_H_
