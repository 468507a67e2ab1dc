// The event parser and the configuration: every bad input is a clear error, never a crash, and
// no message quotes the event (it may hold a RotationToken).

#include <gtest/gtest.h>

#include <string>

#include "lambda/config.h"
#include "lambda/event.h"

namespace dbtrotate::lambda {
namespace {

constexpr char kToken[] = "0f6c2f0e-7d5b-4c1e-9a0b-3f1e2d4c5b6a";

std::string Event(const std::string& step, const std::string& extra = "") {
  return R"({"Step":")" + step +
         R"(","SecretId":"arn:aws:secretsmanager:us-east-1:123456789012:secret:dbt-AbCdEf",)"
         R"("ClientRequestToken":")" +
         kToken + "\"" + extra + "}";
}

TEST(EventTest, ParsesTheFourSteps) {
  for (const char* step : {"createSecret", "setSecret", "testSecret", "finishSecret"}) {
    auto request = ParseEvent(Event(step, R"(,"RotationToken":"abc-123")"));
    ASSERT_TRUE(request.has_value()) << step << ": " << request.error().message;
    EXPECT_EQ(rotation::RotationStepName(request->step), step);
    EXPECT_EQ(request->client_request_token, kToken);
    ASSERT_TRUE(request->rotation_token.has_value());
    EXPECT_EQ(request->rotation_token->expose(), "abc-123");
  }
  auto without = ParseEvent(Event("createSecret"));
  ASSERT_TRUE(without.has_value());
  EXPECT_FALSE(without->rotation_token.has_value());
}

TEST(EventTest, RefusesMalformedEventsWithoutQuotingThem) {
  const std::string secret_marker = "SeCrEtMaRkEr";
  const std::vector<std::string> bad = {
      "",
      "not json " + secret_marker,
      "[1,2]",
      R"({"Step":"create_secret","SecretId":"x","ClientRequestToken":")" + std::string(kToken) +
          "\"}",
      R"({"Step":7,"SecretId":"x","ClientRequestToken":")" + std::string(kToken) + "\"}",
      R"({"Step":"createSecret","SecretId":"","ClientRequestToken":")" + std::string(kToken) +
          "\"}",
      R"({"Step":"createSecret","SecretId":"x","ClientRequestToken":"short"})",
      R"({"Step":"createSecret","SecretId":"x"})",
      Event("createSecret", R"(,"RotationToken":"has space )" + secret_marker + "\""),
      Event("createSecret", R"(,"RotationToken":5)"),
      Event("createSecret", R"(,"Deep":[[[[[[1]]]]]])"),
      std::string(kMaxEventBytes + 1, ' '),
  };
  for (const auto& body : bad) {
    auto request = ParseEvent(body);
    ASSERT_FALSE(request.has_value()) << body.substr(0, 120);
    EXPECT_NE(request.error().message.find("malformed rotation event"), std::string::npos);
    EXPECT_EQ(request.error().message.find(secret_marker), std::string::npos)
        << request.error().message;
  }
}

// A key given twice is ambiguous (which one a reader sees is up to its parser): refused, and
// the message names the key without the value.
TEST(EventTest, RefusesAKeyGivenTwice) {
  const auto twice = R"({"Step":"testSecret","Step":"finishSecret","SecretId":"x",)"
                     R"("ClientRequestToken":")" +
                     std::string(kToken) + "\"}";
  auto request = ParseEvent(twice);
  ASSERT_FALSE(request.has_value());
  EXPECT_NE(request.error().message.find("'Step' twice"), std::string::npos)
      << request.error().message;
  auto token_twice =
      ParseEvent(Event("createSecret", R"(,"RotationToken":"abc","RotationToken":"SeCrEt")"));
  ASSERT_FALSE(token_twice.has_value());
  EXPECT_EQ(token_twice.error().message.find("SeCrEt"), std::string::npos);
}

bool NoFiles(const std::string&) { return false; }
bool AllFiles(const std::string&) { return true; }

TEST(ConfigTest, ReadsTheFunctionsEnvironment) {
  aws::MapEnvironment env{{"AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"},
                          {"DBT_CLOUD_ACCOUNT_ID", "42"},
                          {"DBT_CLOUD_HOST", "https://ab123.us1.dbt.com"},
                          {"DBT_ROTATE_MANAGER_SECRET_ID", "manager"},
                          {"DBT_ROTATE_OVERLAP", "36h"},
                          {"DBT_ROTATE_PERMISSIONS", R"([{"permission_set": "account_admin"}])"},
                          {"SECRETS_MANAGER_ENDPOINT", "http://127.0.0.1:4566"}};
  auto config = ConfigFromEnvironment(env, &AllFiles);
  ASSERT_TRUE(config.has_value()) << config.error();
  EXPECT_EQ(config->runtime_api, "127.0.0.1:9001");
  EXPECT_EQ(config->step.connection.account_id, 42);
  EXPECT_EQ(config->step.connection.access_url, "https://ab123.us1.dbt.com");
  EXPECT_EQ(config->step.connection.manager_secret_id, "manager");
  EXPECT_EQ(config->step.overlap.kind, rotation::OverlapKind::kDuration);
  ASSERT_TRUE(config->step.grants.has_value());
  EXPECT_EQ(config->step.grants->size(), 1u);
  EXPECT_EQ(config->secrets_manager_endpoint, "http://127.0.0.1:4566");
  EXPECT_FALSE(config->ca_bundle.has_value());  // the Debian default exists
}

TEST(ConfigTest, EachBadVariableIsNamed) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"DBT_CLOUD_ACCOUNT_ID", "12x"},
      {"DBT_CLOUD_HOST", "ftp://example.com"},
      {"DBT_ROTATE_OVERLAP", "sometimes"},
      {"DBT_ROTATE_PERMISSIONS", R"([{"project_id": 3}])"},
      {"SSL_CERT_FILE", "/nonexistent/ca.pem"},
  };
  for (const auto& [name, value] : bad) {
    aws::MapEnvironment env{{"AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"}};
    env.Set(name, value);
    auto config = ConfigFromEnvironment(env, &NoFiles);
    ASSERT_FALSE(config.has_value()) << name;
    EXPECT_NE(config.error().find(name), std::string::npos) << config.error();
  }
  aws::MapEnvironment none;
  auto config = ConfigFromEnvironment(none, &NoFiles);
  ASSERT_FALSE(config.has_value());
  EXPECT_NE(config.error().find("AWS_LAMBDA_RUNTIME_API"), std::string::npos);
}

TEST(ConfigTest, ProbesForACaBundleWhenDebiansIsMissing) {
  aws::MapEnvironment env{{"AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"}};
  auto config = ConfigFromEnvironment(
      env, [](const std::string& path) { return path == "/etc/pki/tls/certs/ca-bundle.crt"; });
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->ca_bundle, "/etc/pki/tls/certs/ca-bundle.crt");
}

}  // namespace
}  // namespace dbtrotate::lambda
