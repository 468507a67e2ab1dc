// The rotation function's steps (issue #9 §2, §7) over the fakes and the emulators.

#include <set>

#include "emulator_world.h"
#include "fake_world.h"
#include "lambda_steps_fixture.h"

namespace dbtrotate::testing {
namespace {

using rotation::Outcome;
using rotation::RotationStep;

TEST_P(LambdaStepsTest, FourStepsRotateAndRevokeTheOldToken) {
  const std::string arn = SeedRotatingSecret();
  ASSERT_TRUE(Rotate(arn, Options()));
  const std::int64_t current = h().CurrentTokenId(kAdminSecret);
  EXPECT_NE(current, old_.id);
  EXPECT_FALSE(h().IsActive(old_.id));
  EXPECT_EQ(h().GrantsOf(current).size(), AdminGrants().size());
  ExpectSettled({current});
  // The event's RotationToken reached PutSecretValue.
  const auto seen = sim_->rotation_tokens_seen();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back(), kRotationToken);
  // The next RotateSecret is accepted: the rotation is over.
  EXPECT_TRUE(sim_->RotateSecret(arn, world().Rand().UuidV4()).has_value());
}

TEST_P(LambdaStepsTest, EveryStepDeliveredTwiceIsANoOpTheSecondTime) {
  const std::string arn = SeedRotatingSecret();
  const std::string token = world().Rand().UuidV4();
  ASSERT_TRUE(sim_->RotateSecret(arn, token));
  for (auto step : kSteps) {
    auto first = Step(step, arn, token, Options());
    ASSERT_TRUE(Succeeded(first)) << (first ? first->message : "crash");
    auto again = Step(step, arn, token, Options());
    ASSERT_TRUE(Succeeded(again)) << (again ? again->message : "crash");
    if (step == RotationStep::kCreateSecret) {
      EXPECT_EQ(again->outcome, Outcome::kNotDue) << again->message;
      EXPECT_EQ(again->new_token_id, first->new_token_id);
    }
  }
  ExpectSettled({h().CurrentTokenId(kAdminSecret)});
  // Every step once more after the end: all succeed without writing.
  auto plan = std::make_shared<FaultPlan>();
  for (auto step : kSteps) EXPECT_TRUE(Succeeded(Step(step, arn, token, Options(), plan)));
  EXPECT_EQ(plan->writes(), 0);
}

TEST_P(LambdaStepsTest, OverlapUntilNextKeepsTwoTokensAndTheNextRotationRevokesTheOldest) {
  const std::string arn = SeedRotatingSecret();
  auto options = Options();
  options.overlap.kind = rotation::OverlapKind::kUntilNext;
  ASSERT_TRUE(Rotate(arn, options));
  const std::int64_t first = h().CurrentTokenId(kAdminSecret);
  ExpectSettled({old_.id, first});
  ASSERT_TRUE(Rotate(arn, options));
  ExpectSettled({first, h().CurrentTokenId(kAdminSecret)});
}

TEST_P(LambdaStepsTest, AForgedSupersededPreviousIsNotRevokedAndNothingIsCreated) {
  // previous_service_token_id written by whoever can write the secret: another team's admin.
  auto victim = h().CreateToken("another-team-admin", AdminGrants());
  old_ = SeedSelfRotating(kAdminSecret, {{"previous_service_token_id", victim.id}});
  sim_->SetRotationEnabled(kAdminSecret, true);
  const std::string arn = h().Describe(kAdminSecret).arn;
  const std::string token = world().Rand().UuidV4();
  ASSERT_TRUE(sim_->RotateSecret(arn, token));
  const auto tokens_before = h().Tokens().size();
  auto create = Step(RotationStep::kCreateSecret, arn, token, Options());
  ASSERT_TRUE(create.has_value());
  EXPECT_EQ(create->outcome, Outcome::kNeedsAttention) << create->message;
  EXPECT_TRUE(h().IsActive(victim.id));
  EXPECT_TRUE(h().IsActive(old_.id));
  EXPECT_EQ(h().Tokens().size(), tokens_before);
}

TEST_P(LambdaStepsTest, CliAndRotationFunctionTakeTurns) {
  const std::string arn = SeedRotatingSecret();
  ASSERT_TRUE(Rotate(arn, Options()));
  auto cli = h().MakeEngine(nullptr).Rotate(h().Options(kAdminSecret));
  ASSERT_EQ(cli.outcome, Outcome::kRotated) << cli.message;
  ASSERT_TRUE(Rotate(arn, Options()));
  cli = h().MakeEngine(nullptr).Rotate(h().Options(kAdminSecret));
  ASSERT_EQ(cli.outcome, Outcome::kRotated) << cli.message;
  ExpectSettled({h().CurrentTokenId(kAdminSecret)});
}

TEST_P(LambdaStepsTest, RotateSecretIsRefusedWhileTheCliHoldsTheLock) {
  const std::string arn = SeedRotatingSecret();
  auto plan = std::make_shared<FaultPlan>();
  bool refused = false;
  plan->before_call = [&](const CallInfo& call) {
    if (call.op == "dbt.CreateServiceToken") {
      refused = !sim_->RotateSecret(arn, world().Rand().UuidV4()).has_value();
    }
  };
  auto report = h().Rotate(h().Options(kAdminSecret), plan);
  EXPECT_EQ(report.outcome, Outcome::kRotated) << report.message;
  EXPECT_TRUE(refused);
  ASSERT_TRUE(Rotate(arn, Options()));
  ExpectSettled({h().CurrentTokenId(kAdminSecret)});
}

TEST_P(LambdaStepsTest, CliRefusesAndStatusShowsARotationInFlight) {
  const std::string arn = SeedRotatingSecret();
  const std::string token = world().Rand().UuidV4();
  ASSERT_TRUE(sim_->RotateSecret(arn, token));
  auto cli_engine = [&](std::shared_ptr<FaultPlan> plan) {
    rotation::EngineDeps deps;
    deps.secrets = sim_.get();
    deps.dbt = world().DbtFactory();
    deps.clock = &world().Clock();
    deps.random = &world().Rand();
    auto faulty = std::make_unique<FaultySecretsManager>(*sim_, plan);
    deps.secrets = faulty.get();
    return std::make_pair(std::move(faulty), rotation::Engine(std::move(deps)));
  };
  for (int stage = 0; stage < 2; ++stage) {
    // Before createSecret (a value-less stub), then after it (the function's stored token).
    if (stage == 1) {
      ASSERT_TRUE(Succeeded(Step(RotationStep::kCreateSecret, arn, token, Options())));
    }
    auto plan = std::make_shared<FaultPlan>();
    auto [secrets, engine] = cli_engine(plan);
    auto report = engine.Rotate(h().Options(kAdminSecret));
    EXPECT_EQ(report.outcome, Outcome::kFailedSafely) << report.message;
    EXPECT_EQ(rotation::ExitCode(report.outcome), 1);
    EXPECT_NE(report.message.find("started by Secrets Manager"), std::string::npos)
        << report.message;
    EXPECT_EQ(plan->writes(), 0);
    rotation::StatusOptions status_options;
    status_options.secret_id = kAdminSecret;
    status_options.connection = h().Options(kAdminSecret).connection;
    auto status = engine.Status(status_options);
    EXPECT_EQ(status.outcome, Outcome::kReported) << status.message;
    ASSERT_TRUE(status.pending.has_value());
    EXPECT_EQ(status.pending->kind, rotation::PendingInfo::Kind::kSecretsManager);
    EXPECT_EQ(status.pending->version_id, token);
  }
  ASSERT_TRUE(Attempt(arn, token, Options()));
  ExpectSettled({h().CurrentTokenId(kAdminSecret)});
}

TEST_P(LambdaStepsTest, BadEventsFailWithoutWriting) {
  const std::string arn = SeedRotatingSecret();
  auto plan = std::make_shared<FaultPlan>();
  // A token that is no version of the secret.
  auto report = Step(RotationStep::kCreateSecret, arn, world().Rand().UuidV4(), Options(), plan);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->outcome, Outcome::kInvalidInput);
  EXPECT_NE(report->message.find("no staged version"), std::string::npos) << report->message;
  // Not a version id at all.
  report = Step(RotationStep::kCreateSecret, arn, "short", Options(), plan);
  EXPECT_EQ(report->outcome, Outcome::kInvalidInput);
  // Rotation disabled.
  const std::string token = world().Rand().UuidV4();
  ASSERT_TRUE(sim_->RotateSecret(arn, token));
  sim_->SetRotationEnabled(arn, false);
  report = Step(RotationStep::kCreateSecret, arn, token, Options(), plan);
  EXPECT_EQ(report->outcome, Outcome::kInvalidInput);
  EXPECT_NE(report->message.find("RotationEnabled"), std::string::npos) << report->message;
  EXPECT_EQ(plan->writes(), 0);
  EXPECT_TRUE(h().CurrentTokenWorks(kAdminSecret));
  EXPECT_EQ(h().ActiveIds(kAdminSecret), std::set<std::int64_t>{old_.id});
}

