#ifndef DBTROTATE_TESTS_CLI_CLI_FIXTURE_H_
#define DBTROTATE_TESTS_CLI_CLI_FIXTURE_H_

// The dbt-rotate binary end to end: real processes, real loopback HTTP, both emulators in the
// test process. Every run's stdout and stderr are checked for every token string ever issued.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emulators/dbtcloud/dbtcloud_emulator.h"
#include "emulators/secretsmanager/emulator.h"
#include "support/process_runner.h"

namespace dbtrotate {

using nlohmann::json;
using testing::ProcessResult;

inline constexpr char kBinary[] = DBTROTATE_BINARY_DIR "/dbt-rotate";
inline constexpr char kSecret[] = "dbt/admin";
inline constexpr char kAccessKey[] = "AKIACLITEST000000000";
inline constexpr char kSecretKey[] = "cli-test-secret-key-cli-test-secret-key0";

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dbt_.Start());
    account_ = dbt_.CreateAccount("CLI");
    aws::Credentials credentials;
    credentials.access_key_id = kAccessKey;
    credentials.secret_access_key = SecretString::CopyOf(kSecretKey);
    sm_.AddCredentials(credentials);
    ASSERT_TRUE(sm_.Start());
    auto admin = dbt_.AddServiceToken(account_, {"ci-admin", emulators::DbtAdminGrants()});
    ASSERT_TRUE(admin);
    admin_id_ = admin->id;
    tokens_seen_.push_back(std::string(admin->token_string.expose()));
    SeedSecret(kSecret, admin_id_, admin->token_string, R"(, "team": "data-platform")");
  }

  void SeedSecret(const std::string& name, std::int64_t id, const SecretString& token,
                  const std::string& extra = "") {
    const std::string value = "{\"service_token_id\": " + std::to_string(id) +
                              ", \"service_token\": \"" + std::string(token.expose()) +
                              "\", \"last_rotated_datetime_utc\": \"2026-01-01T00:00:00+00:00\"" +
                              extra + "}";
    ASSERT_TRUE(sm_.store().SeedSecret(name, value));
  }

  std::vector<std::string> Env() const {
    return {"AWS_ACCESS_KEY_ID=" + std::string(kAccessKey),
            "AWS_SECRET_ACCESS_KEY=" + std::string(kSecretKey),
            "AWS_REGION=us-east-1",
            "AWS_ENDPOINT_URL_SECRETS_MANAGER=" + sm_.endpoint_url(),
            "AWS_CONFIG_FILE=" + scratch_.path() + "/no-config",
            "AWS_SHARED_CREDENTIALS_FILE=" + scratch_.path() + "/no-credentials",
            "AWS_EC2_METADATA_DISABLED=true",
            "DBT_CLOUD_HOST=" + dbt_.base_url(),
            "DBT_CLOUD_ACCOUNT_ID=" + std::to_string(account_),
            "HOME=" + scratch_.path()};
  }

  ProcessResult Run(std::vector<std::string> args, std::vector<std::string> env = {},
                    const std::string& stdin_text = "") {
    args.insert(args.begin(), kBinary);
    if (env.empty()) env = Env();
    ProcessResult result = testing::RunProcess(args, env, scratch_.path(), stdin_text);
    EXPECT_TRUE(result.started) << result.error;
    ExpectNoTokenIn(result);
    return result;
  }

  // Every token string the emulator ever issued, checked against everything printed.
  void ExpectNoTokenIn(const ProcessResult& result) {
    for (const auto& version : AllSecretValues()) {
      auto parsed = json::parse(version, nullptr, false);
      if (parsed.is_object() && parsed.contains("service_token") &&
          parsed["service_token"].is_string()) {
        auto token = parsed["service_token"].get<std::string>();
        if (token.size() > 25) tokens_seen_.push_back(std::move(token));
      }
    }
    for (const auto& token : tokens_seen_) {
      EXPECT_EQ(result.out.find(token), std::string::npos) << "token leaked to stdout";
      EXPECT_EQ(result.err.find(token), std::string::npos) << "token leaked to stderr";
      EXPECT_EQ(result.out.find(token.substr(5, 20)), std::string::npos) << "token part leaked";
      EXPECT_EQ(result.err.find(token.substr(5, 20)), std::string::npos) << "token part leaked";
    }
    EXPECT_EQ(result.err.find(kSecretKey), std::string::npos);
    EXPECT_EQ(result.out.find(kSecretKey), std::string::npos);
  }

  std::vector<std::string> AllSecretValues() {
    std::vector<std::string> values;
    for (const auto& name : sm_.store().SecretNames()) {
      auto state = sm_.store().Inspect(name);
      if (!state) continue;
      for (const auto& version : state->versions) {
        if (version.value) values.emplace_back(version.value->expose());
      }
    }
    return values;
  }

  std::vector<emulators::DbtToken> ActiveTokens() { return dbt_.ActiveTokens(account_); }

  json CurrentValue(const std::string& name) {
    auto state = sm_.store().Inspect(name);
    if (!state) return nullptr;
    for (const auto& version : state->versions) {
      if (version.HasStage("AWSCURRENT") && version.value)
        return json::parse(version.value->expose());
    }
    return nullptr;
  }

  std::uint64_t Writes() {
    return sm_.log().CountFor("PutSecretValue") + sm_.log().CountFor("UpdateSecretVersionStage") +
           sm_.log().CountFor("CreateSecret") + dbt_.log().CountFor("create_service_token") +
           dbt_.log().CountFor("delete_service_token") +
           dbt_.log().CountFor("update_service_token");
  }

  testing::ScratchDir scratch_;
  emulators::DbtCloudEmulator dbt_;
  emulators::secretsmanager::SecretsManagerEmulator sm_;
  std::int64_t account_ = 0;
  std::int64_t admin_id_ = 0;
  std::vector<std::string> tokens_seen_;
};

}  // namespace dbtrotate

#endif  // DBTROTATE_TESTS_CLI_CLI_FIXTURE_H_
