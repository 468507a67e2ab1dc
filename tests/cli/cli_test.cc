// The dbt-rotate binary end to end: real processes, real loopback HTTP, both emulators in this
// test process. Checks exit codes, output formats, and that no token string ever appears in
// anything the binary prints.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_fixture.h"

namespace dbtrotate {
namespace {

TEST_F(CliTest, RotatesANotebookSecretAndKeepsUserKeys) {
  auto result = Run({"rotate", "--secret-id", kSecret});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("rotated"), std::string::npos);
  EXPECT_NE(result.err.find("create token"), std::string::npos);  // progress on stderr
  auto active = ActiveTokens();
  ASSERT_EQ(active.size(), 1u);
  EXPECT_NE(active[0].id, admin_id_);
  EXPECT_EQ(active[0].name, "ci-admin");
  auto value = CurrentValue(kSecret);
  EXPECT_EQ(value["service_token_id"], active[0].id);
  EXPECT_EQ(value["team"], "data-platform");
  EXPECT_EQ(value["account_id"], account_);
}

TEST_F(CliTest, JsonOutputIsOneReportObject) {
  auto result = Run({"--quiet", "rotate", "--secret-id", kSecret, "--output", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto report = json::parse(result.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << result.out;
  EXPECT_EQ(report["outcome"], "rotated");
  EXPECT_EQ(report["old_token_id"], admin_id_);
  EXPECT_EQ(report["revoked_token_ids"], json::array({admin_id_}));
  EXPECT_TRUE(report["steps"].is_array());
  EXPECT_GT(report["steps"].size(), 3u);
  EXPECT_LE(
      report["requests"]["secrets_manager"].get<int>() + report["requests"]["dbt_cloud"].get<int>(),
      11);
  EXPECT_TRUE(result.err.empty()) << result.err;  // --quiet
}

TEST_F(CliTest, DryRunWritesNothing) {
  auto result = Run({"rotate", "--secret-id", kSecret, "--dry-run", "--output", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto report = json::parse(result.out);
  EXPECT_EQ(report["outcome"], "planned");
  EXPECT_EQ(report["plan"]["token_name"], "ci-admin");
  EXPECT_EQ(Writes(), 0u);
  EXPECT_EQ(ActiveTokens().size(), 1u);
}

TEST_F(CliTest, MinAgeSkipsAFreshTokenAndForceRotatesIt) {
  ASSERT_EQ(Run({"rotate", "--secret-id", kSecret}).exit_code, 0);
  auto skipped = Run({"rotate", "--secret-id", kSecret, "--min-age", "30d", "--output", "json"});
  ASSERT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_EQ(json::parse(skipped.out)["outcome"], "not_due");
  auto forced =
      Run({"rotate", "--secret-id", kSecret, "--min-age", "30d", "--force", "--output", "json"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(json::parse(forced.out)["outcome"], "rotated");
}

TEST_F(CliTest, StatusReportsTheCurrentToken) {
  auto result = Run({"status", "--secret-id", kSecret, "--output", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto status = json::parse(result.out);
  EXPECT_EQ(status["token_id"], admin_id_);
  EXPECT_EQ(status["authenticates"], "accepted");
  EXPECT_EQ(Writes(), 0u);
}

TEST_F(CliTest, InitReadsTheTokenFromStdinAndRefusesToOverwrite) {
  auto job = dbt_.AddServiceToken(account_, {"job-runner", {{"job_runner", 7, std::nullopt}}});
  ASSERT_TRUE(job);
  tokens_seen_.push_back(std::string(job->token_string.expose()));
  const std::vector<std::string> args = {"init",
                                         "--secret-id",
                                         "dbt/job",
                                         "--token-id",
                                         std::to_string(job->id),
                                         "--access-url",
                                         dbt_.base_url(),
                                         "--account-id",
                                         std::to_string(account_),
                                         "--manager-secret-id",
                                         kSecret};
  auto created = Run(args, {}, std::string(job->token_string.expose()) + "\n");
  ASSERT_EQ(created.exit_code, 0) << created.err;
  auto value = CurrentValue("dbt/job");
  EXPECT_EQ(value["service_token_id"], job->id);
  EXPECT_EQ(value["service_token"], std::string(job->token_string.expose()));

  auto again = Run(args, {}, std::string(job->token_string.expose()) + "\n");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE((again.out + again.err).find("--force"), std::string::npos) << again.err << again.out;
}

TEST_F(CliTest, InitWithoutATokenIsAUsageError) {
  auto result = Run({"init", "--secret-id", "dbt/none", "--token-id", "5", "--access-url",
                     dbt_.base_url(), "--account-id", std::to_string(account_)});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("DBT_CLOUD_TOKEN"), std::string::npos);
}

TEST_F(CliTest, BadInputsAreUsageErrorsAndChangeNothing) {
  struct Case {
    std::vector<std::string> args;
    std::string mentions;
  };
  const std::vector<Case> cases = {
      {{"rotate"}, "--secret-id"},
      {{"rotate", "--secret-id", kSecret, "--overlap", "sometimes"}, "--overlap"},
      {{"rotate", "--secret-id", kSecret, "--min-age", "soon"}, "--min-age"},
      {{"rotate", "--secret-id", kSecret, "--access-url", "http://cloud.getdbt.com"},
       "--access-url"},
      {{"rotate", "--secret-id", kSecret, "--access-url", "not a url"}, "--access-url"},
      {{"rotate", "--secret-id", kSecret, "--permissions", "/nonexistent/grants.yaml"},
       "--permissions"},
      {{"rotate", "--secret-id", kSecret, "--timeout", "0"}, "--timeout"},
      {{"rotate", "--secret-id", kSecret, "--ca-bundle", "/nonexistent/ca.pem"}, "CA bundle"},
      {{"frobnicate"}, "subcommand"},
  };
  for (const auto& c : cases) {
    auto result = Run(c.args);
    EXPECT_EQ(result.exit_code, 2) << c.args.back() << ": " << result.err;
    EXPECT_NE(result.err.find(c.mentions), std::string::npos)
        << c.mentions << " not in: " << result.err;
  }
  EXPECT_EQ(Writes(), 0u);
  EXPECT_EQ(ActiveTokens().size(), 1u);
}

TEST_F(CliTest, MalformedSecretNamesTheKeyAndChangesNothing) {
  ASSERT_TRUE(
      sm_.store().SeedSecret("dbt/bad", R"({"service_token_id": "12", "service_token": "x"})"));
  auto result = Run({"rotate", "--secret-id", "dbt/bad"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE((result.err + result.out).find("service_token_id"), std::string::npos);
  EXPECT_EQ(Writes(), 0u);
}

TEST_F(CliTest, MissingRegionIsAConfigurationError) {
  auto env = Env();
  std::erase_if(env, [](const std::string& e) { return e.rfind("AWS_REGION=", 0) == 0; });
  auto result = Run({"rotate", "--secret-id", kSecret}, env);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("egion"), std::string::npos) << result.err;
}

TEST_F(CliTest, DbtOutageFailsSafelyWithExitOne) {
  dbt_.faults().AddRule(emulators::FaultRule::ForOperation(
      "create_service_token", emulators::Fault::Status(503, "unavailable"), -1));
  auto result = Run({"rotate", "--secret-id", kSecret, "--timeout", "5"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_EQ(CurrentValue(kSecret)["service_token_id"], admin_id_);
  EXPECT_TRUE(dbt_.Token(admin_id_)->state == 1);
}

// Guarantee 3 with the real binary: kill -9 while the create is in flight (the server applies
// it afterwards: the token exists, its string is lost), then run the same command at once.
TEST_F(CliTest, KilledMidCreateTheSameCommandFinishesAtOnce) {
  dbt_.faults().AddRule(
      emulators::FaultRule::ForOperation("create_service_token", emulators::Fault::Hold(), 1));
  const pid_t pid = testing::StartProcess({kBinary, "--quiet", "rotate", "--secret-id", kSecret},
                                          Env(), testing::StandardStreams{});
  ASSERT_GT(pid, 0);
  const bool held = dbt_.faults().WaitForHeld(std::chrono::seconds(20));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(held) << "the run never reached the create";
  dbt_.faults().Release(emulators::HoldRelease::kApplyThenDrop);
  for (int i = 0; i < 200 && ActiveTokens().size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // the server thread applies it
  }
  ASSERT_EQ(ActiveTokens().size(), 2u);  // the old token and the orphan

  auto rerun = Run({"rotate", "--secret-id", kSecret, "--output", "json"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  auto report = json::parse(rerun.out);
  EXPECT_EQ(report["outcome"], "rotated");
  EXPECT_EQ(report["orphans_revoked"].size(), 1u);
  auto active = ActiveTokens();
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(CurrentValue(kSecret)["service_token_id"], active[0].id);
  EXPECT_NE(active[0].id, admin_id_);
}

TEST_F(CliTest, SandboxRotatesEndToEnd) {
  auto result = Run({"sandbox"}, {"PATH=/usr/bin:/bin", "HOME=" + scratch_.path()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("rotated"), std::string::npos);
  EXPECT_NE(result.out.find("authenticates"), std::string::npos);
  EXPECT_NE(result.out.find("deleted (state 2)"), std::string::npos);
  EXPECT_EQ(result.out.find("dbtc_"), std::string::npos);
  EXPECT_EQ(result.err.find("dbtc_"), std::string::npos);
}

TEST_F(CliTest, SandboxLambdaRotatesThroughRotateSecretAndTheFunctionProcess) {
  auto result = Run({"sandbox", "--lambda"}, {"PATH=/usr/bin:/bin", "HOME=" + scratch_.path()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("rotated by the rotation function"), std::string::npos) << result.out;
  for (const char* step : {"createSecret", "setSecret", "testSecret", "finishSecret"}) {
    EXPECT_NE(result.err.find(std::string(step) + " (attempt 1) success"), std::string::npos)
        << step << "\n"
        << result.err;
  }
  // The final state: the new version is AWSCURRENT, its token authenticates, the old is gone.
  EXPECT_NE(result.out.find("AWSCURRENT"), std::string::npos);
  EXPECT_NE(result.out.find("authenticates"), std::string::npos);
  EXPECT_NE(result.out.find("deleted (state 2)"), std::string::npos);
  EXPECT_EQ(result.out.find("dbtc_"), std::string::npos);
  EXPECT_EQ(result.err.find("dbtc_"), std::string::npos);
}

TEST_F(CliTest, EmulateNeedsASecretsFileForTheDbtToken) {
  auto result = Run({"emulate", "dbtcloud"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--secrets-file"), std::string::npos);
}

TEST_F(CliTest, HelpAndVersionExitZero) {
  EXPECT_EQ(Run({"--help"}).exit_code, 0);
  auto version = Run({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("0.1.0"), std::string::npos);
}

}  // namespace
}  // namespace dbtrotate
