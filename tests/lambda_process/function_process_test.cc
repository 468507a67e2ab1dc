// The rotation function as Lambda runs it: this build's `dbt-rotate lambda` process, polling the
// Runtime API emulator, driven by RotateSecret in the Secrets Manager emulator, which retries a
// failed step as AWS does (issue #9 §7). Each scenario interrupts one step for real: the process
// is SIGKILLed while its dbt request is held by the emulator (which then applies it or not), or
// dbt answers a step with 5xx, 429 or a lost reply. A fresh process takes the retried step.
// Every scenario ends with: the rotation succeeded, AWSCURRENT authenticates, exactly one live
// token in the account (no orphan, the old one revoked), and no token string in any output.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "emulators/dbtcloud/dbtcloud_emulator.h"
#include "emulators/lambda/runtime_api_emulator.h"
#include "emulators/secretsmanager/emulator.h"
#include "support/process_runner.h"
#include "support/runtime_process.h"

namespace dbtrotate {
namespace {

using namespace std::chrono_literals;
using emulators::Fault;
using emulators::FaultRule;
using emulators::HoldRelease;
using testing::RuntimeProcess;
using testing::ScratchDir;
namespace sm = emulators::secretsmanager;

constexpr char kSecretId[] = "dbt/admin";
constexpr char kVersion[] = "c0ffee00-2222-4222-8222-222222222222";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One process-level scenario: in `step`, the dbt request `operation` is held and the process
// killed (then the request applied or dropped), or it meets `fault` instead (no kill).
struct Scenario {
  std::string name;
  std::string step;
  std::string operation;
  bool kill = false;
  HoldRelease release = HoldRelease::kApply;
  Fault fault;
};

class FunctionProcessTest : public ::testing::TestWithParam<Scenario> {
 protected:
  void SetUp() override {
    ASSERT_FALSE(scratch_.path().empty());
    ASSERT_TRUE(dbt_.Start().has_value());
    account_ = dbt_.CreateAccount("Lambda Analytics");
    auto admin = dbt_.AddServiceToken(account_, {"dbt_admin", emulators::DbtAdminGrants()});
    ASSERT_TRUE(admin.has_value()) << admin.error();
    old_token_ = std::string(admin->token_string.expose());

    emulators::lambda::RuntimeApiEmulatorOptions runtime_options;
    runtime_options.timeout = 30s;
    runtime_ = std::make_unique<emulators::lambda::RuntimeApiEmulator>(runtime_options);
    ASSERT_TRUE(runtime_->Start().has_value());

    credentials_.access_key_id = "AKIAFUNCTIONPROCESS1";
    credentials_.secret_access_key =
        SecretString(std::string("functionProcessTestSecretKey/0123456789"));
    sm::SecretsManagerEmulatorOptions sm_options;
    sm_options.invoker = runtime_.get();
    sm_options.rotation_policy.attempts_per_step = 3;  // Lambda retries a failed invocation
    sm_ = std::make_unique<sm::SecretsManagerEmulator>(sm_options);
    sm_->AddCredentials(credentials_);
    ASSERT_TRUE(sm_->Start().has_value());
    auto seeded = sm_->store().SeedSecret(
        kSecretId, nlohmann::json{{"service_token_id", admin->id},
                                  {"service_token", old_token_},
                                  {"last_rotated_datetime_utc", "2026-01-01T00:00:00+00:00"}}
                       .dump());
    ASSERT_TRUE(seeded.has_value());
  }

  void TearDown() override {
    if (sm_) sm_->rotation().SetObserver(nullptr);
    if (runtime_) runtime_->Stop();  // `next` answers 500: a live runtime exits by itself
    processes_.clear();              // kills what is left and reaps it
  }