TEST_P(LambdaStepsTest, ABinarySecretFailsCreateWithoutWriting) {
  if (!world().CreateBinarySecret("binary")) GTEST_SKIP() << "this world cannot store binary";
  sim_->SetRotationEnabled("binary", true);
  const std::string token = world().Rand().UuidV4();
  ASSERT_TRUE(sim_->RotateSecret("binary", token));
  auto plan = std::make_shared<FaultPlan>();
  auto report = Step(RotationStep::kCreateSecret, "binary", token, Options(), plan);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->outcome, Outcome::kInvalidInput) << report->message;
  EXPECT_EQ(plan->writes(), 0);
}

TEST_P(LambdaStepsTest, TheDeadlineStopsAStepBeforePromotionAndTheRetryFinishes) {
  const std::string arn = SeedRotatingSecret();
  const std::string token = world().Rand().UuidV4();
  ASSERT_TRUE(sim_->RotateSecret(arn, token));
  for (auto step :
       {RotationStep::kCreateSecret, RotationStep::kSetSecret, RotationStep::kTestSecret}) {
    ASSERT_TRUE(Succeeded(Step(step, arn, token, Options())));
  }
  auto options = Options();
  options.deadline = Now() + std::chrono::seconds(10);
  auto plan = std::make_shared<FaultPlan>();
  plan->after_call = [&](const CallInfo& call) {
    if (call.op == "dbt.GetServiceToken") world().Clock().Advance(std::chrono::seconds(8));
  };
  auto report = Step(RotationStep::kFinishSecret, arn, token, options, plan);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->outcome, Outcome::kFailedSafely) << report->message;
  EXPECT_NE(report->message.find("deadline"), std::string::npos) << report->message;
  EXPECT_EQ(h().CurrentTokenId(kAdminSecret), old_.id);
  EXPECT_TRUE(h().CurrentTokenWorks(kAdminSecret));
  ASSERT_TRUE(Attempt(arn, token, Options()));
  ExpectSettled({h().CurrentTokenId(kAdminSecret)});
}

