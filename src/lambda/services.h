#ifndef DBTROTATE_LAMBDA_SERVICES_H_
#define DBTROTATE_LAMBDA_SERVICES_H_

// The clients a step uses, built once per environment (so connections and TLS sessions are
// reused across invocations), every request and sleep bounded by the current invocation's
// deadline.

#include <memory>
#include <string>

#include "aws/credentials/aws_config.h"
#include "aws/credentials/credentials.h"
#include "aws/credentials/environment.h"
#include "aws/credentials/process_runner.h"
#include "aws/secretsmanager/client.h"
#include "core/random.h"
#include "http/curl_client.h"
#include "http/retry.h"
#include "lambda/config.h"
#include "lambda/deadline.h"
#include "rotation/engine.h"

namespace dbtrotate::lambda {

struct Services {
  Services(Clock& clock, Random& rand)
      : deadline(clock, std::chrono::milliseconds(500)), bounded_clock(deadline), random(rand) {}

  Deadline deadline;
  DeadlineClock bounded_clock;
  Random& random;
  std::unique_ptr<http::CurlClient> dbt_http;
  std::unique_ptr<DeadlineClient> dbt_bounded;
  std::unique_ptr<http::RetryingClient> dbt_retrying;
  std::unique_ptr<http::CurlClient> aws_http;
  std::unique_ptr<DeadlineClient> aws_bounded;
  std::unique_ptr<http::CurlClient> metadata_http;
  std::unique_ptr<aws::ProcessRunner> process_runner;
  aws::AwsConfig aws_config;
  std::unique_ptr<aws::CredentialsProvider> credentials;
  std::unique_ptr<aws::SecretsManagerClient> secrets;
  rotation::DbtApiFactory dbt_factory;

  rotation::EngineDeps Deps(rotation::Observer* observer);
};

/// Fails with a message naming the variable at fault.
Result<std::unique_ptr<Services>, std::string> BuildServices(const LambdaConfig& config,
                                                             const aws::Environment& env,
                                                             Clock& clock, Random& random);

}  // namespace dbtrotate::lambda

#endif  // DBTROTATE_LAMBDA_SERVICES_H_
