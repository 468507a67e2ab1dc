#include "aws/credentials/imds_provider.h"

#include <gtest/gtest.h>

#include <atomic>

#include "aws/credentials/fake_imds.h"
#include "aws/credentials/test_support.h"

namespace dbtrotate::aws {
namespace {

using testing::FakeHttpClient;
using testing::FakeImds;
using testing::LoopbackServer;
using testing::MakeResponse;
using testing::MakeTransportError;
using testing::TestHttpClient;
using testing::Utc;

class ImdsProviderTest : public ::testing::Test {
 protected:
  ImdsProviderTest() : clock_(Utc(2026, 8, 30, 12, 0, 0)) {
    env_.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds_.url() + "/");
  }

  CredentialsResult Resolve() {
    auto settings = ImdsSettingsFrom(env_, nullptr, nullptr);
    if (!settings) return Fail(settings.error());
    if (!*settings) return Fail(CredentialsError{"disabled"});
    provider_ = MakeImdsProvider(**settings, http_, clock_);
    return provider_->Resolve();
  }

  FakeClock clock_;
  FakeImds imds_;
  TestHttpClient http_;
  MapEnvironment env_;
  std::unique_ptr<CredentialsProvider> provider_;
};

TEST_F(ImdsProviderTest, V2TokenThenRoleThenCredentials) {
  auto result = Resolve();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ((*result)->access_key_id, "ASIAIMDS");
  EXPECT_EQ((*result)->secret_access_key.expose(), "imds-secret");
  EXPECT_EQ((*result)->session_token.expose(), "imds-token");
  EXPECT_EQ((*result)->expiration, Utc(2026, 8, 30, 18, 0, 0));
  EXPECT_EQ((*result)->source, "EC2 instance metadata (role Rotator)");
  EXPECT_EQ(imds_.log(),
            (std::vector<std::string>{"PUT token ttl=21600", "GET roles token=imds-token-1",
                                      "GET Rotator token=imds-token-1"}));
}

TEST_F(ImdsProviderTest, RefreshesBeforeExpiry) {
  ASSERT_TRUE(Resolve());
  clock_.Advance(std::chrono::hours(5) + std::chrono::minutes(46));
  ASSERT_TRUE(provider_->Resolve());
  EXPECT_EQ(imds_.log().size(), 6u);
}

TEST_F(ImdsProviderTest, ExpiredTokenIsRenewedOnce) {
  imds_.reject_next_token = true;
  auto result = Resolve();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(imds_.log(),
            (std::vector<std::string>{"PUT token ttl=21600", "GET roles token=imds-token-1",
                                      "PUT token ttl=21600", "GET roles token=imds-token-2",
                                      "GET Rotator token=imds-token-2"}));
}

class ImdsV1FallbackTest : public ImdsProviderTest, public ::testing::WithParamInterface<int> {};

TEST_P(ImdsV1FallbackTest, FallsBackWhenTheTokenRequestIsRefused) {
  imds_.token_status = GetParam();
  auto result = Resolve();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ((*result)->access_key_id, "ASIAIMDS");
  EXPECT_EQ(imds_.log(), (std::vector<std::string>{"PUT token ttl=21600", "GET roles (v1)",
                                                   "GET Rotator (v1)"}));
}

TEST_P(ImdsV1FallbackTest, NoFallbackWhenV1IsDisabled) {
  imds_.token_status = GetParam();
  env_.Set("AWS_EC2_METADATA_V1_DISABLED", "true");
  auto result = Resolve();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("IMDSv1 fallback is disabled"), std::string::npos)
      << result.error().message;
  EXPECT_EQ(imds_.log().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Statuses, ImdsV1FallbackTest, ::testing::Values(403, 404, 405));

TEST_F(ImdsProviderTest, BadRequestOnTokenIsAnError) {
  imds_.token_status = 400;
  auto result = Resolve();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("the IMDSv2 token request returned HTTP 400"),
            std::string::npos);
}

TEST_F(ImdsProviderTest, NoRoleAttached) {
  imds_.role.clear();
  auto result = Resolve();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("no IAM role is attached to this instance"),
            std::string::npos)
      << result.error().message;
}

