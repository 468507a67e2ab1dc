// The invocation loop against a small Runtime API served from the test on loopback
// (cpp-httplib): events handed out with the documented headers, replies recorded.

#include <gtest/gtest.h>
#include <httplib.h>

#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "aws/secretsmanager/api.h"
#include "http/curl_client.h"
#include "lambda/deadline.h"
#include "lambda/function.h"
#include "lambda/runtime_api.h"

namespace dbtrotate::lambda {
namespace {

constexpr char kVersion[] = "0f6c2f0e-7d5b-4c1e-9a0b-3f1e2d4c5b6a";
constexpr char kArn[] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:dbt-AbCdEf";

struct Reply {
  std::string path;
  std::string body;
  std::string error_type;  // Lambda-Runtime-Function-Error-Type
};

class FakeRuntimeApi {
 public:
  FakeRuntimeApi() {
    server_.Get("/2018-06-01/runtime/invocation/next",
                [this](const httplib::Request&, httplib::Response& res) {
                  std::lock_guard lock(mutex_);
                  if (events_.empty()) {
                    res.status = 500;  // nothing left: the loop must stop
                    return;
                  }
                  const std::string id = "req-" + std::to_string(++served_);
                  res.set_header("Lambda-Runtime-Aws-Request-Id", id);
                  res.set_header("Lambda-Runtime-Deadline-Ms", deadline_ms_);
                  res.set_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:fn");
                  res.set_header("Lambda-Runtime-Trace-Id", "Root=1-abc");
                  res.set_content(events_.front(), "application/json");
                  events_.pop_front();
                });
    server_.Post(
        R"(/2018-06-01/runtime/(.*))", [this](const httplib::Request& req, httplib::Response& res) {
          std::lock_guard lock(mutex_);
          replies_.push_back(
              {req.path, req.body, req.get_header_value("Lambda-Runtime-Function-Error-Type")});
          res.status = 202;
        });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeRuntimeApi() {
    server_.stop();
    thread_.join();
  }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }
  void Add(std::string event) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }
  void SetDeadlineMs(std::string value) {
    std::lock_guard lock(mutex_);
    deadline_ms_ = std::move(value);
  }
  std::vector<Reply> replies() {
    std::lock_guard lock(mutex_);
    return replies_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::deque<std::string> events_;
  std::vector<Reply> replies_;
  std::string deadline_ms_ = "32503680000000";  // year 3000
  int served_ = 0;
};

// Secrets Manager answering DescribeSecret only, with the version's labels.
class DescribeOnly final : public aws::SecretsManagerApi {
 public:
  std::vector<std::string> stages = {aws::kStageCurrent};
  bool rotation_enabled = true;
  aws::AwsResult<aws::SecretDescription> DescribeSecret(const std::string&) override {
    aws::SecretDescription description;
    description.arn = kArn;
    description.rotation_enabled = rotation_enabled;
    description.version_ids_to_stages[kVersion] = stages;
    return description;
  }
  aws::AwsResult<aws::SecretValue> GetSecretValue(const aws::GetSecretValueRequest&) override {
    return Fail(aws::Error{aws::ErrorCode::kResourceNotFound, "ResourceNotFoundException", "", 400,
                           "", false});
  }
  aws::AwsResult<aws::PutSecretValueResult> PutSecretValue(
      const aws::PutSecretValueRequest&) override {
    ADD_FAILURE() << "no write expected";
    return Fail(aws::Error{});
  }
  aws::AwsResult<void> UpdateSecretVersionStage(
      const aws::UpdateSecretVersionStageRequest&) override {
    ADD_FAILURE() << "no write expected";
    return Fail(aws::Error{});
  }
  aws::AwsResult<aws::CreateSecretResult> CreateSecret(const aws::CreateSecretRequest&) override {
    return Fail(aws::Error{});
  }
  aws::AwsResult<std::vector<aws::SecretVersion>> ListSecretVersionIds(const std::string&,
                                                                       bool) override {
    return Fail(aws::Error{});
  }
};

std::string LoopEvent(const std::string& step, const std::string& version = kVersion) {
  return nlohmann::json{{"Step", step},
                        {"SecretId", kArn},
                        {"ClientRequestToken", version},
                        {"RotationToken", "rt-SeCrEt-0123456789-0123456789-0123456789"}}
      .dump();
}

class RuntimeLoopTest : public ::testing::Test {
 protected:
  RuntimeLoopTest() : http_(RuntimeHttpOptions("127.0.0.1")), deadline_(clock_, Duration{500}) {
    handler_.deps = [this](rotation::Observer* observer) {
      rotation::EngineDeps deps;
      deps.secrets = &secrets_;
      deps.clock = &clock_;
      deps.random = &random_;
      deps.observer = observer;
      return deps;
    };
    handler_.deadline = &deadline_;
    handler_.clock = &clock_;
    log_ = std::tmpfile();
    handler_.log = log_;
  }
  ~RuntimeLoopTest() override { std::fclose(log_); }

  std::string Log() {
    std::fflush(log_);
    std::rewind(log_);
    std::string text;
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, log_)) text.append(buffer, n);
    return text;
  }

