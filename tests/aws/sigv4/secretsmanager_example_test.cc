// The worked Secrets Manager example of reference §4.6 (independently computed with botocore).

#include <gtest/gtest.h>

#include <chrono>

#include "aws/sigv4/canonical.h"
#include "aws/sigv4/crypto.h"
#include "aws/sigv4/signer.h"

namespace dbtrotate::aws::sigv4 {
namespace {

SystemTime ExampleTime() {
  using namespace std::chrono;
  return sys_days{year{2015} / 8 / 30} + hours{12} + minutes{36};
}

http::Request ExampleRequest() {
  http::Request request(http::Method::kPost, "https://secretsmanager.us-east-1.amazonaws.com/");
  request.AddHeader("Content-Type", "application/x-amz-json-1.1");
  request.AddHeader("X-Amz-Target", "secretsmanager.GetSecretValue");
  request.AddHeader("User-Agent", "dbt-rotate/test");  // never signed
  request.body = R"({"SecretId": "MyTestDatabaseSecret", "VersionStage": "AWSCURRENT"})";
  return request;
}

Credentials ExampleCredentials(std::string token) {
  Credentials credentials;
  credentials.access_key_id = "AKIDEXAMPLE";
  credentials.secret_access_key = SecretString::CopyOf("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  credentials.session_token = SecretString(std::move(token));
  return credentials;
}

std::string SignedHeaderOf(const http::Request& request, std::string_view name) {
  for (const auto& header : request.headers) {
    if (header.name == name) return header.value;
  }
  return "<absent>";
}

TEST(SigV4SecretsManagerExample, IntermediateValues) {
  const std::string body = ExampleRequest().body;
  // The reference text says 68 bytes; the body it prints (and whose hash it gives) is 66.
  EXPECT_EQ(body.size(), 66u);
  EXPECT_EQ(Sha256Hex(body), "edf74c7c46e7b9a73db55c748ad53c19f27b8b034bb14b14f413674ecd08de28");
  const std::string key = DeriveSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830",
                                           "us-east-1", "secretsmanager");
  EXPECT_EQ(HexEncode(key), "a8647fdf0a842ccff61df909a34525b9a41242ab8562e430eb0421d125466a37");

  const std::vector<http::Header> headers = {{"Content-Type", "application/x-amz-json-1.1"},
                                             {"Host", "secretsmanager.us-east-1.amazonaws.com"},
                                             {"X-Amz-Date", "20150830T123600Z"},
                                             {"X-Amz-Target", "secretsmanager.GetSecretValue"}};
  auto creq =
      CanonicalRequest(RequestView{"POST", "/", "", &headers, body}, HeadersToSign(headers));
  ASSERT_TRUE(creq.has_value());
  EXPECT_EQ(*creq,
            "POST\n/\n\ncontent-type:application/x-amz-json-1.1\n"
            "host:secretsmanager.us-east-1.amazonaws.com\nx-amz-date:20150830T123600Z\n"
            "x-amz-target:secretsmanager.GetSecretValue\n\n"
            "content-type;host;x-amz-date;x-amz-target\n"
            "edf74c7c46e7b9a73db55c748ad53c19f27b8b034bb14b14f413674ecd08de28");
  EXPECT_EQ(Sha256Hex(*creq), "0dcf5d3b00d42dc7a3ed1eef7a35a39b0542c6572099d1d86ec9a9c46493000c");
}

TEST(SigV4SecretsManagerExample, LongTermCredentials) {
  http::Request request = ExampleRequest();
  ASSERT_TRUE(
      SignRequest(request, ExampleCredentials(""), {"us-east-1", "secretsmanager", ExampleTime()})
          .has_value());
  EXPECT_EQ(SignedHeaderOf(request, "Host"), "secretsmanager.us-east-1.amazonaws.com");
  EXPECT_EQ(SignedHeaderOf(request, "X-Amz-Date"), "20150830T123600Z");
  EXPECT_EQ(SignedHeaderOf(request, "X-Amz-Security-Token"), "<absent>");
  EXPECT_EQ(SignedHeaderOf(request, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/secretsmanager/"
            "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
            "Signature=370a5e1d9591a6963c06aae5a54def1eb4037f6c50a9b686120de3ab56a494b5");
}

TEST(SigV4SecretsManagerExample, SessionTokenIsSentAndSigned) {
  http::Request request = ExampleRequest();
  ASSERT_TRUE(SignRequest(request, ExampleCredentials("AQoDYXdzEJr...<session-token>"),
                          {"us-east-1", "secretsmanager", ExampleTime()})
                  .has_value());
  EXPECT_EQ(SignedHeaderOf(request, "X-Amz-Security-Token"), "AQoDYXdzEJr...<session-token>");
  EXPECT_EQ(SignedHeaderOf(request, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/secretsmanager/"
            "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;"
            "x-amz-target, "
            "Signature=d3902645a37ed1f6f97742d2fae92343db3c2c36a3af89ad3a64fc7b42691ec7");
}

TEST(SigV4SecretsManagerExample, ResigningReplacesDateTokenAndAuthorization) {
  http::Request request = ExampleRequest();
  ASSERT_TRUE(SignRequest(request, ExampleCredentials("old-token"),
                          {"us-east-1", "secretsmanager", ExampleTime() - std::chrono::hours(30)})
                  .has_value());
  // A retry with fresh (long-term) credentials and a new time must look like a first signing.
  ASSERT_TRUE(
      SignRequest(request, ExampleCredentials(""), {"us-east-1", "secretsmanager", ExampleTime()})
          .has_value());
  int authorizations = 0, dates = 0, hosts = 0;
  for (const auto& header : request.headers) {
    authorizations += header.name == "Authorization";
    dates += header.name == "X-Amz-Date";
    hosts += header.name == "Host";
  }
  EXPECT_EQ(authorizations, 1);
  EXPECT_EQ(dates, 1);
  EXPECT_EQ(hosts, 1);
  EXPECT_EQ(SignedHeaderOf(request, "X-Amz-Security-Token"), "<absent>");
  EXPECT_NE(SignedHeaderOf(request, "Authorization")
                .find("Signature=370a5e1d9591a6963c06aae5a54def1eb4037f6c50a9b686120de3ab56a494b5"),
            std::string::npos);
}

}  // namespace
}  // namespace dbtrotate::aws::sigv4