  std::vector<std::string> Environment() const {
    return {"AWS_LAMBDA_RUNTIME_API=" + runtime_->address(),
            "AWS_LAMBDA_FUNCTION_NAME=dbt-rotate",
            "AWS_REGION=us-east-1",
            "AWS_ACCESS_KEY_ID=" + credentials_.access_key_id,
            "AWS_SECRET_ACCESS_KEY=" + std::string(credentials_.secret_access_key.expose()),
            "AWS_ENDPOINT_URL_SECRETS_MANAGER=" + sm_->endpoint_url(),
            "AWS_CONFIG_FILE=/nonexistent/config",
            "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/credentials",
            "AWS_EC2_METADATA_DISABLED=true",
            "DBT_CLOUD_HOST=" + dbt_.base_url(),
            "DBT_CLOUD_ACCOUNT_ID=" + std::to_string(account_),
            "TZ=:UTC",
            "PATH=/usr/bin:/bin"};
  }

  // Starts `dbt-rotate lambda` and waits until it polls `next`.
  RuntimeProcess& StartFunction() {
    const std::string name = "function" + std::to_string(processes_.size() + 1);
    outputs_.push_back(scratch_.path() + "/" + name);
    std::string error;
    const pid_t pid = testing::StartProcess(
        {DBTROTATE_BINARY_DIR "/dbt-rotate", "lambda"}, Environment(),
        {"/dev/null", outputs_.back() + ".out", outputs_.back() + ".err"}, &error);
    EXPECT_GT(pid, 0) << error;
    processes_.push_back(std::make_unique<RuntimeProcess>(*runtime_, pid));
    EXPECT_TRUE(runtime_->WaitForPoll(10s)) << name << " never called next";
    return *processes_.back();
  }

  // Arms `rule` on dbt once the step before `step` has succeeded (at once for createSecret).
  void ArmBefore(const std::string& step, FaultRule rule) {
    static const std::vector<std::string> kSteps = {"createSecret", "setSecret", "testSecret",
                                                    "finishSecret"};
    if (step == kSteps.front()) {
      dbt_.faults().AddRule(std::move(rule));
      return;
    }
    std::string previous;
    for (std::size_t i = 1; i < kSteps.size(); ++i) {
      if (kSteps[i] == step) previous = kSteps[i - 1];
    }
    auto armed = std::make_shared<std::once_flag>();
    sm_->rotation().SetObserver([this, previous, rule, armed](const sm::RotationRecord&,
                                                              const sm::RotationStepRecord& done) {
      if (done.step == previous && done.outcome.ok()) {
        std::call_once(*armed, [&] { dbt_.faults().AddRule(rule); });
      }
    });
  }

  void RotateSecret() {
    sm::RotateSecretInput input;
    input.secret_id = kSecretId;
    input.client_request_token = kVersion;
    input.rotation_lambda_arn = runtime_->function_arn();
    ASSERT_TRUE(sm_->rotation().RotateSecret(input).has_value());
  }

  std::string AllOutput() const {
    std::string text;
    for (const auto& output : outputs_) {
      text += ReadFile(output + ".out") + ReadFile(output + ".err");
    }
    return text;
  }

  // The end state every scenario must reach.
  void ExpectRotatedCleanly() {
    const auto rotations = sm_->rotation().Rotations();
    ASSERT_EQ(rotations.size(), 1u);
    ASSERT_EQ(rotations[0].state, sm::RotationState::kSucceeded)
        << rotations[0].failure << "\nfunction output:\n"
        << AllOutput();
    auto state = sm_->store().Inspect(kSecretId);
    ASSERT_TRUE(state.has_value());
    const auto* current = state->VersionWithStage("AWSCURRENT");
    ASSERT_NE(current, nullptr);
    EXPECT_EQ(current->version_id, kVersion);
    const auto value = nlohmann::json::parse(current->value->expose());
    const std::string new_token = value.value("service_token", "");
    EXPECT_TRUE(dbt_.Authenticates(SecretString::CopyOf(new_token)));
    EXPECT_FALSE(dbt_.Authenticates(SecretString::CopyOf(old_token_)));
    const auto active = dbt_.ActiveTokens(account_);
    ASSERT_EQ(active.size(), 1u) << "an orphan or the old token is still live";
    EXPECT_EQ(active[0].id, value.value("service_token_id", std::int64_t{0}));
    const std::string output = AllOutput();
    EXPECT_EQ(output.find(old_token_), std::string::npos);
    EXPECT_EQ(output.find(new_token), std::string::npos);
    EXPECT_EQ(output.find("dbtc_"), std::string::npos);
  }

