#include "cli/runtime.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "aws/credentials/default_chain.h"
#include "cli/ca_bundle.h"
#include "cli/flag_values.h"
#include "dbtcloud/access_url.h"
#include "dbtcloud/client.h"
#include "http/url_policy.h"

namespace dbtrotate::cli {

namespace {

http::CurlClientOptions HttpOptions(const ConnectionFlags& flags, std::optional<std::string> ca) {
  http::CurlClientOptions options;
  if (flags.timeout_seconds) {
    options.total_timeout = std::chrono::milliseconds(std::llround(*flags.timeout_seconds * 1000));
    options.connect_timeout = std::min(options.connect_timeout, options.total_timeout);
  }
  if (ca) options.ca_bundle = *ca;
  // A rotation has up to two requests in flight per host; keep every one's connection.
  options.max_idle_connections = std::max(5L, 2L * flags.concurrency + 2L);
  return options;
}

// The endpoint and CA bundle are checked here so that a bad one is a configuration error
// (exit 2) before any request, not a transport error at the first one (exit 1).
Result<void, std::string> CheckAwsConfig(const aws::AwsConfig& config) {
  if (auto policy = http::CheckUrlPolicy(config.endpoint_url); !policy) {
    // The policy's message never repeats the URL's user-info; the URL itself is not shown.
    return Fail("the Secrets Manager endpoint from " + config.endpoint_source +
                " is not usable: " + policy.error().message);
  }
  if (config.ca_bundle) {
    auto usable = CheckCaBundle(*config.ca_bundle, config.ca_bundle_source);
    if (!usable) return Fail(std::move(usable.error()));
  }
  return {};
}

// dbt Cloud: account and host from flags, else the environment, else (engine) the secret.
Result<rotation::ConnectionOptions, std::string> ResolveDbtConnection(const ConnectionFlags& flags,
                                                                      const aws::Environment& env) {
  rotation::ConnectionOptions connection;
  if (flags.account_id) {
    if (*flags.account_id <= 0) return Fail(std::string("--account-id must be a positive integer"));
    connection.account_id = flags.account_id;
  } else if (auto text = env.Get("DBT_CLOUD_ACCOUNT_ID")) {
    auto id = ParsePositiveId(*text, "DBT_CLOUD_ACCOUNT_ID", "your dbt Cloud account id");
    if (!id) return Fail(id.error());
    connection.account_id = *id;
  }
  if (flags.access_url) {
    connection.access_url = flags.access_url;
  } else if (auto host = env.Get("DBT_CLOUD_HOST")) {
    connection.access_url = *host;
  }
  if (connection.access_url) {
    // Checked here too so a typo is a usage error before anything is read.
    auto parsed = dbtcloud::ParseAccessUrl(*connection.access_url);
    if (!parsed) {
      return Fail(std::string(flags.access_url ? "--access-url" : "DBT_CLOUD_HOST") + ": " +
                  parsed.error().message);
    }
  }
  return connection;
}

// Opens connections ahead unless a proxy from the environment would carry the requests
// (a connection straight to the host would go around it).
std::shared_ptr<http::Preconnector> OpenAhead(const std::string& url, int count,
                                              const http::CurlClientOptions& options,
                                              const aws::Environment& env) {
  if (count <= 0) return nullptr;
  const auto parsed = http::ParseUrl(url);
  if (!parsed) return nullptr;
  const http::EnvGetter getter = [&env](const std::string& name) { return env.Get(name); };
  if (http::ProxyConfigured(parsed->scheme, getter)) return nullptr;
  return http::Preconnector::Start(url, count, options.connect_timeout);
}

}  // namespace

std::string Runtime::DescribeTraffic() const {
  auto describe = [](const char* name, const http::CurlClient* client) {
    if (client == nullptr) return std::string();
    const auto stats = client->Stats();
    return std::string(name) + ": " + std::to_string(stats.requests) + " requests over " +
           std::to_string(stats.new_connections) + " connection(s)";
  };
  return describe("dbt Cloud", dbt_http.get()) + "; " + describe("AWS", aws_http.get());
}

Result<std::unique_ptr<Runtime>, std::string> BuildRuntime(const ConnectionFlags& flags,
                                                           const aws::Environment& env,
                                                           Clock& clock, Random& random) {
  auto runtime = std::make_unique<Runtime>();
  runtime->clock = &clock;
  runtime->random = &random;

  if (flags.timeout_seconds && !(*flags.timeout_seconds >= kMinTimeoutSeconds &&
                                 *flags.timeout_seconds <= kMaxTimeoutSeconds)) {
    return Fail(fmt::format("--timeout must be between {:g} and {:g} seconds", kMinTimeoutSeconds,
                            kMaxTimeoutSeconds));
  }

  auto dbt_connection = ResolveDbtConnection(flags, env);
  if (!dbt_connection) return Fail(std::move(dbt_connection.error()));
  runtime->connection = std::move(*dbt_connection);

  // The CA bundle for dbt Cloud: --ca-bundle, else SSL_CERT_FILE (libcurl ignores it).
  std::optional<std::string> dbt_ca = flags.ca_bundle;
  if (!dbt_ca) dbt_ca = env.Get("SSL_CERT_FILE");
  if (dbt_ca) {
    auto usable = CheckCaBundle(*dbt_ca, flags.ca_bundle ? "--ca-bundle" : "SSL_CERT_FILE");
    if (!usable) return Fail(std::move(usable.error()));
  }
  aws::AwsOptions aws_options;
  aws_options.profile = flags.profile;
  aws_options.region = flags.region;
  aws_options.ca_bundle = flags.ca_bundle;
  auto aws_config = aws::ResolveAwsConfig(aws_options, env);
  if (!aws_config) return Fail(aws_config.error().message);
  runtime->aws_config = std::move(*aws_config);
  auto aws_usable = CheckAwsConfig(runtime->aws_config);
  if (!aws_usable) return Fail(std::move(aws_usable.error()));

  // Both hosts are known now, before libcurl and OpenSSL have even been set up: start the
  // TCP handshakes, which then run while the process starts and Secrets Manager is read.
  http::CurlClientOptions aws_http_options = HttpOptions(flags, runtime->aws_config.ca_bundle);
  aws_http_options.preconnected =
      OpenAhead(runtime->aws_config.endpoint_url, flags.preconnect_aws, aws_http_options, env);
  http::CurlClientOptions dbt_http_options = HttpOptions(flags, dbt_ca);
  if (runtime->connection.access_url) {
    dbt_http_options.preconnected =
        OpenAhead(*runtime->connection.access_url, flags.preconnect_dbt, dbt_http_options, env);
  }

  runtime->dbt_http = std::make_unique<http::CurlClient>(dbt_http_options);
  runtime->dbt_retrying = std::make_unique<http::RetryingClient>(
      *runtime->dbt_http, http::RetryPolicy{}, clock, random);

  runtime->aws_http = std::make_unique<http::CurlClient>(aws_http_options);
  // IMDS and container endpoints are link-local/loopback: short timeouts, no CA bundle needed.
  http::CurlClientOptions metadata_options;
  metadata_options.connect_timeout = std::chrono::seconds(1);
  metadata_options.total_timeout = std::chrono::seconds(2);
  metadata_options.plain_http_hosts = {"169.254.169.254", "fd00:ec2::254", "169.254.170.2",
                                       "169.254.170.23", "fd00:ec2::23"};
  metadata_options.no_proxy = true;
  runtime->metadata_http = std::make_unique<http::CurlClient>(metadata_options);
  runtime->process_runner = std::make_unique<aws::PosixProcessRunner>();

  aws::CredentialsDeps deps{env, clock, *runtime->aws_http, *runtime->metadata_http,
                            *runtime->process_runner};
  runtime->credentials = aws::MakeDefaultCredentialsProvider(runtime->aws_config, deps);
  runtime->secrets = std::make_unique<aws::SecretsManagerClient>(
      *runtime->aws_http, *runtime->credentials, runtime->aws_config.endpoint_url,
      runtime->aws_config.signing_region, clock, random);

  http::Client* dbt_client = runtime->dbt_retrying.get();
  runtime->dbt_factory = [dbt_client](
                             const rotation::ConnectionInfo& connection,
                             SecretString token) -> std::unique_ptr<dbtcloud::ServiceTokenApi> {
    auto client = dbtcloud::Client::Create(*dbt_client, connection.access_url,
                                           connection.account_id, std::move(token));
    if (!client) return nullptr;
    return std::move(*client);
  };
  return runtime;
}

}  // namespace dbtrotate::cli
