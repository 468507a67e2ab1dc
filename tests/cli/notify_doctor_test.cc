// The real binary's notifications (rotate --notify-url) and `doctor`, against both emulators
// and a loopback webhook in this test process. A notification never changes the exit code, and
// nothing printed or posted contains a token.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "emulators/dbtcloud/dbtcloud_emulator.h"
#include "emulators/secretsmanager/emulator.h"
#include "support/process_runner.h"

namespace dbtrotate {
namespace {

using nlohmann::json;
using testing::ProcessResult;

constexpr char kNotifyBinary[] = DBTROTATE_BINARY_DIR "/dbt-rotate";
constexpr char kNotifySecret[] = "dbt/job-runner";
constexpr char kNotifyAccessKey[] = "AKIANOTIFYTEST000000";
constexpr char kNotifySecretKey[] = "notify-test-secret-key-notify-test-secret";

// A webhook that records what it receives and answers with a status the test chooses.
class Webhook {
 public:
  explicit Webhook(int status) {
    server_.Post("/hooks/secretpart",
                 [this, status](const httplib::Request& req, httplib::Response& res) {
                   std::lock_guard lock(mutex_);
                   bodies_.push_back(req.body);
                   res.status = status;
                   res.set_content(status == 200 ? "ok" : "no_service", "text/plain");
                 });
    port_ = server_.bind_to_any_port("127.0.0.1");
    // Bound and listening already: requests queue until the accept loop runs.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // This httplib has no wait_until_ready(); stop() before the loop runs would be lost.
    for (int i = 0; i < 2000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~Webhook() {
    server_.stop();
    thread_.join();
  }
  Webhook(const Webhook&) = delete;
  Webhook& operator=(const Webhook&) = delete;

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/hooks/secretpart";
  }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mutex_);
    return bodies_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> bodies_;
};

class NotifyDoctorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dbt_.Start());
    account_ = dbt_.CreateAccount("Notify");
    aws::Credentials credentials;
    credentials.access_key_id = kNotifyAccessKey;
    credentials.secret_access_key = SecretString::CopyOf(kNotifySecretKey);
    sm_.AddCredentials(credentials);
    ASSERT_TRUE(sm_.Start());
    auto admin = dbt_.AddServiceToken(account_, {"ci-admin", emulators::DbtAdminGrants()});
    ASSERT_TRUE(admin);
    admin_id_ = admin->id;
    Seed(kNotifySecret, admin_id_, std::string(admin->token_string.expose()));
  }

  void Seed(const std::string& name, std::int64_t id, const std::string& token) {
    tokens_.push_back(token);
    ASSERT_TRUE(sm_.store().SeedSecret(
        name, "{\"service_token_id\": " + std::to_string(id) + ", \"service_token\": \"" + token +
                  "\", \"last_rotated_datetime_utc\": \"2026-01-01T00:00:00+00:00\"}"));
  }

  std::vector<std::string> Env() const {
    return {"AWS_ACCESS_KEY_ID=" + std::string(kNotifyAccessKey),
            "AWS_SECRET_ACCESS_KEY=" + std::string(kNotifySecretKey),
            "AWS_REGION=us-east-1",
            "AWS_ENDPOINT_URL_SECRETS_MANAGER=" + sm_.endpoint_url(),
            "AWS_CONFIG_FILE=" + scratch_.path() + "/no-config",
            "AWS_SHARED_CREDENTIALS_FILE=" + scratch_.path() + "/no-credentials",
            "AWS_EC2_METADATA_DISABLED=true",
            "DBT_CLOUD_HOST=" + dbt_.base_url(),
            "DBT_CLOUD_ACCOUNT_ID=" + std::to_string(account_),
            "HOME=" + scratch_.path()};
  }

  ProcessResult Run(std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.insert(args.begin(), kNotifyBinary);
    if (env.empty()) env = Env();
    ProcessResult result = testing::RunProcess(args, env, scratch_.path());
    EXPECT_TRUE(result.started) << result.error;
    CollectTokens();
    for (const auto& token : tokens_) ExpectAbsent(result.out + result.err, token);
    ExpectAbsent(result.out + result.err, kNotifySecretKey);
    return result;
  }

  static void ExpectAbsent(const std::string& text, const std::string& secret) {
    EXPECT_EQ(text.find(secret), std::string::npos) << "a secret leaked";
    if (secret.size() > 25) {
      EXPECT_EQ(text.find(secret.substr(5, 20)), std::string::npos);
    }
  }

  void CollectTokens() {
    for (const auto& name : sm_.store().SecretNames()) {
      auto state = sm_.store().Inspect(name);
      if (!state) continue;
      for (const auto& version : state->versions) {
        if (!version.value) continue;
        auto value = json::parse(version.value->expose(), nullptr, false);
        if (value.is_object() && value.contains("service_token")) {
          tokens_.push_back(value["service_token"].get<std::string>());
        }
      }
    }
  }

  std::int64_t CurrentTokenId() {
    auto state = sm_.store().Inspect(kNotifySecret);
    for (const auto& version : state->versions) {
      if (version.HasStage("AWSCURRENT")) {
        return json::parse(version.value->expose())["service_token_id"].get<std::int64_t>();
      }
    }
    return 0;
  }

  testing::ScratchDir scratch_;
  emulators::DbtCloudEmulator dbt_;
  emulators::secretsmanager::SecretsManagerEmulator sm_;
  std::int64_t account_ = 0;
  std::int64_t admin_id_ = 0;
  std::vector<std::string> tokens_;
};

