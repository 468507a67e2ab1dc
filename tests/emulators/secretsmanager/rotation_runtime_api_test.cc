// RotateSecret through the Lambda Runtime API emulator: the Secrets Manager emulator's invoker
// is the RuntimeApiEmulator, and a runtime thread speaks the Runtime API over loopback HTTP
// (next, then response or error) with the template-style function behind it. Proves the wiring
// the sandbox and the chroot test rely on, and that a step timeout fails the rotation.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "emulators/lambda/runtime_api_emulator.h"
#include "emulators/secretsmanager/emulator.h"
#include "template_function.h"

namespace dbtrotate::emulators::secretsmanager {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kRuntimeSecretName[] = "dbt/runtime-api";
const std::string kToken = "cccccccc-3333-4333-8333-333333333333";

// A custom runtime's loop, as aws-lambda-cpp writes it; `silent_step` is never answered.
class RuntimeThread {
 public:
  RuntimeThread(lambda::RuntimeApiEmulator& runtime, lambda::FunctionInvoker& function,
                std::string silent_step = "")
      : client_("127.0.0.1", runtime.port()),
        thread_([this, &function, silent = std::move(silent_step)] {
          client_.set_read_timeout(30, 0);  // `next` is a long poll
          while (true) {
            auto next = client_.Get("/2018-06-01/runtime/invocation/next");
            if (!next || next->status != 200) return;  // 500: the emulator stopped
            const std::string id = next->get_header_value("Lambda-Runtime-Aws-Request-Id");
            const auto event = nlohmann::json::parse(next->body);
            if (event.value("Step", "") == silent) continue;
            const lambda::InvokeOutcome outcome = function.Invoke("", next->body);
            const std::string base = "/2018-06-01/runtime/invocation/" + id;
            if (outcome.ok()) {
              client_.Post(base + "/response", outcome.payload, "application/json");
            } else {
              client_.Post(base + "/error",
                           nlohmann::json{{"errorType", outcome.error_type},
                                          {"errorMessage", outcome.error_message}}
                               .dump(),
                           "application/json");
            }
          }
        }) {}
  ~RuntimeThread() { thread_.join(); }
  RuntimeThread(const RuntimeThread&) = delete;
  RuntimeThread& operator=(const RuntimeThread&) = delete;

 private:
  httplib::Client client_;
  std::thread thread_;
};

class RotationRuntimeApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(runtime_.Start().has_value());
    ASSERT_TRUE(sm_.Start().has_value());
    ASSERT_TRUE(sm_.store().SeedSecret(kRuntimeSecretName, R"({"token":"old"})").has_value());
  }
  void TearDown() override {
    sm_.Stop();
    runtime_.Stop();
  }

  RotateSecretInput Input() {
    RotateSecretInput input;
    input.secret_id = kRuntimeSecretName;
    input.client_request_token = kToken;
    input.rotation_lambda_arn = runtime_.function_arn();
    return input;
  }

  static lambda::RuntimeApiEmulatorOptions RuntimeOptions() {
    lambda::RuntimeApiEmulatorOptions options;
    options.timeout = 300ms;
    return options;
  }
  SecretsManagerEmulatorOptions SmOptions() {
    SecretsManagerEmulatorOptions options;
    options.invoker = &runtime_;
    return options;
  }

  lambda::RuntimeApiEmulator runtime_{RuntimeOptions()};
  SecretsManagerEmulator sm_{SmOptions()};
  smtest::TemplateFunction function_{sm_.store()};
};

TEST_F(RotationRuntimeApiTest, TheStepsReachTheRuntimeThroughNextAndTheRotationSucceeds) {
  {
    RuntimeThread runtime_thread(runtime_, function_);
    ASSERT_TRUE(runtime_.WaitForPoll(5s));
    ASSERT_TRUE(sm_.rotation().RotateSecret(Input()).has_value());
    ASSERT_TRUE(sm_.rotation().WaitIdle(10s));
    runtime_.Stop();
  }
  EXPECT_EQ(sm_.rotation().Rotations()[0].state, RotationState::kSucceeded)
      << sm_.rotation().Rotations()[0].failure;
  EXPECT_THAT(function_.Steps(),
              ElementsAre("createSecret", "setSecret", "testSecret", "finishSecret"));
  const auto invocations = runtime_.Invocations();
  ASSERT_EQ(invocations.size(), 4u);
  for (const auto& invocation : invocations) {
    EXPECT_TRUE(invocation.delivered);
    EXPECT_EQ(invocation.outcome.status, lambda::InvokeStatus::kSuccess);
    EXPECT_EQ(nlohmann::json::parse(invocation.event).value("ClientRequestToken", ""), kToken);
  }
  EXPECT_TRUE(sm_.store().Inspect(kRuntimeSecretName)->FindVersion(kToken)->HasStage(kAwsCurrent));
}

TEST_F(RotationRuntimeApiTest, AStepPastTheFunctionTimeoutFailsTheRotationAndLeavesAwsPending) {
  {
    RuntimeThread runtime_thread(runtime_, function_, "testSecret");
    ASSERT_TRUE(runtime_.WaitForPoll(5s));
    ASSERT_TRUE(sm_.rotation().RotateSecret(Input()).has_value());
    ASSERT_TRUE(sm_.rotation().WaitIdle(10s));
    runtime_.Stop();
  }
  const auto rotation = sm_.rotation().Rotations()[0];
  EXPECT_EQ(rotation.state, RotationState::kFailed);
  EXPECT_THAT(rotation.failure, HasSubstr("testSecret failed (timeout): Sandbox.Timedout"));
  const auto state = sm_.store().Inspect(kRuntimeSecretName);
  EXPECT_THAT(state->FindVersion(kToken)->stages, ElementsAre("AWSPENDING"));
  EXPECT_TRUE(state->VersionWithStage(kAwsCurrent)->version_id != kToken);
  // The timed-out step took the function's timeout (300 ms), and the observer-facing record
  // says so.
  ASSERT_EQ(rotation.steps.size(), 3u);
  EXPECT_GE(rotation.steps[2].duration, 300ms);
}

}  // namespace
}  // namespace dbtrotate::emulators::secretsmanager
