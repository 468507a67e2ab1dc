// RotateSecret over real loopback HTTP (signed like botocore): the AWSPENDING stub, the four
// steps in order through the FunctionInvoker, failures that stop the rotation and leave
// AWSPENDING, the "previous rotation isn't complete" refusal, bounded reattempts,
// RotateImmediately=false, CancelRotateSecret, the rotation fields of DescribeSecret, and every
// bad input answered with a clear error and nothing changed.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/random.h"
#include "emulators/secretsmanager/emulator.h"
#include "signed_caller.h"
#include "template_function.h"

namespace dbtrotate::emulators::secretsmanager {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using smtest::BodyJson;
using smtest::MakeCredentials;
using smtest::SignedCaller;
using smtest::TemplateFunction;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

const SystemTime kRotationNow = SystemTime(std::chrono::seconds(1'760'000'000));
constexpr char kRotationAccessKey[] = "AKIDROTATIONTEST";
constexpr char kRotationSecretKey[] = "rotationTestSecretKey/0123456789abcdefghij";
constexpr char kRotationSecretName[] = "dbt/job-runner";
constexpr char kLambda[] = "arn:aws:lambda:us-east-1:123456789012:function:dbt-rotate";
const std::string kRotationToken = "aaaaaaaa-1111-4111-8111-111111111111";
const std::string kRotationToken2 = "bbbbbbbb-2222-4222-8222-222222222222";

class RotationTest : public ::testing::Test {
 protected:
  RotationTest() : clock_(kRotationNow), random_(7), emulator_(Options()), function_(emulator_.store()) {}

  SecretsManagerEmulatorOptions Options() {
    SecretsManagerEmulatorOptions options;
    options.clock = &clock_;
    options.random = &random_;
    return options;
  }

  void SetUp() override {
    emulator_.rotation().SetInvoker(&function_);
    emulator_.AddCredentials(MakeCredentials(kRotationAccessKey, kRotationSecretKey));
    ASSERT_TRUE(emulator_.Start().has_value());
    caller_ = std::make_unique<SignedCaller>(emulator_.endpoint_url(),
                                             MakeCredentials(kRotationAccessKey, kRotationSecretKey), clock_);
    auto seeded = emulator_.store().SeedSecret(kRotationSecretName, R"({"token":"old"})");
    ASSERT_TRUE(seeded.has_value());
    arn_ = seeded->arn;
    first_version_ = *seeded->version_id;
  }

  void TearDown() override { emulator_.Stop(); }

  http::Response Rotate(json body) { return caller_->Call("RotateSecret", body); }

  json RotateOk(json body) {
    http::Response response = Rotate(std::move(body));
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_TRUE(emulator_.rotation().WaitIdle(5s));
    return BodyJson(response);
  }

  json Describe() { return BodyJson(caller_->Call("DescribeSecret", {{"SecretId", kRotationSecretName}})); }

  std::vector<std::string> Stages(const std::string& version_id) {
    auto state = emulator_.store().Inspect(kRotationSecretName);
    const VersionState* version = state ? state->FindVersion(version_id) : nullptr;
    return version ? version->stages : std::vector<std::string>{"<no such version>"};
  }

  void ExpectRefused(json body, const std::string& type, const std::string& message) {
    http::Response response = Rotate(std::move(body));
    EXPECT_EQ(response.status, 400) << response.body;
    const json error = BodyJson(response);
    EXPECT_EQ(error.value("__type", ""), type) << response.body;
    EXPECT_THAT(response.body, HasSubstr(message));
  }

  FakeClock clock_;
  SeededRandom random_;
  SecretsManagerEmulator emulator_;
  TemplateFunction function_;
  std::unique_ptr<SignedCaller> caller_;
  std::string arn_;
  std::string first_version_;
};

TEST_F(RotationTest, RotateSecretRunsTheFourStepsInOrderAndPromotesThePendingVersion) {
  const json answer = RotateOk({{"SecretId", kRotationSecretName},
                                {"ClientRequestToken", kRotationToken},
                                {"RotationLambdaARN", kLambda},
                                {"RotationRules", {{"AutomaticallyAfterDays", 30}}}});
  EXPECT_EQ(answer, (json{{"ARN", arn_}, {"Name", kRotationSecretName}, {"VersionId", kRotationToken}}));

  EXPECT_THAT(function_.Steps(),
              ElementsAre("createSecret", "setSecret", "testSecret", "finishSecret"));
  EXPECT_EQ(function_.last_function_arn(), kLambda);
  const auto events = function_.Events();
  for (const auto& event : events) {
    EXPECT_EQ(event.secret_id, arn_);  // the ARN, whatever the caller named the secret by
    EXPECT_EQ(event.client_request_token, kRotationToken);
    EXPECT_EQ(event.rotation_token, events[0].rotation_token);
    EXPECT_EQ(event.rotation_token.size(), 36u);
  }
  // RotateSecret created the stub with no value; createSecret filled it.
  EXPECT_FALSE(events[0].pending_had_value);
  EXPECT_TRUE(events[1].pending_had_value);

  EXPECT_THAT(Stages(kRotationToken), UnorderedElementsAre("AWSCURRENT", "AWSPENDING"));
  EXPECT_THAT(Stages(first_version_), ElementsAre("AWSPREVIOUS"));
  const json described = Describe();
  EXPECT_EQ(described.value("RotationEnabled", false), true);
  EXPECT_EQ(described.value("RotationLambdaARN", ""), kLambda);
  EXPECT_EQ(described["RotationRules"], (json{{"AutomaticallyAfterDays", 30}}));
  EXPECT_DOUBLE_EQ(described.value("LastRotatedDate", 0.0), 1'760'000'000.0);
  EXPECT_DOUBLE_EQ(described.value("NextRotationDate", 0.0), 1'760'000'000.0 + 30 * 86400.0);
  ASSERT_EQ(emulator_.rotation().Rotations().size(), 1u);
  EXPECT_EQ(emulator_.rotation().Rotations()[0].state, RotationState::kSucceeded);

  // The end state (AWSPENDING on the AWSCURRENT version) allows the next rotation at once,
  // with the stored Lambda ARN and a generated token.
  clock_.Advance(24h);
  const json second = RotateOk({{"SecretId", arn_}});
  const std::string second_token = second.value("VersionId", "");
  EXPECT_EQ(second_token.size(), 36u);
  EXPECT_THAT(Stages(second_token), UnorderedElementsAre("AWSCURRENT", "AWSPENDING"));
  EXPECT_THAT(Stages(kRotationToken), ElementsAre("AWSPREVIOUS"));
  EXPECT_DOUBLE_EQ(Describe().value("LastRotatedDate", 0.0), 1'760'000'000.0 + 86400.0);
}

TEST_F(RotationTest, AFailedStepStopsTheRotationLeavesAwsPendingAndRefusesTheNextRotateSecret) {
  function_.FailStep("testSecret", 1);
  RotateOk({{"SecretId", kRotationSecretName}, {"ClientRequestToken", kRotationToken}, {"RotationLambdaARN", kLambda}});
  EXPECT_THAT(function_.Steps(), ElementsAre("createSecret", "setSecret", "testSecret"));
  EXPECT_THAT(Stages(kRotationToken), ElementsAre("AWSPENDING"));
  EXPECT_THAT(Stages(first_version_), ElementsAre("AWSCURRENT"));
  const json described = Describe();
  EXPECT_FALSE(described.contains("LastRotatedDate"));
  EXPECT_FALSE(described.contains("NextRotationDate"));
  const auto rotations = emulator_.rotation().Rotations();
  ASSERT_EQ(rotations.size(), 1u);
  EXPECT_EQ(rotations[0].state, RotationState::kFailed);
  EXPECT_THAT(rotations[0].failure, HasSubstr("testSecret failed (function error): ValueError"));

  ExpectRefused({{"SecretId", kRotationSecretName}, {"ClientRequestToken", kRotationToken2}}, "InvalidRequestException",
                "A previous rotation isn't complete. That rotation will be reattempted.");
  EXPECT_THAT(Stages(kRotationToken), ElementsAre("AWSPENDING"));
  EXPECT_EQ(emulator_.store().Inspect(kRotationSecretName)->FindVersion(kRotationToken2), nullptr);

  // AWS reattempts later with the same ClientRequestToken; the function resumes from the
  // AWSPENDING value createSecret stored.
  EXPECT_EQ(emulator_.rotation().Reattempt(), 1);
  ASSERT_TRUE(emulator_.rotation().WaitIdle(5s));
  EXPECT_EQ(emulator_.rotation().Rotations()[0].state, RotationState::kSucceeded);
  EXPECT_THAT(Stages(kRotationToken), UnorderedElementsAre("AWSCURRENT", "AWSPENDING"));
  EXPECT_EQ(function_.Events()[3].client_request_token, kRotationToken);
  EXPECT_TRUE(function_.Events()[3].pending_had_value);
  EXPECT_EQ(emulator_.rotation().Reattempt(), 0);
}

TEST_F(RotationTest, EachFailedStepIsRetriedUpToThePolicy) {
  emulator_.rotation().SetPolicy({.attempts_per_step = 3, .rotation_attempts = 1});
  std::vector<std::string> observed;  // written on the runner's thread, read after WaitIdle
  emulator_.rotation().SetObserver(
      [&observed](const RotationRecord& record, const RotationStepRecord& step) {
        observed.push_back(step.step + "#" + std::to_string(step.attempt) + ":" +
                           std::string(lambda::InvokeStatusName(step.outcome.status)) + "/" +
                           std::to_string(record.steps.size()));
      });
  function_.FailStep("createSecret", 2);
  RotateOk({{"SecretId", kRotationSecretName}, {"ClientRequestToken", kRotationToken}, {"RotationLambdaARN", kLambda}});
  EXPECT_THAT(function_.Steps(), ElementsAre("createSecret", "createSecret", "createSecret",
                                             "setSecret", "testSecret", "finishSecret"));
  EXPECT_THAT(observed,
              ElementsAre("createSecret#1:function error/1", "createSecret#2:function error/2",
                          "createSecret#3:success/3", "setSecret#1:success/4",
                          "testSecret#1:success/5", "finishSecret#1:success/6"));
  EXPECT_EQ(emulator_.rotation().Rotations()[0].state, RotationState::kSucceeded);
}

TEST_F(RotationTest, StepRetriesAreBoundedAndTheRotationFailsAfterThem) {
  emulator_.rotation().SetPolicy({.attempts_per_step = 2, .rotation_attempts = 1});
  function_.FailStep("setSecret", 100);
  RotateOk({{"SecretId", kRotationSecretName}, {"ClientRequestToken", kRotationToken}, {"RotationLambdaARN", kLambda}});
  EXPECT_THAT(function_.Steps(), ElementsAre("createSecret", "setSecret", "setSecret"));
  EXPECT_EQ(emulator_.rotation().Rotations()[0].state, RotationState::kFailed);
}

TEST_F(RotationTest, RotationAttemptsRerunTheWholeRotationAfterTheConfiguredWait) {
  emulator_.rotation().SetPolicy(
      {.attempts_per_step = 1, .rotation_attempts = 2, .between_rotation_attempts = 60s});
  function_.FailStep("finishSecret", 1);
  RotateOk({{"SecretId", kRotationSecretName}, {"ClientRequestToken", kRotationToken}, {"RotationLambdaARN", kLambda}});
  EXPECT_THAT(function_.Steps(),
              ElementsAre("createSecret", "setSecret", "testSecret", "finishSecret", "createSecret",
                          "setSecret", "testSecret", "finishSecret"));
  EXPECT_EQ(clock_.TotalSlept(), 60s);
  const auto rotation = emulator_.rotation().Rotations()[0];
  EXPECT_EQ(rotation.state, RotationState::kSucceeded);
  EXPECT_EQ(rotation.runs, 2);
}

TEST_F(RotationTest, RotateImmediatelyFalseRunsOnlyTestSecretAndRemovesTheTestLabel) {
  const json answer =
      RotateOk({{"SecretId", kRotationSecretName},
                {"ClientRequestToken", kRotationToken},
                {"RotationLambdaARN", kLambda},
                {"RotationRules", {{"ScheduleExpression", "rate(10 days)"}, {"Duration", "3h"}}},
                {"RotateImmediately", false}});
  EXPECT_EQ(answer.value("VersionId", ""), kRotationToken);
  EXPECT_THAT(function_.Steps(), ElementsAre("testSecret"));
  EXPECT_TRUE(Stages(kRotationToken).empty());
  EXPECT_THAT(Stages(first_version_), ElementsAre("AWSCURRENT"));
  const json described = Describe();
  EXPECT_EQ(described.value("RotationEnabled", false), true);
  EXPECT_EQ(described["RotationRules"],
            (json{{"ScheduleExpression", "rate(10 days)"}, {"Duration", "3h"}}));
  EXPECT_FALSE(described.contains("LastRotatedDate"));
  // Nothing is left in progress: a real rotation may start.
  RotateOk({{"SecretId", kRotationSecretName}, {"ClientRequestToken", kRotationToken2}});
  EXPECT_THAT(Stages(kRotationToken2), UnorderedElementsAre("AWSCURRENT", "AWSPENDING"));
}

TEST_F(RotationTest, AFinishSecretThatDoesNotPromoteIsAFailedRotation) {
  function_.SkipPromotion(true);
  RotateOk({{"SecretId", kRotationSecretName}, {"ClientRequestToken", kRotationToken}, {"RotationLambdaARN", kLambda}});
  EXPECT_EQ(function_.Steps().size(), 4u);
  const auto rotation = emulator_.rotation().Rotations()[0];
  EXPECT_EQ(rotation.state, RotationState::kFailed);
  EXPECT_THAT(rotation.failure, HasSubstr("AWSCURRENT is not on version " + kRotationToken));
  EXPECT_FALSE(Describe().contains("LastRotatedDate"));
}

TEST_F(RotationTest, WithoutAFunctionTheRotationFailsAndKeepsTheStub) {
  emulator_.rotation().SetInvoker(nullptr);
  RotateOk({{"SecretId", kRotationSecretName}, {"ClientRequestToken", kRotationToken}, {"RotationLambdaARN", kLambda}});
  const auto rotation = emulator_.rotation().Rotations()[0];
  EXPECT_EQ(rotation.state, RotationState::kFailed);
  EXPECT_THAT(rotation.failure, HasSubstr("createSecret failed (unavailable)"));
  EXPECT_THAT(Stages(kRotationToken), ElementsAre("AWSPENDING"));
}

TEST_F(RotationTest, CancelRotateSecretTurnsRotationOffAndNamesThePartialVersion) {
  function_.FailStep("setSecret", 1);
  RotateOk({{"SecretId", kRotationSecretName}, {"ClientRequestToken", kRotationToken}, {"RotationLambdaARN", kLambda}});
  http::Response cancelled = caller_->Call("CancelRotateSecret", {{"SecretId", kRotationSecretName}});
  EXPECT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(BodyJson(cancelled), (json{{"ARN", arn_}, {"Name", kRotationSecretName}, {"VersionId", kRotationToken}}));
  EXPECT_EQ(Describe().value("RotationEnabled", true), false);
  EXPECT_THAT(Stages(kRotationToken), ElementsAre("AWSPENDING"));  // labels stay where they were
  EXPECT_EQ(emulator_.rotation().Reattempt(), 0);          // nothing runs once cancelled
}

TEST_F(RotationTest, BadInputsAreRefusedAndChangeNothing) {
  ExpectRefused({{"SecretId", kRotationSecretName}, {"ClientRequestToken", kRotationToken}}, "InvalidRequestException",
                "No Lambda rotation function ARN is associated with this secret.");
  ExpectRefused(
      {{"SecretId", kRotationSecretName},
       {"RotationLambdaARN", kLambda},
       {"RotationRules", {{"AutomaticallyAfterDays", 7}, {"ScheduleExpression", "rate(7 days)"}}}},
      "InvalidParameterException", "specify both");
  ExpectRefused({{"SecretId", kRotationSecretName},
                 {"RotationLambdaARN", kLambda},
                 {"RotationRules", {{"AutomaticallyAfterDays", 0}}}},
                "com.amazon.coral.validate#ValidationException",
                "rotationRules.automaticallyAfterDays");
  ExpectRefused({{"SecretId", kRotationSecretName},
                 {"RotationLambdaARN", kLambda},
                 {"RotationRules", {{"ScheduleExpression", "every day"}}}},
                "InvalidParameterException", "rate(…) or cron(…)");
  ExpectRefused({{"SecretId", kRotationSecretName},
                 {"RotationLambdaARN", kLambda},
                 {"RotationRules", {{"ScheduleExpression", "rate(2 weeks)"}}}},
                "InvalidParameterException", "rate(N days)");
  ExpectRefused({{"SecretId", kRotationSecretName},
                 {"RotationLambdaARN", kLambda},
                 {"RotationRules", {{"AutomaticallyAfterDays", 7}, {"Duration", "3d"}}}},
                "InvalidParameterException", "Duration");
  ExpectRefused(
      {{"SecretId", kRotationSecretName}, {"RotationLambdaARN", kLambda}, {"ClientRequestToken", "short"}},
      "com.amazon.coral.validate#ValidationException", "clientRequestToken");
  ExpectRefused({{"SecretId", kRotationSecretName}, {"RotationLambdaARN", kLambda}, {"RotationRules", "7 days"}},
                "com.amazon.coral.service#SerializationException", "RotationRules");
  ExpectRefused({{"SecretId", kRotationSecretName}, {"RotationLambdaARN", kLambda}, {"RotateImmediately", "no"}},
                "com.amazon.coral.service#SerializationException", "RotateImmediately");
  ExpectRefused({{"SecretId", "dbt/other"}, {"RotationLambdaARN", kLambda}},
                "ResourceNotFoundException", "can't find the specified secret");
  ExpectRefused(
      {{"SecretId", kRotationSecretName}, {"RotationLambdaARN", kLambda}, {"ClientRequestToken", first_version_}},
      "ResourceExistsException", "already in use");
  ExpectRefused({{"RotationLambdaARN", kLambda}}, "com.amazon.coral.validate#ValidationException",
                "secretId");

  EXPECT_TRUE(emulator_.rotation().WaitIdle(1s));
  EXPECT_TRUE(function_.Steps().empty());
  auto state = emulator_.store().Inspect(kRotationSecretName);
  ASSERT_EQ(state->versions.size(), 1u);
  EXPECT_FALSE(state->rotation_enabled.has_value());
  EXPECT_FALSE(Describe().contains("RotationEnabled"));
}

}  // namespace
}  // namespace dbtrotate::emulators::secretsmanager
