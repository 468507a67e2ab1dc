#include "aws/credentials/sts_client.h"

#include <gtest/gtest.h>

#include "aws/credentials/fake_sts.h"
#include "core/iso8601.h"
#include "aws/credentials/sts_samples.h"
#include "aws/credentials/test_support.h"

namespace dbtrotate::aws {
namespace {

using testing::FakeSts;
using testing::TestHttpClient;
using testing::Utc;

Credentials SourceCredentials(std::string akid, std::string secret, std::string token = "") {
  Credentials credentials;
  credentials.access_key_id = std::move(akid);
  credentials.secret_access_key = SecretString::CopyOf(secret);
  credentials.session_token = SecretString::CopyOf(token);
  return credentials;
}

TEST(StsParseTest, DocumentedAssumeRoleSample) {
  auto credentials = ParseStsCredentials("AssumeRole", testing::kAssumeRoleSample);
  ASSERT_TRUE(credentials) << credentials.error();
  EXPECT_EQ(credentials->access_key_id, "ASIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(credentials->secret_access_key.expose(), "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
  EXPECT_EQ(credentials->session_token.expose().substr(0, 20), "AQoDYXdzEPT/////////");
  EXPECT_EQ(credentials->session_token.expose().back(), '=') << "surrounding whitespace trimmed";
  EXPECT_EQ(credentials->expiration, Utc(2019, 11, 9, 13, 34, 41));
}

TEST(StsParseTest, WebIdentitySampleWithEntities) {
  auto credentials = ParseStsCredentials("AssumeRoleWithWebIdentity", testing::kWebIdentitySample);
  ASSERT_TRUE(credentials) << credentials.error();
  EXPECT_EQ(credentials->access_key_id, "ASIAWEBIDENTITYEXAMPLE");
  EXPECT_EQ(credentials->secret_access_key.expose(), "secret&with<entities>\"'");
  EXPECT_EQ(credentials->session_token.expose(), "tokenAB");
}

TEST(StsParseTest, RejectsWrongOrIncompleteDocuments) {
  auto wrong = ParseStsCredentials("AssumeRoleWithWebIdentity", testing::kAssumeRoleSample);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().find("expected a <AssumeRoleWithWebIdentityResponse> document"),
            std::string::npos);
  auto missing = ParseStsCredentials(
      "AssumeRole",
      "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId>"
      "<SecretAccessKey>S</SecretAccessKey><Expiration>2026-01-01T00:00:00Z</Expiration>"
      "</Credentials></AssumeRoleResult></AssumeRoleResponse>");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("no Credentials/SessionToken"), std::string::npos);
  auto bad_time = ParseStsCredentials(
      "AssumeRole",
      "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId>"
      "<SecretAccessKey>S</SecretAccessKey><SessionToken>T</SessionToken>"
      "<Expiration>tomorrow</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>");
  ASSERT_FALSE(bad_time);
  EXPECT_NE(bad_time.error().find("not an ISO 8601 timestamp"), std::string::npos);
  auto not_xml = ParseStsCredentials("AssumeRole", "{\"json\": true}");
  ASSERT_FALSE(not_xml);
  EXPECT_NE(not_xml.error().find("not valid XML"), std::string::npos);
}

TEST(StsErrorTest, DescribesDocumentedErrorBody) {
  std::string message = DescribeStsError(403, testing::kAccessDeniedSample);
  EXPECT_EQ(message,
            "HTTP 403 AccessDenied: User: arn:aws:iam::123456789012:user/rotator is not authorized "
            "to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/Rotator & more "
            "(check the role's trust policy and that the calling identity may use sts:AssumeRole "
            "on it)");
  EXPECT_EQ(DescribeStsError(503, "<html>Service Unavailable</html>"),
            "HTTP 503 (the response is not an STS error document)");
  EXPECT_EQ(DescribeStsError(500, ""), "HTTP 500 (the response is not an STS error document)");
  EXPECT_EQ(DescribeStsError(
                400, "<ErrorResponse><Error><Code>ExpiredToken</Code></Error></ErrorResponse>"),
            "HTTP 400 ExpiredToken (the credentials used to call STS have expired)");
}

class StsClientTest : public ::testing::Test {
 protected:
  StsClientTest() : clock_(Utc(2026, 8, 30, 12, 0, 0)), sts_(clock_, "eu-west-1") {
    sts_.AddKey("AKIDSOURCE", "source-secret");
    sts_.Start();
  }

  StsClient Client() { return StsClient(http_, clock_, StsEndpoint{sts_.url(), "eu-west-1"}); }

