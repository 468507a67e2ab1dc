// The Runtime API emulator over real loopback HTTP, driven by a fake runtime written the way
// aws-lambda-cpp's loop is (next, then response or error), with cpp-httplib as its client.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "core/clock.h"
#include "emulators/lambda/runtime_api_emulator.h"

namespace dbtrotate::emulators::lambda {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr char kEvent[] =
    R"({"Step":"createSecret","SecretId":"arn:aws:secretsmanager:us-east-1:123456789012:)"
    R"(secret:app-AbCdEf","ClientRequestToken":"0f0e0d0c-0b0a-4909-8807-060504030201"})";

struct Delivered {
  int status = 0;
  std::string request_id;
  std::string deadline_ms;
  std::string function_arn;
  std::string trace_id;
  std::string body;
};

class RuntimeApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RuntimeApiEmulatorOptions options;
    options.clock = &clock_;
    options.timeout = 2s;
    options.max_response_bytes = 1024;
    runtime_ = std::make_unique<RuntimeApiEmulator>(options);
    ASSERT_TRUE(runtime_->Start().has_value());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", runtime_->port());
    client_->set_read_timeout(5, 0);
  }
  void TearDown() override { runtime_->Stop(); }

  // One `next` call, as a runtime makes it.
  Delivered Next() {
    Delivered out;
    auto result = client_->Get("/2018-06-01/runtime/invocation/next");
    if (!result) return out;
    out.status = result->status;
    out.request_id = result->get_header_value("Lambda-Runtime-Aws-Request-Id");
    out.deadline_ms = result->get_header_value("Lambda-Runtime-Deadline-Ms");
    out.function_arn = result->get_header_value("Lambda-Runtime-Invoked-Function-Arn");
    out.trace_id = result->get_header_value("Lambda-Runtime-Trace-Id");
    out.body = result->body;
    return out;
  }

  int Post(const std::string& path, const std::string& body, const httplib::Headers& headers = {}) {
    auto result = client_->Post(path, headers, body, "application/json");
    return result ? result->status : -1;
  }

  std::future<InvokeOutcome> InvokeAsync(std::chrono::milliseconds timeout = 2s) {
    return std::async(std::launch::async,
                      [this, timeout] { return runtime_->InvokeWithTimeout(kEvent, timeout); });
  }

  FakeClock clock_{SystemTime(std::chrono::seconds(1'700'000'000))};
  std::unique_ptr<RuntimeApiEmulator> runtime_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(RuntimeApiTest, NextDeliversTheEventWithLambdaHeadersAndResponseCompletesIt) {
  auto outcome = InvokeAsync();
  const Delivered delivered = Next();
  EXPECT_EQ(delivered.status, 200);
  EXPECT_EQ(delivered.body, kEvent);
  EXPECT_EQ(delivered.request_id.size(), 36u);
  EXPECT_EQ(delivered.deadline_ms, "1700000002000");  // the injected clock + the 2 s timeout
  EXPECT_EQ(delivered.function_arn, runtime_->function_arn());
  EXPECT_EQ(delivered.trace_id.rfind("Root=1-", 0), 0u);

  EXPECT_EQ(Post("/2018-06-01/runtime/invocation/" + delivered.request_id + "/response", "null"),
            202);
  const InvokeOutcome result = outcome.get();
  EXPECT_EQ(result.status, InvokeStatus::kSuccess);
  EXPECT_EQ(result.payload, "null");
  // Answered once: a second answer for the same id is refused.
  EXPECT_EQ(Post("/2018-06-01/runtime/invocation/" + delivered.request_id + "/response", "{}"),
            400);
  ASSERT_EQ(runtime_->Invocations().size(), 1u);
  EXPECT_TRUE(runtime_->Invocations()[0].delivered);
  EXPECT_EQ(runtime_->log().CountFor("next"), 1u);
}

TEST_F(RuntimeApiTest, ErrorBodyBecomesAFunctionError) {
  auto outcome = InvokeAsync();
  const Delivered delivered = Next();
  EXPECT_EQ(Post("/2018-06-01/runtime/invocation/" + delivered.request_id + "/error",
                 R"({"errorMessage":"dbt said 403","errorType":"DbtRotate.NeedsAttention",)"
                 R"("stackTrace":[]})",
                 {{"Lambda-Runtime-Function-Error-Type", "Runtime.Other"}}),
            202);
  const InvokeOutcome result = outcome.get();
  EXPECT_EQ(result.status, InvokeStatus::kFunctionError);
  EXPECT_EQ(result.error_type, "DbtRotate.NeedsAttention");
  EXPECT_EQ(result.error_message, "dbt said 403");
}

TEST_F(RuntimeApiTest, ErrorTypeFallsBackToTheHeaderWhenTheBodyIsNotJson) {
  auto outcome = InvokeAsync();
  const Delivered delivered = Next();
  EXPECT_EQ(Post("/2018-06-01/runtime/invocation/" + delivered.request_id + "/error", "boom",
                 {{"Lambda-Runtime-Function-Error-Type", "Runtime.UnknownReason"}}),
            202);
  const InvokeOutcome result = outcome.get();
  EXPECT_EQ(result.status, InvokeStatus::kFunctionError);
  EXPECT_EQ(result.error_type, "Runtime.UnknownReason");
}

TEST_F(RuntimeApiTest, AnInvocationPastItsDeadlineIsATimeoutAndALateAnswerIsRefused) {
  auto outcome = InvokeAsync(150ms);
  const Delivered delivered = Next();
  const InvokeOutcome result = outcome.get();
  EXPECT_EQ(result.status, InvokeStatus::kTimeout);
  EXPECT_EQ(result.error_type, "Sandbox.Timedout");
  EXPECT_NE(result.error_message.find("Task timed out after 0.15 seconds"), std::string::npos);
  EXPECT_EQ(Post("/2018-06-01/runtime/invocation/" + delivered.request_id + "/response", "{}"),
            400);
}

TEST_F(RuntimeApiTest, AnEventNobodyTakesTimesOutAndIsNotDeliveredLater) {
  EXPECT_EQ(runtime_->InvokeWithTimeout(kEvent, 100ms).status, InvokeStatus::kTimeout);
  // The next runtime gets the next event, not the expired one.
  auto outcome = InvokeAsync();
  const Delivered delivered = Next();
  EXPECT_EQ(Post("/2018-06-01/runtime/invocation/" + delivered.request_id + "/response", "1"), 202);
  EXPECT_EQ(outcome.get().payload, "1");
  ASSERT_EQ(runtime_->Invocations().size(), 2u);
  EXPECT_FALSE(runtime_->Invocations()[0].delivered);
}

TEST_F(RuntimeApiTest, InitErrorFailsTheWaitingInvocationOnceThenTheNextOneRuns) {
  auto outcome = InvokeAsync();
  EXPECT_EQ(Post("/2018-06-01/runtime/init/error",
                 R"({"errorMessage":"AWS_REGION is not set","errorType":"DbtRotate.Config"})"),
            202);
  const InvokeOutcome result = outcome.get();
  EXPECT_EQ(result.status, InvokeStatus::kInitError);
  EXPECT_EQ(result.error_type, "DbtRotate.Config");
  EXPECT_EQ(result.error_message, "AWS_REGION is not set");
  EXPECT_FALSE(runtime_->pending_init_error().has_value());

  auto second = InvokeAsync();
  const Delivered delivered = Next();
  EXPECT_EQ(Post("/2018-06-01/runtime/invocation/" + delivered.request_id + "/response", "2"), 202);
  EXPECT_EQ(second.get().status, InvokeStatus::kSuccess);
}

TEST_F(RuntimeApiTest, InitErrorBeforeAnyInvocationIsReportedByTheNextInvoke) {
  EXPECT_EQ(Post("/2018-06-01/runtime/init/error", R"({"errorMessage":"x","errorType":"T"})"), 202);
  ASSERT_TRUE(runtime_->pending_init_error().has_value());
  EXPECT_EQ(runtime_->InvokeWithTimeout(kEvent, 1s).status, InvokeStatus::kInitError);
}

TEST_F(RuntimeApiTest, RuntimeExitFailsTheInFlightInvocation) {
  auto outcome = InvokeAsync();
  const Delivered delivered = Next();
  ASSERT_EQ(delivered.status, 200);
  runtime_->RuntimeExited("killed by signal 9");
  const InvokeOutcome result = outcome.get();
  EXPECT_EQ(result.status, InvokeStatus::kRuntimeExited);
  EXPECT_EQ(result.error_type, "Runtime.ExitError");
  EXPECT_NE(result.error_message.find("killed by signal 9"), std::string::npos);
}

TEST_F(RuntimeApiTest, OversizedResponseIs413AndFailsTheInvocation) {
  auto outcome = InvokeAsync();
  const Delivered delivered = Next();
  EXPECT_EQ(Post("/2018-06-01/runtime/invocation/" + delivered.request_id + "/response",
                 std::string(2048, 'x')),
            413);
  const InvokeOutcome result = outcome.get();
  EXPECT_EQ(result.status, InvokeStatus::kFunctionError);
  EXPECT_EQ(result.error_type, "Function.ResponseSizeTooLarge");
}

TEST_F(RuntimeApiTest, UnknownRequestIdAndUnknownPathAreRefused) {
  EXPECT_EQ(Post("/2018-06-01/runtime/invocation/nope/response", "{}"), 400);
  EXPECT_EQ(Post("/2018-06-01/runtime/invocation/nope/error", "{}"), 400);
  EXPECT_EQ(Post("/2018-06-01/runtime/elsewhere", "{}"), 404);
}

TEST_F(RuntimeApiTest, InvokeByArnChecksTheFunction) {
  const InvokeOutcome wrong = runtime_->Invoke("arn:aws:lambda:us-east-1:1:function:other", kEvent);
  EXPECT_EQ(wrong.status, InvokeStatus::kUnavailable);
  EXPECT_TRUE(runtime_->Invocations().empty());
}

TEST_F(RuntimeApiTest, WaitForPollSeesTheRuntimeAndStopEndsTheLongPoll) {
  EXPECT_FALSE(runtime_->WaitForPoll(50ms));
  EXPECT_FALSE(runtime_->first_poll_at().has_value());
  auto poller = std::async(std::launch::async, [this] { return Next(); });
  EXPECT_TRUE(runtime_->WaitForPoll(2s));
  EXPECT_TRUE(runtime_->first_poll_at().has_value());
  runtime_->Stop();
  const Delivered delivered = poller.get();
  // Either the 500 "runtime should exit" answer or the connection closed by the stop.
  EXPECT_TRUE(delivered.status == 500 || delivered.status == 0) << delivered.status;
  EXPECT_EQ(runtime_->InvokeWithTimeout(kEvent, 1s).status, InvokeStatus::kUnavailable);
}

}  // namespace
}  // namespace dbtrotate::emulators::lambda
