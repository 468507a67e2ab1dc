#include "aws/credentials/container_provider.h"

#include <gtest/gtest.h>

#include <atomic>

#include "aws/credentials/test_support.h"

namespace dbtrotate::aws {
namespace {

using testing::FakeHttpClient;
using testing::LoopbackServer;
using testing::MakeResponse;
using testing::TempDir;
using testing::TestHttpClient;
using testing::Utc;

constexpr char kCredentialsJson[] =
    R"({"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"container-secret","Token":"container-token",)"
    R"("Expiration":"2026-08-30T18:00:00Z","RoleArn":"arn:aws:iam::1:role/Task"})";

TEST(ContainerUrlTest, PlainHttpOnlyToTheAllowedHosts) {
  for (const char* ok :
       {"http://127.0.0.1:8080/creds", "http://127.9.9.9/x", "http://localhost/creds",
        "http://LOCALHOST:1/x", "http://[::1]:9/x", "http://169.254.170.2/v2/credentials/x",
        "http://169.254.170.23/v1/credentials", "http://[fd00:ec2::23]/v1/credentials",
        "https://creds.example.com/anything", "https://10.0.0.1/x"}) {
    EXPECT_TRUE(ValidateContainerUrl(ok, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) << ok;
  }
  for (const char* bad : {"http://169.254.169.254/latest", "http://example.com/creds",
                          "http://10.0.0.1/x", "http://[fd00:ec2::254]/x",
                          "http://127.0.0.1.evil.com/", "ftp://127.0.0.1/x", "127.0.0.1/creds"}) {
    EXPECT_FALSE(ValidateContainerUrl(bad, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) << bad;
  }
  auto error =
      ValidateContainerUrl("http://example.com/creds", "AWS_CONTAINER_CREDENTIALS_FULL_URI");
  ASSERT_FALSE(error);
  EXPECT_EQ(
      error.error(),
      "AWS_CONTAINER_CREDENTIALS_FULL_URI uses plain http to host \"example.com\"; plain http "
      "is only allowed to loopback addresses, localhost, 169.254.170.2, 169.254.170.23 and "
      "fd00:ec2::23 (use https for any other host)");
}

class ContainerProviderTest : public ::testing::Test {
 protected:
  ContainerProviderTest() : clock_(Utc(2026, 8, 30, 12, 0, 0)) {
    server_.server().Get("/creds", [this](const httplib::Request& request,
                                          httplib::Response& response) {
      ++hits_;
      {
        std::lock_guard lock(mutex_);
        authorizations_.push_back(request.get_header_value("Authorization"));
        accepts_.push_back(request.get_header_value("Accept"));
      }
      if (hits_ <= failures_before_success_) {
        response.status = failure_status_;
        response.set_content(R"({"code":"Oops","message":"agent not ready"})", "application/json");
        return;
      }
      response.set_content(body_, "application/json");
    });
    server_.Start();
    env_.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server_.base_url() + "/creds");
  }
  ~ContainerProviderTest() override { server_.Stop(); }

  ProbeResult Probe(http::Client& http) {
    return ProbeContainerProvider(env_, http, clock_, ContainerOptions{});
  }

  CredentialsResult ResolveOnce() {
    auto probe = Probe(http_);
    if (!probe) return Fail(probe.error());
    if (!probe->provider) return Fail(CredentialsError{"skipped: " + probe->skip_reason});
    provider_ = std::move(probe->provider);
    return provider_->Resolve();
  }

  FakeClock clock_;
  LoopbackServer server_;
  TestHttpClient http_;
  MapEnvironment env_;
  TempDir dir_;
  std::unique_ptr<CredentialsProvider> provider_;
  std::mutex mutex_;
  std::vector<std::string> authorizations_;
  std::vector<std::string> accepts_;
  std::atomic<int> hits_{0};
  int failures_before_success_ = 0;
  int failure_status_ = 500;
  std::string body_ = kCredentialsJson;
};

TEST_F(ContainerProviderTest, FetchesWithTheAuthorizationToken) {
  env_.Set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic abc123");
  auto result = ResolveOnce();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ((*result)->access_key_id, "ASIACONTAINER");
  EXPECT_EQ((*result)->secret_access_key.expose(), "container-secret");
  EXPECT_EQ((*result)->session_token.expose(), "container-token");
  EXPECT_EQ((*result)->expiration, Utc(2026, 8, 30, 18, 0, 0));
  EXPECT_EQ((*result)->source, "container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI)");
  std::lock_guard lock(mutex_);
  EXPECT_EQ(authorizations_, std::vector<std::string>{"Basic abc123"});
  EXPECT_EQ(accepts_, std::vector<std::string>{"application/json"});
}

TEST_F(ContainerProviderTest, TokenFileIsReadOnEveryFetchAndWinsOverTheVariable) {
  std::string token_file = dir_.Write("eks-pod-identity-token", "first-token");
  env_.Set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file);
  env_.Set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored");
  ASSERT_TRUE(ResolveOnce());
  dir_.Write("eks-pod-identity-token", "rotated-token");
  clock_.Advance(std::chrono::hours(5) + std::chrono::minutes(50));  // 10 min before expiry
  auto again = provider_->Resolve();
  ASSERT_TRUE(again) << again.error().message;
  std::lock_guard lock(mutex_);
  EXPECT_EQ(authorizations_, (std::vector<std::string>{"first-token", "rotated-token"}));
}

TEST_F(ContainerProviderTest, TokenWithLineBreakIsRejected) {
  env_.Set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "abc\r\nX-Injected: 1");
  auto result = ResolveOnce();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("AWS_CONTAINER_AUTHORIZATION_TOKEN contains a CR or LF"),
            std::string::npos);
  EXPECT_EQ(result.error().message.find("abc"), std::string::npos);
  env_.Set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", dir_.Write("token", "tok\n"));
  result = ResolveOnce();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("contains a CR or LF"), std::string::npos);
  EXPECT_EQ(hits_, 0) << "nothing was sent";
}