TEST_F(NotifyDoctorTest, OnFailureIsTheDefaultSoASuccessPostsNothing) {
  Webhook hook(200);
  auto result =
      Run({"rotate", "--secret-id", kNotifySecret, "--notify-url", hook.url(), "--output", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(hook.bodies().empty());
  EXPECT_EQ(json::parse(result.out)["notification"]["attempted"], false);
}

TEST_F(NotifyDoctorTest, AlwaysPostsTheSummaryWithoutAToken) {
  Webhook hook(200);
  auto result = Run({"rotate", "--secret-id", kNotifySecret, "--notify-url", hook.url(), "--notify",
                     "always", "--output", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ASSERT_EQ(hook.bodies().size(), 1u);
  const std::string body = hook.bodies()[0];
  for (const auto& token : tokens_) ExpectAbsent(body, token);
  auto payload = json::parse(body);
  EXPECT_EQ(payload["outcome"], "rotated");
  EXPECT_EQ(payload["exit_code"], 0);
  EXPECT_EQ(payload["secret_id"], kNotifySecret);
  EXPECT_EQ(payload["old_token_id"], admin_id_);
  EXPECT_EQ(payload["new_token_id"], CurrentTokenId());
  EXPECT_EQ(payload["revoked_token_ids"], json::array({admin_id_}));
  EXPECT_NE(payload["text"].get<std::string>().find("rotated"), std::string::npos);
  EXPECT_TRUE(payload["duration_seconds"].is_number());
  auto report = json::parse(result.out);
  EXPECT_EQ(report["notification"]["delivered"], true);
  EXPECT_EQ(report["notification"]["status"], 200);
  EXPECT_NE(result.err.find("notification sent to http://127.0.0.1:"), std::string::npos);
}

TEST_F(NotifyDoctorTest, AFailedRunIsNotifiedWithItsExitCode) {
  Webhook hook(200);
  auto result = Run({"rotate", "--secret-id", "dbt/no-such-secret", "--notify-url", hook.url()});
  ASSERT_NE(result.exit_code, 0);
  ASSERT_EQ(hook.bodies().size(), 1u);
  auto payload = json::parse(hook.bodies()[0]);
  EXPECT_EQ(payload["exit_code"], result.exit_code);
  EXPECT_FALSE(payload["message"].get<std::string>().empty());
  EXPECT_NE(payload["text"].get<std::string>().find("FAILED"), std::string::npos);
}

TEST_F(NotifyDoctorTest, AnUndeliverableNotificationLeavesTheExitCodeAlone) {
  Webhook hook(500);
  auto result = Run({"rotate", "--secret-id", kNotifySecret, "--notify-url", hook.url(), "--notify",
                     "always", "--output", "json"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(hook.bodies().size(), 1u);
  EXPECT_NE(CurrentTokenId(), admin_id_) << "the rotation itself must have happened";
  EXPECT_NE(result.err.find("notification NOT delivered"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("secretpart"), std::string::npos) << "the webhook's path leaked";
  auto notification = json::parse(result.out)["notification"];
  EXPECT_EQ(notification["delivered"], false);
  EXPECT_EQ(notification["status"], 500);
}

TEST_F(NotifyDoctorTest, NothingListeningIsReportedAndTheRunStillSucceeds) {
  std::string url;
  {
    Webhook gone(200);
    url = gone.url();
  }
  auto result = Run({"rotate", "--secret-id", kNotifySecret, "--notify-url", url, "--notify", "always"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("notification NOT delivered"), std::string::npos) << result.err;
}

TEST_F(NotifyDoctorTest, AnInsecureNotifyUrlIsAUsageErrorBeforeAnything) {
  for (const auto& url : {"http://hooks.example.com/x", "ftp://127.0.0.1/x", "not a url"}) {
    auto result = Run({"rotate", "--secret-id", kNotifySecret, "--notify-url", url});
    EXPECT_EQ(result.exit_code, 2) << url;
    EXPECT_NE(result.err.find("--notify-url"), std::string::npos) << result.err;
  }
  auto bad_when = Run({"rotate", "--secret-id", kNotifySecret, "--notify", "sometimes"});
  EXPECT_EQ(bad_when.exit_code, 2);
  EXPECT_EQ(sm_.log().CountFor("GetSecretValue"), 0u);
  EXPECT_EQ(CurrentTokenId(), admin_id_);
}

TEST_F(NotifyDoctorTest, NotifyUrlFromTheEnvironment) {
  Webhook hook(200);
  auto env = Env();
  env.push_back("DBTROTATE_NOTIFY_URL=" + hook.url());
  auto result = Run({"rotate", "--secret-id", kNotifySecret, "--notify", "always"}, env);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(hook.bodies().size(), 1u);
}

TEST_F(NotifyDoctorTest, DoctorShowsSourcesAndPassesAgainstHealthyServices) {
  auto result = Run({"doctor", "--secret-id", kNotifySecret});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("us-east-1  (from AWS_REGION)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("(from AWS_ENDPOINT_URL_SECRETS_MANAGER)"), std::string::npos);
  EXPECT_NE(result.out.find("(from DBT_CLOUD_ACCOUNT_ID)"), std::string::npos);
  EXPECT_NE(result.out.find(dbt_.base_url() + "/api/v3  (from DBT_CLOUD_HOST)"), std::string::npos);
  EXPECT_NE(result.out.find("ok    AWS credentials: from environment"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("ok    secretsmanager:GetSecretValue"), std::string::npos);
  EXPECT_NE(result.out.find("skip  secretsmanager:PutSecretValue"), std::string::npos);
  EXPECT_NE(result.out.find("ok    token " + std::to_string(admin_id_) + " authenticates"),
            std::string::npos)
      << result.out;
  EXPECT_EQ(sm_.log().CountFor("PutSecretValue") + sm_.log().CountFor("UpdateSecretVersionStage"),
            0u);
}

TEST_F(NotifyDoctorTest, DoctorTakesTheAccountFromTheSecretAndSaysSo) {
  ASSERT_TRUE(Run({"rotate", "--secret-id", kNotifySecret}).exit_code == 0);  // stores account_id
  auto env = Env();
  std::erase_if(env, [](const std::string& e) { return e.rfind("DBT_CLOUD_", 0) == 0; });
  auto result = Run({"doctor", "--secret-id", kNotifySecret, "--output", "json"}, env);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto report = json::parse(result.out);
  EXPECT_EQ(report["ok"], true);
  bool found = false;
  for (const auto& setting : report["settings"]) {
    if (setting["name"] == "dbt Cloud account id") {
      found = true;
      EXPECT_EQ(setting["value"], std::to_string(account_));
      EXPECT_EQ(setting["source"], "the secret");
    }
  }
  EXPECT_TRUE(found) << result.out;
}

TEST_F(NotifyDoctorTest, DoctorFailsWhenDbtRejectsTheToken) {
  Seed("dbt/stale", admin_id_, "dbtc_thisTokenWasRevokedLongAgo0123456789abcdef");
  auto result = Run({"doctor", "--secret-id", "dbt/stale"});
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.out.find("FAIL  token " + std::to_string(admin_id_) + " authenticates"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("rejected it (401)"), std::string::npos);
}

TEST_F(NotifyDoctorTest, DoctorReportsAMissingSecretAndUnreachableServices) {
  auto missing = Run({"doctor", "--secret-id", "dbt/absent"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("FAIL  secretsmanager:DescribeSecret on 'dbt/absent'"),
            std::string::npos)
      << missing.out;

  auto env = Env();
  for (auto& e : env) {
    if (e.rfind("AWS_ENDPOINT_URL_SECRETS_MANAGER=", 0) == 0) {
      e = "AWS_ENDPOINT_URL_SECRETS_MANAGER=http://127.0.0.1:1";
    }
  }
  auto unreachable = Run({"doctor", "--secret-id", kNotifySecret, "--timeout", "2"}, env);
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_NE(unreachable.out.find("FAIL  Secrets Manager reachable"), std::string::npos)
      << unreachable.out;
}

TEST_F(NotifyDoctorTest, DoctorWithoutASecretChecksConfigurationOnly) {
  auto result = Run({"doctor"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("skip  secret and token"), std::string::npos) << result.out;
  auto no_credentials = Env();
  std::erase_if(no_credentials, [](const std::string& e) { return e.rfind("AWS_ACCESS", 0) == 0; });
  auto failed = Run({"doctor"}, no_credentials);
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_NE(failed.out.find("FAIL  AWS credentials"), std::string::npos) << failed.out;
}

TEST_F(NotifyDoctorTest, VersionNamesTheBuildAndTheLibrariesInUse) {
  auto result = Run({"--version"});
  ASSERT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out.rfind("dbt-rotate 0.1.0\ncommit ", 0), 0u) << result.out;
  EXPECT_NE(result.out.find("\nbuilt 20"), std::string::npos);
  EXPECT_NE(result.out.find("\nlibcurl "), std::string::npos);
  EXPECT_NE(result.out.find("\nOpenSSL 3."), std::string::npos);
}

}  // namespace
}  // namespace dbtrotate