TEST_P(LambdaStepsTest, AFailedVerificationRollsBackAndTheNextRotationWorks) {
  const std::string arn = SeedRotatingSecret();
  const std::string token = world().Rand().UuidV4();
  ASSERT_TRUE(sim_->RotateSecret(arn, token));
  ASSERT_TRUE(Succeeded(Step(RotationStep::kCreateSecret, arn, token, Options())));
  auto options = Options();
  options.grants = std::vector<dbtcloud::PermissionGrant>{
      {"account_admin", std::nullopt, std::vector<std::string>{}},
      {"developer", 7, std::vector<std::string>{}}};
  auto report = Step(RotationStep::kTestSecret, arn, token, options);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->outcome, Outcome::kFailedSafely) << report->message;
  EXPECT_EQ(report->revoked_token_ids.size(), 1u);
  ExpectSettled({old_.id});
  ASSERT_TRUE(Rotate(arn, Options()));
  ExpectSettled({h().CurrentTokenId(kAdminSecret)});
}

INSTANTIATE_TEST_SUITE_P(Fakes, LambdaStepsTest, ::testing::ValuesIn(FakeWorlds()), WorldName);
INSTANTIATE_TEST_SUITE_P(Emulators, LambdaStepsTest, ::testing::ValuesIn(EmulatorWorlds()),
                         WorldName);

}  // namespace
}  // namespace dbtrotate::testing