TEST_F(ContainerProviderTest, MissingTokenFileIsAnError) {
  env_.Set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", dir_.path() + "/missing");
  auto result = ResolveOnce();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
            std::string::npos);
}

TEST_F(ContainerProviderTest, RetriesServerErrorsThreeTimesWithTheInjectedClock) {
  failures_before_success_ = 2;
  auto result = ResolveOnce();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(hits_, 3);
  EXPECT_EQ(clock_.TotalSlept(), std::chrono::seconds(2));
}

TEST_F(ContainerProviderTest, GivesUpAfterThreeAttempts) {
  failures_before_success_ = 100;
  auto result = ResolveOnce();
  ASSERT_FALSE(result);
  EXPECT_EQ(hits_, 3);
  EXPECT_NE(result.error().message.find(
                "returned HTTP 500: {\"code\":\"Oops\",\"message\":\"agent not ready\"}"),
            std::string::npos)
      << result.error().message;
}

TEST_F(ContainerProviderTest, ClientErrorsAreNotRetried) {
  failures_before_success_ = 100;
  failure_status_ = 403;
  auto result = ResolveOnce();
  ASSERT_FALSE(result);
  EXPECT_EQ(hits_, 1);
  EXPECT_NE(result.error().message.find("returned HTTP 403"), std::string::npos);
}

TEST_F(ContainerProviderTest, BadDocuments) {
  for (const auto& [body, expected] : std::vector<std::pair<std::string, std::string>>{
           {"<html>", "is not JSON"},
           {R"({"SecretAccessKey":"s"})", "returned no AccessKeyId"},
           {R"({"AccessKeyId":"a","SecretAccessKey":"s","Expiration":"later"})",
            "Expiration that is not"}}) {
    body_ = body;
    auto result = ResolveOnce();
    ASSERT_FALSE(result) << body;
    EXPECT_NE(result.error().message.find(expected), std::string::npos) << result.error().message;
  }
}

TEST_F(ContainerProviderTest, InvalidHostIsAnErrorBeforeAnyRequest) {
  env_.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://203.0.113.9/creds");
  auto probe = Probe(http_);
  ASSERT_FALSE(probe);
  EXPECT_NE(probe.error().message.find("plain http to host \"203.0.113.9\""), std::string::npos);
}

TEST(ContainerRelativeUriTest, UsesTheEcsAddressAndWinsOverFullUri) {
  FakeClock clock(Utc(2026, 8, 30, 12, 0, 0));
  FakeHttpClient http(
      [](const http::Request&) -> http::HttpResult { return MakeResponse(200, kCredentialsJson); });
  MapEnvironment env({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc-123"},
                      {"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/other"}});
  auto probe = ProbeContainerProvider(env, http, clock);
  ASSERT_TRUE(probe && probe->provider);
  auto result = probe->provider->Resolve();
  ASSERT_TRUE(result) << result.error().message;
  auto requests = http.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].url, "http://169.254.170.2/v2/credentials/abc-123");
  EXPECT_EQ(requests[0].method, http::Method::kGet);
  EXPECT_EQ((*result)->source, "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)");

  env.Set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "v2/no-slash");
  auto bad = ProbeContainerProvider(env, http, clock);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("must start with '/'"), std::string::npos);
}

TEST(ContainerRelativeUriTest, NotConfiguredIsASkip) {
  FakeClock clock(Utc(2026, 8, 30, 12, 0, 0));
  FakeHttpClient http(
      [](const http::Request&) -> http::HttpResult { return MakeResponse(500, ""); });
  MapEnvironment env;
  auto probe = ProbeContainerProvider(env, http, clock);
  ASSERT_TRUE(probe);
  EXPECT_FALSE(probe->provider);
  EXPECT_EQ(probe->skip_reason,
            "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI "
            "is set");
  EXPECT_TRUE(http.requests().empty());
}

}  // namespace
}  // namespace dbtrotate::aws
