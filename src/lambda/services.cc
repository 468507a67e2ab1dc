#include "lambda/services.h"

#include "aws/credentials/default_chain.h"
#include "dbtcloud/client.h"

namespace dbtrotate::lambda {

rotation::EngineDeps Services::Deps(rotation::Observer* observer) {
  rotation::EngineDeps deps;
  deps.secrets = secrets.get();
  deps.dbt = dbt_factory;
  deps.clock = &bounded_clock;
  deps.random = &random;
  deps.observer = observer;
  return deps;  // no process probe: every invocation may run in a fresh environment
}

Result<std::unique_ptr<Services>, std::string> BuildServices(const LambdaConfig& config,
                                                             const aws::Environment& env,
                                                             Clock& clock, Random& random) {
  auto services = std::make_unique<Services>(clock, random);
  http::CurlClientOptions dbt_options;
  dbt_options.total_timeout = config.request_timeout;
  if (config.ca_bundle) dbt_options.ca_bundle = *config.ca_bundle;
  services->dbt_http = std::make_unique<http::CurlClient>(dbt_options);
  services->dbt_bounded = std::make_unique<DeadlineClient>(*services->dbt_http, services->deadline,
                                                           config.request_timeout);
  http::RetryPolicy retry;
  retry.max_total_delay = std::chrono::seconds(20);  // the deadline bounds it further
  services->dbt_retrying = std::make_unique<http::RetryingClient>(*services->dbt_bounded, retry,
                                                                  services->bounded_clock, random);

  aws::AwsOptions aws_options;
  aws_options.endpoint_url = config.secrets_manager_endpoint;
  if (!env.Get("AWS_CA_BUNDLE") && config.ca_bundle) aws_options.ca_bundle = config.ca_bundle;
  auto aws_config = aws::ResolveAwsConfig(aws_options, env);
  if (!aws_config) {
    const std::string prefix = config.secrets_manager_endpoint ? "SECRETS_MANAGER_ENDPOINT / " : "";
    return Fail(prefix + aws_config.error().message);
  }
  services->aws_config = std::move(*aws_config);
  http::CurlClientOptions aws_http_options;
  aws_http_options.total_timeout = config.request_timeout;
  if (services->aws_config.ca_bundle) aws_http_options.ca_bundle = *services->aws_config.ca_bundle;
  services->aws_http = std::make_unique<http::CurlClient>(aws_http_options);
  services->aws_bounded = std::make_unique<DeadlineClient>(*services->aws_http, services->deadline,
                                                           config.request_timeout);
  http::CurlClientOptions metadata_options;
  metadata_options.connect_timeout = std::chrono::seconds(1);
  metadata_options.total_timeout = std::chrono::seconds(2);
  metadata_options.plain_http_hosts = {"169.254.169.254", "fd00:ec2::254", "169.254.170.2",
                                       "169.254.170.23", "fd00:ec2::23"};
  metadata_options.no_proxy = true;
  services->metadata_http = std::make_unique<http::CurlClient>(metadata_options);
  services->process_runner = std::make_unique<aws::PosixProcessRunner>();
  // Lambda sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN: the chain's
  // first source.
  aws::CredentialsDeps deps{env, clock, *services->aws_http, *services->metadata_http,
                            *services->process_runner};
  services->credentials = aws::MakeDefaultCredentialsProvider(services->aws_config, deps);
  services->secrets = std::make_unique<aws::SecretsManagerClient>(
      *services->aws_bounded, *services->credentials, services->aws_config.endpoint_url,
      services->aws_config.signing_region, services->bounded_clock, random);

  http::Client* dbt_client = services->dbt_retrying.get();
  services->dbt_factory = [dbt_client](
                              const rotation::ConnectionInfo& connection,
                              SecretString token) -> std::unique_ptr<dbtcloud::ServiceTokenApi> {
    auto client = dbtcloud::Client::Create(*dbt_client, connection.access_url,
                                           connection.account_id, std::move(token));
    if (!client) return nullptr;
    return std::move(*client);
  };
  return services;
}

}  // namespace dbtrotate::lambda
