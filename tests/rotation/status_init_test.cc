// Status and Init over a World, and the leak check across everything a run prints.

#include <gtest/gtest.h>

#include <chrono>

#include "dbtcloud/grants.h"
#include "fake_world.h"
#include "rotation/iso_time.h"
#include "scenario_fixture.h"

namespace dbtrotate::testing {
namespace {

using rotation::Json;
using rotation::Outcome;

TEST_P(StatusInitScenario, StatusDescribesTheSecret) {
  auto first = SeedSelfRotating();
  auto options = h().Options(kAdminSecret);
  options.overlap = {rotation::OverlapKind::kUntilNext, {}};
  auto rotated = h().Rotate(options);
  ASSERT_EQ(rotated.outcome, Outcome::kRotated);
  world().Clock().Advance(std::chrono::hours(5));

  auto status = Status(kAdminSecret);
  EXPECT_EQ(status.outcome, Outcome::kReported) << status.message;
  EXPECT_EQ(status.token_id, *rotated.new_token_id);
  EXPECT_EQ(status.token_name, kAdminSecret);
  EXPECT_EQ(status.token_active, true);
  EXPECT_EQ(status.authenticates, rotation::StatusReport::Auth::kAccepted);
  ASSERT_TRUE(status.age.has_value());
  EXPECT_EQ(*status.age, std::chrono::hours(5));
  ASSERT_TRUE(status.grants.has_value());
  EXPECT_TRUE(dbtcloud::SameGrants(*status.grants, AdminGrants()));
  EXPECT_EQ(status.previous_token_id, first.id);
  EXPECT_FALSE(status.previous_revoke_after.has_value());
  EXPECT_EQ(status.previous_active, true);
  EXPECT_FALSE(status.pending.has_value());
  EXPECT_FALSE(rotation::FormatStatus(status).empty());
}

TEST_P(StatusInitScenario, StatusForANonAdminTokenThroughAManager) {
  auto manager = h().CreateToken("mgr", AdminGrants());
  h().SeedSecret("mgr", manager, Now());
  auto runner = h().CreateToken("runner", {{"job_runner", 3, std::vector<std::string>{}}});
  h().SeedSecret("runner", runner, Now());
  auto status = Status("runner", "mgr");
  EXPECT_EQ(status.outcome, Outcome::kReported) << status.message;
  EXPECT_EQ(status.authenticates, rotation::StatusReport::Auth::kAccepted);
  EXPECT_EQ(status.token_name, "runner");
}

TEST_P(StatusInitScenario, StatusFlagsARevokedToken) {
  auto old = SeedSelfRotating();
  auto admin = world().DbtFactory()(world().Connection(), world().AdminToken());
  ASSERT_TRUE(admin->DeleteServiceToken(old.id).has_value());
  auto status = Status(kAdminSecret);
  EXPECT_EQ(status.outcome, Outcome::kNeedsAttention);
  EXPECT_EQ(status.authenticates, rotation::StatusReport::Auth::kRejected);
}

TEST_P(StatusInitScenario, InitCreatesASecretThatRotatesWithoutFlags) {
  auto token = h().CreateToken("ci", AdminGrants());
  auto report = h().MakeEngine().Init(Init("ci", token));
  ASSERT_EQ(report.outcome, Outcome::kInitialized) << report.message;
  Json value = h().Current("ci");
  EXPECT_EQ(value["service_token_id"], token.id);
  EXPECT_EQ(value["service_token"], std::string(token.token.expose()));
  EXPECT_EQ(value["account_id"], world().Connection().account_id);
  EXPECT_EQ(value["access_url"], world().Connection().access_url);
  EXPECT_TRUE(value.contains("last_rotated_datetime_utc"));

  rotation::RotateOptions options;
  options.secret_id = "ci";
  options.force = true;
  auto rotated = h().Rotate(options);
  EXPECT_EQ(rotated.outcome, Outcome::kRotated) << rotated.message;
}

TEST_P(StatusInitScenario, InitRefusesToOverwriteUnlessForced) {
  auto first = h().CreateToken("ci", AdminGrants());
  ASSERT_EQ(h().MakeEngine().Init(Init("ci", first)).outcome, Outcome::kInitialized);
  // The user adds a key of their own.
  Json value = h().Current("ci");
  value["owner"] = "data-team";
  value["previous_service_token_id"] = 1;
  aws::PutSecretValueRequest put;
  put.secret_id = "ci";
  put.client_request_token = world().Rand().UuidV4();
  put.secret_string = SecretString(value.dump());
  ASSERT_TRUE(world().Secrets().PutSecretValue(put).has_value());

  auto second = h().CreateToken("ci", AdminGrants());
  auto plan = std::make_shared<FaultPlan>();
  auto refused = h().MakeEngine(plan).Init(Init("ci", second));
  EXPECT_EQ(refused.outcome, Outcome::kInvalidInput);
  EXPECT_NE(refused.message.find("--force"), std::string::npos);
  EXPECT_EQ(plan->writes(), 0);

  auto options = Init("ci", second);
  options.force = true;
  auto forced = h().MakeEngine().Init(options);
  ASSERT_EQ(forced.outcome, Outcome::kInitialized) << forced.message;
  Json after = h().Current("ci");
  EXPECT_EQ(after["service_token_id"], second.id);
  EXPECT_EQ(after["owner"], "data-team");
  EXPECT_FALSE(after.contains("previous_service_token_id"));
}

TEST_P(StatusInitScenario, InitChecksTheTokenFirst) {
  auto token = h().CreateToken("ci", AdminGrants());
  auto options = Init("ci", token);
  options.token = SecretString(std::string("dbtc_") + std::string(50, 'x'));
  auto plan = std::make_shared<FaultPlan>();
  auto report = h().MakeEngine(plan).Init(options);
  EXPECT_EQ(report.outcome, Outcome::kInvalidInput) << report.message;
  EXPECT_EQ(plan->writes(), 0);
  auto admin = world().DbtFactory()(world().Connection(), world().AdminToken());
  ASSERT_TRUE(admin->DeleteServiceToken(token.id).has_value());
  auto revoked = h().MakeEngine(plan).Init(Init("ci", token));
  EXPECT_EQ(revoked.outcome, Outcome::kInvalidInput);
  EXPECT_EQ(plan->writes(), 0);
}

TEST_P(StatusInitScenario, InitOfANonAdminTokenConfirmedByAManager) {
  auto manager = h().CreateToken("mgr", AdminGrants());
  h().SeedSecret("mgr", manager, Now());
  auto runner = h().CreateToken("runner", {{"job_runner", 3, std::vector<std::string>{}}});
  auto options = Init("runner", runner);
  options.manager_secret_id = "mgr";
  auto report = h().MakeEngine().Init(options);
  EXPECT_EQ(report.outcome, Outcome::kInitialized) << report.message;
  EXPECT_TRUE(report.warnings.empty());
}

// Guarantee: no token string in any report, observer line, error or status.
TEST_P(StatusInitScenario, NoTokenStringReachesAnyOutput) {
  std::vector<std::string> text;
  auto collect = [&](const rotation::Report& report, const RecordingObserver& observer) {
    auto lines = AllText(report, observer.lines());
    text.insert(text.end(), lines.begin(), lines.end());
  };
  auto manager = h().CreateToken("mgr", AdminGrants());
  h().SeedSecret("mgr", manager, Now());
  auto token = h().CreateToken("ci", AdminGrants());
  {
    RecordingObserver observer;
    rotation::InitOptions init;
    init.secret_id = "ci";
    init.token_id = token.id;
    init.token = token.token.Clone();
    init.account_id = world().Connection().account_id;
    init.access_url = world().Connection().access_url;
    collect(h().MakeEngine(nullptr, &observer).Init(init), observer);
  }
  auto options = h().Options("ci");
  options.force = true;
  options.overlap = {rotation::OverlapKind::kUntilNext, {}};
  for (bool dry : {true, false, false}) {
    RecordingObserver observer;
    options.dry_run = dry;
    collect(h().Rotate(options, nullptr, &observer), observer);
  }
  // A crash, a takeover and a failing run.
  {
    auto plan = std::make_shared<FaultPlan>();
    plan->Arm(8, FaultKind::kCrashAfter);
    options.dry_run = false;
    EXPECT_THROW(h().Rotate(options, plan), SimulatedCrash);
    RecordingObserver observer;
    options.takeover = true;
    collect(h().Rotate(options, nullptr, &observer), observer);
    options.takeover = false;
  }
  {
    auto plan = std::make_shared<FaultPlan>();
    plan->Arm(9, FaultKind::kErrorAfter);
    RecordingObserver observer;
    collect(h().Rotate(options, plan, &observer), observer);
  }
  {
    rotation::StatusOptions status;
    status.secret_id = "ci";
    status.connection.manager_secret_id = "mgr";
    auto lines = rotation::FormatStatus(h().MakeEngine().Status(status));
    text.insert(text.end(), lines.begin(), lines.end());
  }
  auto tokens = world().AllIssuedTokenStrings();
  if (tokens.empty()) {
    // Without the world's list, check every token the secrets ever held.
    tokens.push_back(std::string(token.token.expose()));
    tokens.push_back(h().Current("ci")["service_token"].get<std::string>());
  }
  ASSERT_GE(text.size(), 20u);
  for (const auto& line : text) {
    for (const auto& secret : tokens) {
      ASSERT_EQ(line.find(secret), std::string::npos) << "token leaked in: " << line;
      // A fragment is a leak too (truncated logging).
      ASSERT_EQ(line.find(secret.substr(5, 12)), std::string::npos) << "token leaked in: " << line;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fakes, StatusInitScenario, ::testing::ValuesIn(FakeWorlds()), WorldName);

}  // namespace
}  // namespace dbtrotate::testing