  FakeClock clock_;
  FakeSts sts_;
  TestHttpClient http_;
};

TEST_F(StsClientTest, AssumeRoleIsSignedForStsAndSendsTheParameters) {
  StsClient client = Client();
  AssumeRoleParams params{"arn:aws:iam::123456789012:role/Rotator", "rotator", "ext id/+=", 3600};
  auto result =
      client.AssumeRole(SourceCredentials("AKIDSOURCE", "source-secret", "src-token"), params);
  ASSERT_TRUE(result) << result.error().message;
  const Credentials& credentials = **result;
  EXPECT_EQ(credentials.access_key_id, "ASIAFAKE1");
  EXPECT_EQ(credentials.secret_access_key.expose(), "issued-secret-1");
  EXPECT_EQ(credentials.session_token.expose(), "issued-token-1");
  EXPECT_EQ(credentials.expiration, clock_.Now() + std::chrono::hours(1));
  EXPECT_EQ(credentials.source, "STS AssumeRole (arn:aws:iam::123456789012:role/Rotator)");

  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  const auto& call = calls[0];
  ASSERT_TRUE(call.authorization) << call.verify_error;
  EXPECT_EQ(call.authorization->access_key_id, "AKIDSOURCE");
  EXPECT_EQ(call.authorization->service, "sts");
  EXPECT_EQ(call.authorization->region, "eu-west-1");
  EXPECT_EQ(call.authorization->date, "20260830");
  EXPECT_EQ(call.security_token, "src-token");
  EXPECT_EQ(call.content_type, "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(call.params.at("RoleArn"), "arn:aws:iam::123456789012:role/Rotator");
  EXPECT_EQ(call.params.at("RoleSessionName"), "rotator");
  EXPECT_EQ(call.params.at("DurationSeconds"), "3600");
  EXPECT_EQ(call.params.at("ExternalId"), "ext id/+=") << "form encoding round-trips";
}

TEST_F(StsClientTest, WrongSourceSecretIsRejectedWithAClearMessage) {
  StsClient client = Client();
  auto result = client.AssumeRole(SourceCredentials("AKIDSOURCE", "wrong-secret"),
                                  {"arn:aws:iam::1:role/R", "s", {}, {}});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("HTTP 403 SignatureDoesNotMatch"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("the source credentials are not valid"), std::string::npos);
  EXPECT_EQ(result.error().message.find("wrong-secret"), std::string::npos);
}

TEST_F(StsClientTest, StsErrorDocumentBecomesTheMessage) {
  sts_.FailWith(403, testing::kAccessDeniedSample);
  StsClient client = Client();
  auto result = client.AssumeRole(SourceCredentials("AKIDSOURCE", "source-secret"),
                                  {"arn:aws:iam::123456789012:role/Rotator", "s", {}, {}});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find(
                "STS AssumeRole for arn:aws:iam::123456789012:role/Rotator failed: HTTP 403 "
                "AccessDenied: User: arn:aws:iam::123456789012:user/rotator is not authorized"),
            std::string::npos)
      << result.error().message;
}

TEST_F(StsClientTest, MalformedSuccessBodyIsAnError) {
  sts_.FailWith(200,
                "<AssumeRoleResponse><AssumeRoleResult></AssumeRoleResult></AssumeRoleResponse>");
  StsClient client = Client();
  auto result = client.AssumeRole(SourceCredentials("AKIDSOURCE", "source-secret"),
                                  {"arn:aws:iam::1:role/R", "s", {}, {}});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("has no AssumeRoleResult/Credentials"), std::string::npos)
      << result.error().message;
}

TEST_F(StsClientTest, WebIdentityIsUnsignedAndCarriesTheToken) {
  const std::string token = "eyJhbGciOi.JSUzI1NiJ9+/=.sig&x";
  sts_.ExpectWebIdentityToken(token);
  StsClient client = Client();
  auto result = client.AssumeRoleWithWebIdentity("arn:aws:iam::1:role/Web", "sess",
                                                 SecretString::CopyOf(token));
  ASSERT_TRUE(result) << result.error().message;
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_FALSE(calls[0].had_authorization);
  EXPECT_EQ(calls[0].params.at("RoleSessionName"), "sess");
  EXPECT_EQ((*result)->source, "STS AssumeRoleWithWebIdentity (arn:aws:iam::1:role/Web)");

  auto rejected = client.AssumeRoleWithWebIdentity("arn:aws:iam::1:role/Web", "sess",
                                                   SecretString::CopyOf("other-token"));
  ASSERT_FALSE(rejected);
  EXPECT_NE(rejected.error().message.find("InvalidIdentityToken"), std::string::npos);
  EXPECT_EQ(rejected.error().message.find("other-token"), std::string::npos);
}

TEST(StsClientTransportTest, UnreachableEndpointIsAnError) {
  FakeClock clock(Utc(2026, 8, 30, 12, 0, 0));
  testing::FakeHttpClient http([](const http::Request&) -> http::HttpResult {
    return Fail(testing::MakeTransportError(http::ErrorKind::kConnect, "connection refused"));
  });
  StsClient client(http, clock, StsEndpoint{"https://sts.us-east-1.amazonaws.com", "us-east-1"});
  auto result =
      client.AssumeRoleWithWebIdentity("arn:aws:iam::1:role/Web", "s", SecretString::CopyOf("t"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "STS AssumeRoleWithWebIdentity for arn:aws:iam::1:role/Web could not reach "
            "https://sts.us-east-1.amazonaws.com: connection failed: connection refused");
}

TEST(StsClientUrlTest, PostsToTheRootOrTheConfiguredPath) {
  FakeClock clock(Utc(2026, 8, 30, 12, 0, 0));
  testing::FakeHttpClient http(
      [](const http::Request&) -> http::HttpResult { return testing::MakeResponse(500, ""); });
  StsClient plain(http, clock, StsEndpoint{"https://sts.us-east-1.amazonaws.com", "us-east-1"});
  (void)plain.AssumeRoleWithWebIdentity("arn:aws:iam::1:role/W", "s", SecretString::CopyOf("t"));
  StsClient with_path(http, clock, StsEndpoint{"http://127.0.0.1:4566/sts", "us-east-1"});
  (void)with_path.AssumeRoleWithWebIdentity("arn:aws:iam::1:role/W", "s",
                                            SecretString::CopyOf("t"));
  auto requests = http.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].url, "https://sts.us-east-1.amazonaws.com/");
  EXPECT_EQ(requests[1].url, "http://127.0.0.1:4566/sts");
  EXPECT_EQ(requests[0].method, http::Method::kPost);
  EXPECT_EQ(requests[0].body.rfind("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&", 0), 0u);
}

}  // namespace
}  // namespace dbtrotate::aws
