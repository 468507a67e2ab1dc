// `rotate --config` and `status --config` with the real binary against both emulators: exit
// codes, the table and JSON report, bad files, selection, a kill mid-fleet, no token printed.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "cli/fleet_command.h"
#include "emulators/dbtcloud/dbtcloud_emulator.h"
#include "emulators/secretsmanager/emulator.h"
#include "http/curl_client.h"
#include "support/process_runner.h"

namespace dbtrotate {
namespace {

using nlohmann::json;
using testing::ProcessResult;

constexpr char kFleetBinary[] = DBTROTATE_BINARY_DIR "/dbt-rotate";
constexpr char kFleetAccessKey[] = "AKIAFLEETCLITEST0000";
constexpr char kFleetSecretKey[] = "fleet-cli-test-secret-key-fleet-cli-test0";

class FleetCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dbt_.Start());
    account_ = dbt_.CreateAccount("Fleet CLI");
    aws::Credentials credentials;
    credentials.access_key_id = kFleetAccessKey;
    credentials.secret_access_key = SecretString::CopyOf(kFleetSecretKey);
    sm_.AddCredentials(credentials);
    ASSERT_TRUE(sm_.Start());
  }

  std::int64_t Seed(const std::string& name,
                    std::vector<emulators::DbtGrant> grants = emulators::DbtAdminGrants(),
                    int state = emulators::kDbtStateActive) {
    emulators::DbtSeedToken seed{name, std::move(grants)};
    seed.state = state;
    auto token = dbt_.AddServiceToken(account_, seed);
    EXPECT_TRUE(token);
    if (!token) return 0;
    tokens_.emplace_back(token->token_string.expose());
    const json value = {{"service_token_id", token->id},
                        {"service_token", token->token_string.expose()},
                        {"last_rotated_datetime_utc", "2026-01-01T00:00:00+00:00"}};
    EXPECT_TRUE(sm_.store().SeedSecret(name, value.dump()));
    return token->id;
  }

  std::string Config(const std::string& secrets_yaml) {
    return scratch_.WriteFile("fleet.yaml", "defaults:\n  account_id: " + std::to_string(account_) +
                                                "\n  access_url: " + dbt_.base_url() +
                                                "\nsecrets:\n" + secrets_yaml);
  }

  std::vector<std::string> Env() const {
    return {"AWS_ACCESS_KEY_ID=" + std::string(kFleetAccessKey),
            "AWS_SECRET_ACCESS_KEY=" + std::string(kFleetSecretKey),
            "AWS_REGION=us-east-1",
            "AWS_ENDPOINT_URL_SECRETS_MANAGER=" + sm_.endpoint_url(),
            "AWS_CONFIG_FILE=" + scratch_.path() + "/no-config",
            "AWS_SHARED_CREDENTIALS_FILE=" + scratch_.path() + "/no-credentials",
            "AWS_EC2_METADATA_DISABLED=true",
            "HOME=" + scratch_.path()};
  }

  ProcessResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), kFleetBinary);
    ProcessResult result = testing::RunProcess(args, Env(), scratch_.path(), "");
    EXPECT_TRUE(result.started) << result.error;
    ExpectNoTokenIn(result);
    return result;
  }

  // Every token string seeded or stored in any version, against everything printed.
  void ExpectNoTokenIn(const ProcessResult& result) {
    std::vector<std::string> tokens = tokens_;
    for (const auto& name : sm_.store().SecretNames()) {
      auto state = sm_.store().Inspect(name);
      if (!state) continue;
      for (const auto& version : state->versions) {
        if (!version.value) continue;
        auto parsed = json::parse(version.value->expose(), nullptr, false);
        if (parsed.is_object() && parsed.contains("service_token")) {
          tokens.push_back(parsed["service_token"].get<std::string>());
        }
      }
    }
    for (const auto& token : tokens) {
      EXPECT_EQ(result.out.find(token.substr(5, 20)), std::string::npos) << "token in stdout";
      EXPECT_EQ(result.err.find(token.substr(5, 20)), std::string::npos) << "token in stderr";
    }
  }

  std::optional<std::int64_t> CurrentId(const std::string& name) {
    auto state = sm_.store().Inspect(name);
    if (!state) return std::nullopt;
    for (const auto& version : state->versions) {
      if (version.HasStage("AWSCURRENT") && version.value) {
        return json::parse(version.value->expose())["service_token_id"].get<std::int64_t>();
      }
    }
    return std::nullopt;
  }

  std::uint64_t Requests() { return sm_.log().RequestCount() + dbt_.log().RequestCount(); }

  testing::ScratchDir scratch_;
  emulators::DbtCloudEmulator dbt_;
  emulators::secretsmanager::SecretsManagerEmulator sm_;
  std::int64_t account_ = 0;
  std::vector<std::string> tokens_;
};