  ScratchDir scratch_;
  emulators::DbtCloudEmulator dbt_;
  std::int64_t account_ = 0;
  std::string old_token_;
  aws::Credentials credentials_;
  std::unique_ptr<emulators::lambda::RuntimeApiEmulator> runtime_;
  std::unique_ptr<sm::SecretsManagerEmulator> sm_;
  std::vector<std::string> outputs_;
  std::vector<std::unique_ptr<RuntimeProcess>> processes_;
};

TEST_P(FunctionProcessTest, TheRetriedStepFinishesTheRotation) {
  const Scenario& scenario = GetParam();
  if (scenario.kill) {
    ArmBefore(scenario.step, FaultRule::ForOperation(scenario.operation, Fault::Hold()));
  } else {
    ArmBefore(scenario.step, FaultRule::ForOperation(scenario.operation, scenario.fault));
  }
  RuntimeProcess& first = StartFunction();
  RotateSecret();
  if (scenario.kill) {
    ASSERT_TRUE(dbt_.faults().WaitForHeld(60s))
        << scenario.operation << " was never sent in " << scenario.step;
    first.Kill();  // mid-step: the emulator holds the request the process was waiting on
    dbt_.faults().Release(scenario.release);
    StartFunction();
  }
  ASSERT_TRUE(sm_->rotation().WaitIdle(120s));
  ExpectRotatedCleanly();
  EXPECT_EQ(dbt_.faults().PendingRules(), 0u) << "the fault never fired in " << scenario.step;
  if (scenario.kill) {
    int attempts = 0;
    const auto rotations = sm_->rotation().Rotations();
    for (const auto& step : rotations[0].steps) {
      if (step.step == scenario.step) attempts = std::max(attempts, step.attempt);
    }
    EXPECT_GE(attempts, 2) << scenario.step << " was not delivered again after the kill";
  }
}

// Names the scenario in test output instead of dumping its bytes.
void PrintTo(const Scenario& scenario, std::ostream* out) { *out << scenario.name; }

Fault RateLimited() {
  return Fault::Status(429, R"({"status":{"code":429,"is_success":false}})",
                       {{"Retry-After", "1"}});
}

INSTANTIATE_TEST_SUITE_P(
    Scenarios, FunctionProcessTest,
    ::testing::Values(
        Scenario{"KilledInCreateCreateApplied", "createSecret", "create_service_token", true,
                 HoldRelease::kApply, {}},
        Scenario{"KilledInCreateCreateLost", "createSecret", "create_service_token", true,
                 HoldRelease::kDrop, {}},
        Scenario{"KilledInCreateWhileReading", "createSecret", "list_service_tokens", true,
                 HoldRelease::kApply, {}},
        Scenario{"KilledInTestWhileVerifying", "testSecret", "get_service_token", true,
                 HoldRelease::kApply, {}},
        Scenario{"KilledInFinishRevokeApplied", "finishSecret", "delete_service_token", true,
                 HoldRelease::kApply, {}},
        Scenario{"KilledInFinishRevokeLost", "finishSecret", "delete_service_token", true,
                 HoldRelease::kDrop, {}},
        Scenario{"CreateAnswered503", "createSecret", "create_service_token", false,
                 HoldRelease::kApply, Fault::Status(503)},
        Scenario{"CreateReplyLost", "createSecret", "create_service_token", false,
                 HoldRelease::kApply, Fault::ApplyThenDrop()},
        Scenario{"ListRateLimited", "createSecret", "list_service_tokens", false,
                 HoldRelease::kApply, RateLimited()},
        Scenario{"VerifyAnswered500", "testSecret", "get_service_token", false,
                 HoldRelease::kApply, Fault::Status(500)},
        Scenario{"RevokeReplyLost", "finishSecret", "delete_service_token", false,
                 HoldRelease::kApply, Fault::ApplyThenDrop()}),
    [](const ::testing::TestParamInfo<Scenario>& param) { return param.param.name; });

}  // namespace
}  // namespace dbtrotate