TEST_F(ImdsProviderTest, BadCredentialDocuments) {
  for (
      const auto& [body, expected] : std::vector<std::pair<std::string, std::string>>{
          {"{oops", "is not JSON"},
          {R"({"Code":"AssumeRoleUnauthorizedAccess","Message":"cannot assume role"})",
           "reported an error (Code AssumeRoleUnauthorizedAccess: cannot assume role)"},
          {R"({"Code":"Success","AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2026-08-30T18:00:00Z"})",
           "returned no Token"},
          {R"({"Code":"Success","AccessKeyId":"A","SecretAccessKey":"S","Token":"T"})",
           "returned no Expiration"}}) {
    imds_.credentials_body = body;
    auto result = Resolve();
    ASSERT_FALSE(result) << body;
    EXPECT_NE(result.error().message.find(expected), std::string::npos) << result.error().message;
  }
}

TEST(ImdsTimeoutTest, TokenTimeoutFallsBackToV1AndRequestsUseShortTimeouts) {
  FakeClock clock(Utc(2026, 8, 30, 12, 0, 0));
  FakeHttpClient http([](const http::Request& request) -> http::HttpResult {
    if (request.method == http::Method::kPut) {
      return Fail(MakeTransportError(http::ErrorKind::kTimeout, "timed out"));
    }
    if (request.url.back() == '/') return MakeResponse(200, "Rotator");
    return MakeResponse(200, R"({"Code":"Success","AccessKeyId":"A","SecretAccessKey":"S",)"
                             R"("Token":"T","Expiration":"2026-08-30T18:00:00Z"})");
  });
  ImdsSettings settings;
  auto provider = MakeImdsProvider(settings, http, clock);
  auto result = provider->Resolve();
  ASSERT_TRUE(result) << result.error().message;
  auto requests = http.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].url, "http://169.254.169.254/latest/api/token");
  EXPECT_EQ(requests[1].url, "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(requests[2].url,
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/Rotator");
  for (const auto& request : requests) {
    EXPECT_EQ(request.timeout, std::chrono::milliseconds(1000));
    for (const auto& header : request.headers) EXPECT_NE(header.name, "x-aws-ec2-metadata-token");
  }
}

TEST(ImdsTimeoutTest, UnreachableIsAnError) {
  FakeClock clock(Utc(2026, 8, 30, 12, 0, 0));
  FakeHttpClient http([](const http::Request&) -> http::HttpResult {
    return Fail(MakeTransportError(http::ErrorKind::kConnect, "no route to host"));
  });
  auto provider = MakeImdsProvider(ImdsSettings{}, http, clock);
  auto result = provider->Resolve();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "EC2 instance metadata at http://169.254.169.254: not reachable (connection failed: "
            "no route to host)");
  EXPECT_EQ(http.requests().size(), 1u) << "one attempt";
}

TEST(ImdsSettingsTest, FromEnvironmentAndProfile) {
  std::string skip;
  MapEnvironment env({{"AWS_EC2_METADATA_DISABLED", "true"}});
  auto settings = ImdsSettingsFrom(env, nullptr, &skip);
  ASSERT_TRUE(settings);
  EXPECT_FALSE(*settings);
  EXPECT_EQ(skip, "disabled by AWS_EC2_METADATA_DISABLED=true");

  env.Set("AWS_EC2_METADATA_DISABLED", "false");
  settings = ImdsSettingsFrom(env, nullptr, &skip);
  ASSERT_TRUE(settings && *settings);
  EXPECT_EQ((*settings)->endpoint, "http://169.254.169.254");
  EXPECT_TRUE((*settings)->v1_fallback_allowed);

  env.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6");
  settings = ImdsSettingsFrom(env, nullptr, &skip);
  ASSERT_TRUE(settings && *settings);
  EXPECT_EQ((*settings)->endpoint, "http://[fd00:ec2::254]");

  Profile profile;
  profile.name = "p";
  profile.settings.values["ec2_metadata_service_endpoint"] = "http://127.0.0.1:1234";
  profile.settings.values["ec2_metadata_v1_disabled"] = "true";
  settings = ImdsSettingsFrom(env, &profile, &skip);
  ASSERT_TRUE(settings && *settings);
  EXPECT_EQ((*settings)->endpoint, "http://127.0.0.1:1234");
  EXPECT_FALSE((*settings)->v1_fallback_allowed);

  env.Set("AWS_EC2_METADATA_DISABLED", "maybe");
  EXPECT_FALSE(ImdsSettingsFrom(env, nullptr, &skip));
  env.Unset("AWS_EC2_METADATA_DISABLED");
  env.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5");
  EXPECT_FALSE(ImdsSettingsFrom(env, nullptr, &skip));
  env.Unset("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
  env.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "169.254.169.254");
  EXPECT_FALSE(ImdsSettingsFrom(env, nullptr, &skip));
}

}  // namespace
}  // namespace dbtrotate::aws
