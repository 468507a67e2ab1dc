#include "lambda/config.h"

#include <charconv>
#include <filesystem>

#include "dbtcloud/access_url.h"
#include "rotation/permissions_file.h"

namespace dbtrotate::lambda {
namespace {

bool FileExists(const std::string& path) {
  std::error_code ignored;
  return std::filesystem::is_regular_file(path, ignored);
}

// Debian's libcurl looks in Debian's place; Amazon Linux keeps its bundle elsewhere.
constexpr const char* kCaBundles[] = {"/etc/ssl/certs/ca-certificates.crt",
                                      "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"};

}  // namespace

Result<LambdaConfig, std::string> ConfigFromEnvironment(const aws::Environment& env,
                                                        bool (*file_exists)(const std::string&)) {
  if (!file_exists) file_exists = &FileExists;
  LambdaConfig config;
  auto runtime_api = env.Get("AWS_LAMBDA_RUNTIME_API");
  if (!runtime_api) return Fail(std::string("AWS_LAMBDA_RUNTIME_API is not set (not in Lambda?)"));
  config.runtime_api = *runtime_api;

  auto& connection = config.step.connection;
  if (auto text = env.Get("DBT_CLOUD_ACCOUNT_ID")) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), id);
    if (ec != std::errc() || end != text->data() + text->size() || id <= 0) {
      return Fail(
          std::string("DBT_CLOUD_ACCOUNT_ID must be a positive integer (the dbt Cloud "
                      "account id)"));
    }
    connection.account_id = id;
  }
  if (auto host = env.Get("DBT_CLOUD_HOST")) {
    auto parsed = dbtcloud::ParseAccessUrl(*host);
    if (!parsed) return Fail("DBT_CLOUD_HOST: " + parsed.error().message);
    connection.access_url = *host;
  }
  connection.manager_secret_id = env.Get("DBT_ROTATE_MANAGER_SECRET_ID");
  if (auto overlap = env.Get("DBT_ROTATE_OVERLAP")) {
    auto parsed = rotation::ParseOverlap(*overlap);
    if (!parsed) return Fail("DBT_ROTATE_OVERLAP: " + parsed.error().message);
    config.step.overlap = *parsed;
  }
  if (auto permissions = env.Get("DBT_ROTATE_PERMISSIONS");
      permissions && *permissions != "inherit") {
    auto grants = rotation::ParsePermissions(*permissions, "DBT_ROTATE_PERMISSIONS");
    if (!grants) return Fail("DBT_ROTATE_PERMISSIONS: " + grants.error().message);
    config.step.grants = std::move(*grants);
  }
  config.secrets_manager_endpoint = env.Get("SECRETS_MANAGER_ENDPOINT");

  for (const char* name : {"SSL_CERT_FILE", "AWS_CA_BUNDLE"}) {
    if (auto path = env.Get(name)) {
      if (!file_exists(*path)) return Fail(std::string(name) + ": '" + *path + "' is not a file");
      config.ca_bundle = *path;
      break;
    }
  }
  if (!config.ca_bundle && !file_exists(kCaBundles[0])) {
    for (const char* path : kCaBundles) {
      if (file_exists(path)) {
        config.ca_bundle = path;
        break;
      }
    }
  }
  return config;
}

}  // namespace dbtrotate::lambda