  FakeRuntimeApi runtime_;
  http::CurlClient http_;
  FakeClock clock_{SystemTime(std::chrono::seconds(1'700'000'000))};
  SeededRandom random_{7};
  Deadline deadline_;
  DescribeOnly secrets_;
  Handler handler_;
  std::FILE* log_ = nullptr;
};

TEST_F(RuntimeLoopTest, RepliesToEachInvocationAndStopsWhenTheApiFails) {
  runtime_.Add(LoopEvent("createSecret"));  // already current: success
  runtime_.Add("{not json");            // malformed
  runtime_.Add(LoopEvent("setSecret", "11111111-2222-3333-4444-555555555555"));  // not a version
  auto api = RuntimeApiClient::Create(http_, runtime_.endpoint());
  ASSERT_TRUE(api.has_value()) << api.error();
  EXPECT_EQ(RunLoop(*api, handler_), 1);  // the fourth `next` gets a 500
  const auto replies = runtime_.replies();
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[0].path, "/2018-06-01/runtime/invocation/req-1/response");
  EXPECT_EQ(replies[0].body, "null");
  EXPECT_EQ(replies[1].path, "/2018-06-01/runtime/invocation/req-2/error");
  EXPECT_EQ(replies[1].error_type, "DbtRotate.InvalidEvent");
  auto body = nlohmann::json::parse(replies[1].body);
  EXPECT_EQ(body["errorType"], "DbtRotate.InvalidEvent");
  EXPECT_TRUE(body["errorMessage"].is_string());
  EXPECT_EQ(replies[2].error_type, "DbtRotate.InvalidInput");
  // One JSON object per line, none with the RotationToken.
  const std::string log = Log();
  EXPECT_EQ(log.find("SeCrEt"), std::string::npos);
  std::size_t lines = 0;
  for (std::size_t start = 0, end; (end = log.find('\n', start)) != std::string::npos;
       start = end + 1, ++lines) {
    auto line = nlohmann::json::parse(log.substr(start, end - start), nullptr, false);
    ASSERT_FALSE(line.is_discarded()) << log.substr(start, end - start);
    EXPECT_TRUE(line.contains("event"));
  }
  EXPECT_GE(lines, 4u);
  EXPECT_NE(log.find(R"("step":"createSecret")"), std::string::npos);
  EXPECT_NE(log.find(R"("secret_arn":")"), std::string::npos);
}

TEST_F(RuntimeLoopTest, RotationDisabledIsAnErrorReply) {
  secrets_.rotation_enabled = false;
  secrets_.stages = {aws::kStagePending};
  runtime_.Add(LoopEvent("createSecret"));
  auto api = RuntimeApiClient::Create(http_, runtime_.endpoint());
  ASSERT_TRUE(api.has_value());
  EXPECT_EQ(RunLoop(*api, handler_, 1), 0);
  const auto replies = runtime_.replies();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].error_type, "DbtRotate.InvalidInput");
  EXPECT_NE(replies[0].body.find("RotationEnabled"), std::string::npos);
}

TEST_F(RuntimeLoopTest, ABadConfigurationGoesToTheInitErrorEndpoint) {
  aws::MapEnvironment env{{"AWS_LAMBDA_RUNTIME_API", runtime_.endpoint()},
                          {"AWS_REGION", "us-east-1"},
                          {"DBT_ROTATE_OVERLAP", "sometimes"}};
  EXPECT_EQ(RunFunction(env, log_), 2);
  const auto replies = runtime_.replies();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].path, "/2018-06-01/runtime/init/error");
  EXPECT_EQ(replies[0].error_type, "DbtRotate.InvalidConfiguration");
  EXPECT_NE(replies[0].body.find("DBT_ROTATE_OVERLAP"), std::string::npos);
}

TEST(RuntimeApiTest, TheEndpointMustBeHostAndPort) {
  EXPECT_TRUE(RuntimeApiHost("127.0.0.1:9001").has_value());
  EXPECT_EQ(*RuntimeApiHost("[::1]:9001"), "::1");
  for (const char* bad : {"", "http://127.0.0.1:9001", "127.0.0.1:9001/x", "user@host:1"}) {
    EXPECT_FALSE(RuntimeApiHost(bad).has_value()) << bad;
  }
}

// Records the timeout each request was given.
class TimeoutRecorder final : public http::Client {
 public:
  http::HttpResult Send(const http::Request& request) override {
    timeouts.push_back(request.timeout);
    http::Response response;
    response.status = 200;
    return response;
  }
  std::vector<std::optional<std::chrono::milliseconds>> timeouts;
};

TEST(DeadlineTest, BoundsEveryRequestAndSleepAndSendsNothingPastIt) {
  FakeClock clock(SystemTime(std::chrono::seconds(1'700'000'000)));
  Deadline deadline(clock, Duration{500});
  TimeoutRecorder inner;
  DeadlineClient client(inner, deadline, std::chrono::seconds(30));
  DeadlineClock bounded(deadline);
  http::Request request(http::Method::kGet, "https://example.com/");
  ASSERT_TRUE(client.Send(request).has_value());
  EXPECT_FALSE(inner.timeouts.back().has_value());  // no deadline: untouched
  deadline.Set(clock.Now() + std::chrono::seconds(10));
  ASSERT_TRUE(client.Send(request).has_value());
  EXPECT_EQ(inner.timeouts.back(), std::chrono::milliseconds(9500));
  bounded.SleepFor(std::chrono::seconds(60));
  EXPECT_EQ(clock.TotalSlept(), std::chrono::milliseconds(9500));
  auto late = client.Send(request);
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().kind, http::ErrorKind::kTimeout);
  EXPECT_FALSE(late.error().maybe_sent);
  EXPECT_EQ(inner.timeouts.size(), 2u);
}

}  // namespace
}  // namespace dbtrotate::lambda