TEST_F(FleetCliTest, RotatesEveryEntryAndPrintsOneRowEach) {
  const auto a = Seed("prod/a");
  const auto b = Seed("prod/b");
  Seed("prod/admin");
  const auto runner = Seed("prod/job-runner", {{"job_runner", 3, {}}});
  const auto config = Config(
      "  - secret_id: prod/a\n"
      "  - secret_id: prod/b\n"
      "    name: b\n"
      "  - secret_id: prod/job-runner\n"
      "    manager_secret_id: prod/admin\n");
  auto result = Run({"rotate", "--config", config, "--jobs", "3"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(CurrentId("prod/a"), a);
  EXPECT_NE(CurrentId("prod/b"), b);
  EXPECT_NE(CurrentId("prod/job-runner"), runner);
  EXPECT_NE(result.out.find("prod/a "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\nb "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("3 secrets: 3 rotated"), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("[3/3]"), std::string::npos) << result.err;  // not a terminal
}

TEST_F(FleetCliTest, JsonIsOneReportWithAnEntryPerSecret) {
  Seed("s1");
  Seed("s2");
  auto result = Run({"--quiet", "rotate", "--config",
                     Config("  - secret_id: s1\n  - secret_id: s2\n"), "--output", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto report = json::parse(result.out);
  ASSERT_EQ(report["secrets"].size(), 2U);
  EXPECT_EQ(report["secrets"][0]["name"], "s1");
  EXPECT_EQ(report["secrets"][0]["outcome"], "rotated");
  EXPECT_EQ(report["secrets"][1]["report"]["outcome"], "rotated");
  EXPECT_EQ(report["exit_code"], 0);
  EXPECT_EQ(report["dbt_accounts"][0]["too_many_requests"], 0);
  EXPECT_TRUE(result.err.empty()) << result.err;
}

TEST_F(FleetCliTest, BadFileIsExitTwoNamingTheLineAndNothingIsSent) {
  Seed("s1");
  const auto config = Config("  - secret_id: s1\n    min_age: soon\n");
  auto result = Run({"rotate", "--config", config});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("fleet.yaml:6: secrets[0].min_age"), std::string::npos) << result.err;
  EXPECT_EQ(Requests(), 0U);
  const auto twice = Config("  - secret_id: s1\n  - secret_id: s1\n");
  result = Run({"rotate", "--config", twice});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("already listed at line 5"), std::string::npos) << result.err;
  result = Run({"rotate", "--config", scratch_.path() + "/missing.yaml"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(Requests(), 0U);
}

TEST_F(FleetCliTest, SingleSecretFlagsAndAnEmptySelectionAreUsageErrors) {
  Seed("s1");
  const auto config = Config("  - secret_id: s1\n    tags: [prod]\n");
  auto result = Run({"rotate", "--config", config, "--overlap", "7d"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--overlap cannot be combined with --config"), std::string::npos);
  result = Run({"rotate", "--config", config, "--tag", "staging"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("no entry matches"), std::string::npos) << result.err;
  result = Run({"rotate"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(Requests(), 0U);
}

TEST_F(FleetCliTest, OnlyAndTagSelectEntries) {
  const auto a = Seed("prod/a");
  const auto b = Seed("staging/b");
  const auto c = Seed("prod/c");
  const auto config = Config(
      "  - {secret_id: prod/a, tags: [nightly]}\n"
      "  - {secret_id: staging/b, tags: [nightly]}\n"
      "  - {secret_id: prod/c}\n");
  auto result = Run({"rotate", "--config", config, "--only", "prod/*", "--tag", "nightly"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(CurrentId("prod/a"), a);
  EXPECT_EQ(CurrentId("staging/b"), b);
  EXPECT_EQ(CurrentId("prod/c"), c);
}

TEST_F(FleetCliTest, ARevokedTokenMakesTheFleetExitThreeAndTheOthersStillRotate) {
  const auto a = Seed("a");
  Seed("gone", emulators::DbtAdminGrants(), emulators::kDbtStateDeleted);
  auto result = Run({"rotate", "--config", Config("  - secret_id: gone\n  - secret_id: a\n")});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(CurrentId("a"), a);
  EXPECT_NE(result.out.find("needs_attention"), std::string::npos) << result.out;
}

TEST_F(FleetCliTest, StatusHasOneRowPerSecret) {
  const auto a = Seed("a");
  Seed("b");
  const auto config = Config("  - secret_id: a\n    min_age: 30d\n  - secret_id: b\n");
  auto result = Run({"status", "--config", config});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find(std::to_string(a)), std::string::npos) << result.out;
  result = Run({"status", "--config", config, "--output", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto rows = json::parse(result.out)["secrets"];
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0]["name"], "a");
  EXPECT_EQ(rows[0]["due"], "yes");  // last rotated 2026-01-01, and the emulators run today
  EXPECT_EQ(rows[1]["due"], "yes");  // no min_age: every run rotates
}

// kill -9 while one create of the fleet is held, then run the same command: every secret
// ends on a working token, and no orphan token is left.
TEST_F(FleetCliTest, KilledMidFleetTheSameCommandFinishesEverything) {
  std::vector<std::string> names;
  std::string yaml;
  for (int i = 0; i < 4; ++i) {
    names.push_back("s" + std::to_string(i));
    Seed(names.back());
    yaml += "  - secret_id: " + names.back() + "\n";
  }
  const auto config = Config(yaml);
  dbt_.faults().AddRule(
      emulators::FaultRule::NthOfOperation("create_service_token", 2, emulators::Fault::Hold()));
  const pid_t pid =
      testing::StartProcess({kFleetBinary, "--quiet", "rotate", "--config", config, "--jobs", "2"},
                            Env(), testing::StandardStreams{});
  ASSERT_GT(pid, 0);
  const bool held = dbt_.faults().WaitForHeld(std::chrono::seconds(20));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(held);
  dbt_.faults().Release(emulators::HoldRelease::kApplyThenDrop);

  auto rerun = Run({"rotate", "--config", config, "--output", "json"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  for (const auto& name : names) {
    auto current = CurrentId(name);
    ASSERT_TRUE(current);
    EXPECT_TRUE(dbt_.Token(*current) && dbt_.Token(*current)->state == 1) << name;
  }
  EXPECT_EQ(dbt_.ActiveTokens(account_).size(), names.size());
}

// One request made with `token`: dbt records it as last used.
void UseToken(const std::string& base_url, std::int64_t account, const std::string& token) {
  http::CurlClientOptions options;
  options.no_proxy = true;
  http::CurlClient client(options);
  http::Request request(http::Method::kGet,
                        base_url + "/api/v3/accounts/" + std::to_string(account) + "/");
  request.AddHeader("Authorization", "Token " + token);
  ASSERT_TRUE(client.Send(request));
}

TEST_F(FleetCliTest, AuditFindsUnmanagedAndAdminTokensAndExitsOne) {
  const auto manager = Seed("prod/admin");
  const auto runner = Seed("prod/runner", {{"job_runner", 3, {}}});
  auto stray = dbt_.AddServiceToken(account_, {"stray", {{"developer", 3, {}}}});
  ASSERT_TRUE(stray);
  UseToken(dbt_.base_url(), account_, tokens_[1]);
  const auto config = Config("  - secret_id: prod/runner\n    manager_secret_id: prod/admin\n");
  const std::vector<std::string> base = {"audit", "--account-id", std::to_string(account_),
                                         "--access-url", dbt_.base_url()};
  auto args = base;
  args.insert(args.end(), {"--config", config, "--output", "json"});
  const auto writes_before = dbt_.log().CountFor("create_service_token");
  auto result = Run(args);
  ASSERT_EQ(result.exit_code, 1) << result.out << result.err;
  auto report = json::parse(result.out);
  ASSERT_EQ(report["tokens"].size(), 3U);
  std::map<std::int64_t, json> by_id;
  for (const auto& token : report["tokens"]) by_id[token["id"].get<std::int64_t>()] = token;
  EXPECT_EQ(by_id[manager]["findings"].size(), 0U) << by_id[manager].dump();  // the manager
  EXPECT_EQ(by_id[manager]["managed_by"][0], "prod/admin");
  EXPECT_EQ(by_id[runner]["findings"].size(), 0U) << by_id[runner].dump();
  EXPECT_EQ(by_id[runner]["managed_by"][0], "prod/runner");
  EXPECT_EQ(by_id[stray->id]["findings"], json({"unmanaged", "never used"}));
  EXPECT_EQ(dbt_.log().CountFor("create_service_token"), writes_before);

  // The text table, and exit 0 once the stray token is gone.
  args = base;
  args.insert(args.end(), {"--manager-secret-id", "prod/admin", "--config", config});
  result = Run(args);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("unmanaged; never used"), std::string::npos) << result.out;
  ASSERT_TRUE(dbt_.service().Token(stray->id));
  emulators::DbtRequest revoke;
  revoke.operation = emulators::DbtOperation::kDeleteServiceToken;
  revoke.method = "DELETE";
  revoke.account_id = account_;
  revoke.token_id = stray->id;
  revoke.authorization = "Token " + tokens_[0];
  ASSERT_EQ(dbt_.service().Handle(revoke).status / 100, 2);
  result = Run(args);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

TEST_F(FleetCliTest, AuditWithoutAnActingTokenOrWithBadFlagsIsAUsageError) {
  auto result = Run({"audit", "--account-id", std::to_string(account_), "--access-url",
                     dbt_.base_url(), "--max-age", "a while"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--max-age"), std::string::npos) << result.err;
  result =
      Run({"audit", "--account-id", std::to_string(account_), "--access-url", dbt_.base_url()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("DBT_CLOUD_TOKEN"), std::string::npos) << result.err;
  EXPECT_EQ(Requests(), 0U);
}

TEST(FleetCliEscapeTest, ControlCharactersArePrintedEscaped) {
  EXPECT_EQ(cli::EscapeControl("prod/\x1b[31mred\x07"), "prod/\\x1b[31mred\\x07");
  EXPECT_EQ(cli::EscapeControl("plain/ütf-8"), "plain/ütf-8");
}

}  // namespace
}  // namespace dbtrotate
