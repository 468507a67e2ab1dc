// What SecretsManagerClient puts on the wire (reference §1, §2) and how it reads the answers.

#include <gtest/gtest.h>

#include "aws/secretsmanager/client_fixture.h"
#include "aws/sigv4/canonical.h"
#include "core/version.h"

namespace dbtrotate::aws::testing {
namespace {

using nlohmann::json;

constexpr char kArn[] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-a1b2c3";

using WireTest = ClientTest;

TEST_F(WireTest, GetSecretValueRequestIsExactJson11AndSigned) {
  http_.Reply(200,
              R"({"ARN":")" + std::string(kArn) +
                  R"(","Name":"app/db","VersionId":"v-1","SecretString":"{\"password\":\"pw\"}",)"
                  R"("VersionStages":["AWSCURRENT"],"CreatedDate":1523477145.713})",
              {{"x-amzn-requestid", "req-1"}});
  auto value = client().GetSecretValue({"app/db", std::nullopt, std::string(kStageCurrent)});
  ASSERT_TRUE(value.has_value()) << value.error().message;

  ASSERT_EQ(http_.requests().size(), 1u);
  const http::Request& request = LastRequest();
  EXPECT_EQ(request.method, http::Method::kPost);
  EXPECT_EQ(request.url, "https://secretsmanager.us-east-1.amazonaws.com/");
  EXPECT_TRUE(request.idempotent);
  EXPECT_EQ(HeaderOf(request, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(HeaderOf(request, "X-Amz-Target"), "secretsmanager.GetSecretValue");
  EXPECT_EQ(HeaderOf(request, "User-Agent"), kUserAgent);
  EXPECT_EQ(HeaderOf(request, "Host"), "secretsmanager.us-east-1.amazonaws.com");
  EXPECT_EQ(HeaderOf(request, "X-Amz-Date"), "20260830T120000Z");
  EXPECT_EQ(HeaderOf(request, "X-Amz-Security-Token"), "<absent>");
  EXPECT_EQ(HeaderOf(request, "Authorization")
                .rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260830/us-east-1/"
                       "secretsmanager/aws4_request, "
                       "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=",
                       0),
            0u)
      << HeaderOf(request, "Authorization");
  EXPECT_EQ(request.body, R"({"SecretId":"app/db","VersionStage":"AWSCURRENT"})");
  EXPECT_TRUE(SignedWith(request, kSecretKey, clock_.Now()));
  EXPECT_FALSE(SignedWith(request, "another-secret", clock_.Now()));

  EXPECT_EQ(value->arn, kArn);
  EXPECT_EQ(value->name, "app/db");
  EXPECT_EQ(value->version_id, "v-1");
  EXPECT_EQ(value->version_stages, std::vector<std::string>{"AWSCURRENT"});
  ASSERT_TRUE(value->secret_string.has_value());
  EXPECT_EQ(value->secret_string->expose(), R"({"password":"pw"})");
  EXPECT_FALSE(value->is_binary);
  ASSERT_TRUE(value->created_date.has_value());
  EXPECT_EQ(value->created_date->time_since_epoch(), std::chrono::milliseconds(1523477145713));
}

TEST_F(WireTest, GetSecretValueSendsOnlyTheSelectorsGiven) {
  http_.SetFallback([](const http::Request&) { return MakeResponse(200, "{}"); });
  ASSERT_TRUE(client().GetSecretValue({"app/db", std::nullopt, std::nullopt}).has_value());
  EXPECT_EQ(LastRequest().body, R"({"SecretId":"app/db"})");
  ASSERT_TRUE(client().GetSecretValue({"app/db", "v-2", std::nullopt}).has_value());
  EXPECT_EQ(LastRequest().body, R"({"SecretId":"app/db","VersionId":"v-2"})");
  ASSERT_TRUE(client().GetSecretValue({kArn, "v-2", std::string(kStagePending)}).has_value());
  EXPECT_EQ(BodyOf(LastRequest()),
            json({{"SecretId", kArn}, {"VersionId", "v-2"}, {"VersionStage", "AWSPENDING"}}));
}

TEST_F(WireTest, SessionTokenIsSentAndSigned) {
  credentials_.Set("ASIAEXAMPLE", "temporary-secret", "the-session-token");
  http_.Reply(200, "{}");
  ASSERT_TRUE(client().DescribeSecret("app/db").has_value());
  const http::Request& request = LastRequest();
  EXPECT_EQ(HeaderOf(request, "X-Amz-Security-Token"), "the-session-token");
  EXPECT_NE(HeaderOf(request, "Authorization")
                .find("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;"
                      "x-amz-target"),
            std::string::npos);
  EXPECT_TRUE(SignedWith(request, "temporary-secret", clock_.Now()));
}

TEST_F(WireTest, BinarySecretIsFlaggedAndNotExposed) {
  http_.Reply(200, R"({"Name":"bin","VersionId":"v","SecretBinary":"AAECAw==",)"
                   R"("VersionStages":["AWSCURRENT"]})");
  auto value = client().GetSecretValue({"bin", std::nullopt, std::nullopt});
  ASSERT_TRUE(value.has_value()) << value.error().message;
  EXPECT_TRUE(value->is_binary);
  EXPECT_FALSE(value->secret_string.has_value());
}

TEST_F(WireTest, PutSecretValueBody) {
  http_.Reply(200, R"({"ARN":")" + std::string(kArn) +
                       R"(","Name":"app/db","VersionId":"tok-1","VersionStages":["AWSPENDING"]})");
  PutSecretValueRequest put{"app/db",
                            "tok-1",
                            SecretString::CopyOf(R"({"password":"new"})"),
                            {std::string(kStagePending)}};
  auto result = client().PutSecretValue(put);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(HeaderOf(LastRequest(), "X-Amz-Target"), "secretsmanager.PutSecretValue");
  EXPECT_EQ(LastRequest().body,
            R"({"ClientRequestToken":"tok-1","SecretId":"app/db",)"
            R"("SecretString":"{\"password\":\"new\"}","VersionStages":["AWSPENDING"]})");
  EXPECT_TRUE(SignedWith(LastRequest(), kSecretKey, clock_.Now()));
  EXPECT_EQ(result->arn, kArn);
  EXPECT_EQ(result->version_id, "tok-1");
  EXPECT_EQ(result->version_stages, std::vector<std::string>{"AWSPENDING"});
}

TEST_F(WireTest, PutSecretValueOmitsEmptyStagesAndGeneratesAMissingToken) {
  http_.Reply(200, R"({"VersionId":"x"})");
  PutSecretValueRequest put{"app/db", "", SecretString::CopyOf("v"), {}};
  ASSERT_TRUE(client().PutSecretValue(put).has_value());
  const json body = BodyOf(LastRequest());
  EXPECT_FALSE(body.contains("VersionStages"));
  ASSERT_TRUE(body["ClientRequestToken"].is_string());
  EXPECT_EQ(body["ClientRequestToken"].get<std::string>().size(), 36u);
  EXPECT_EQ(body.size(), 3u);
}

TEST_F(WireTest, DescribeSecretBodyAndEveryDocumentedField) {
  http_.Reply(
      200,
      R"json({"ARN":"arn:aws:secretsmanager:us-west-2:123456789012:secret:MyTestDatabaseSecret-a1b2c3",
    "Name":"MyTestDatabaseSecret","Description":"d","KmsKeyId":"alias/k",
    "RotationEnabled":true,"RotationLambdaARN":"arn:aws:lambda:us-west-2:123456789012:function:MyTestRotationLambda",
    "RotationRules":{"AutomaticallyAfterDays":14,"Duration":"2h","ScheduleExpression":"cron(0 16 1,15 * ? *)"},
    "LastRotatedDate":1525747253.72,"LastChangedDate":1523477145.729,"LastAccessedDate":"1523923200",
    "NextRotationDate":1700000000,"CreatedDate":1500000000.5,"DeletedDate":1800000000,
    "Tags":[{"Key":"a","Value":"b"}],"OwningService":"x",
    "VersionIdsToStages":{"EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE":["AWSPREVIOUS"],
                          "EXAMPLE2-90ab-cdef-fedc-ba987EXAMPLE":["AWSCURRENT","AWSPENDING"]}})json");
  auto d = client().DescribeSecret("MyTestDatabaseSecret");
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(LastRequest().body, R"({"SecretId":"MyTestDatabaseSecret"})");
  EXPECT_EQ(HeaderOf(LastRequest(), "X-Amz-Target"), "secretsmanager.DescribeSecret");
  EXPECT_EQ(d->name, "MyTestDatabaseSecret");
  EXPECT_EQ(d->description, "d");
  EXPECT_EQ(d->kms_key_id, "alias/k");
  EXPECT_TRUE(d->rotation_enabled);
  EXPECT_EQ(d->rotation_lambda_arn,
            "arn:aws:lambda:us-west-2:123456789012:function:MyTestRotationLambda");
  ASSERT_TRUE(d->rotation_rules.has_value());
  EXPECT_EQ(d->rotation_rules->automatically_after_days, 14);
  EXPECT_EQ(d->rotation_rules->duration, "2h");
  EXPECT_EQ(d->rotation_rules->schedule_expression, "cron(0 16 1,15 * ? *)");
  EXPECT_EQ(d->last_rotated_date->time_since_epoch(), std::chrono::milliseconds(1525747253720));
  EXPECT_EQ(d->last_accessed_date->time_since_epoch(), std::chrono::seconds(1523923200));
  EXPECT_EQ(d->next_rotation_date->time_since_epoch(), std::chrono::seconds(1700000000));
  EXPECT_EQ(d->created_date->time_since_epoch(), std::chrono::milliseconds(1500000000500));
  EXPECT_TRUE(d->deleted_date.has_value());
  EXPECT_EQ(d->version_ids_to_stages.size(), 2u);
  EXPECT_EQ(d->VersionWithStage("AWSCURRENT"), "EXAMPLE2-90ab-cdef-fedc-ba987EXAMPLE");
  EXPECT_EQ(d->VersionWithStage("AWSPREVIOUS"), "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE");
}

TEST_F(WireTest, DescribeSecretMinimalResponse) {
  http_.Reply(200, R"({"ARN":"a","Name":"n"})");
  auto d = client().DescribeSecret("n");
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_FALSE(d->rotation_enabled);  // absent = rotation never configured
  EXPECT_FALSE(d->rotation_rules.has_value());
  EXPECT_TRUE(d->version_ids_to_stages.empty());
  EXPECT_FALSE(d->deleted_date.has_value());
}

TEST_F(WireTest, UpdateSecretVersionStageMoveAndRemove) {
  http_.SetFallback([](const http::Request&) { return MakeResponse(200, R"({"ARN":"a"})"); });
  ASSERT_TRUE(
      client()
          .UpdateSecretVersionStage({"app/db", std::string(kStageCurrent), "v-new", "v-old"})
          .has_value());
  EXPECT_EQ(HeaderOf(LastRequest(), "X-Amz-Target"), "secretsmanager.UpdateSecretVersionStage");
  EXPECT_EQ(LastRequest().body,
            R"({"MoveToVersionId":"v-new","RemoveFromVersionId":"v-old","SecretId":"app/db",)"
            R"("VersionStage":"AWSCURRENT"})");
  ASSERT_TRUE(
      client()
          .UpdateSecretVersionStage({"app/db", std::string(kStagePending), std::nullopt, "v-new"})
          .has_value());
  EXPECT_EQ(LastRequest().body,
            R"({"RemoveFromVersionId":"v-new","SecretId":"app/db","VersionStage":"AWSPENDING"})");
  EXPECT_TRUE(SignedWith(LastRequest(), kSecretKey, clock_.Now()));
}

TEST_F(WireTest, UpdateSecretVersionStageNeedsATarget) {
  auto result =
      client().UpdateSecretVersionStage({"app/db", "AWSPENDING", std::nullopt, std::nullopt});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidParameter);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(WireTest, CreateSecretBody) {
  http_.Reply(200, R"({"ARN":"arn:x","Name":"new/secret","VersionId":"tok-9"})");
  CreateSecretRequest create{"new/secret",
                             "tok-9",
                             SecretString::CopyOf("initial"),
                             std::string("desc"),
                             {{"team", "data"}}};
  auto result = client().CreateSecret(create);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(HeaderOf(LastRequest(), "X-Amz-Target"), "secretsmanager.CreateSecret");
  EXPECT_EQ(LastRequest().body,
            R"({"ClientRequestToken":"tok-9","Description":"desc","Name":"new/secret",)"
            R"("SecretString":"initial","Tags":[{"Key":"team","Value":"data"}]})");
  EXPECT_EQ(result->arn, "arn:x");
  EXPECT_EQ(result->name, "new/secret");
  EXPECT_EQ(result->version_id, "tok-9");
}

TEST_F(WireTest, CreateSecretWithoutValueOmitsUnsetMembers) {
  http_.Reply(200, R"({"ARN":"arn:x","Name":"n"})");
  ASSERT_TRUE(client().CreateSecret({"n", "tok", SecretString(), std::nullopt, {}}).has_value());
  EXPECT_EQ(LastRequest().body, R"({"ClientRequestToken":"tok","Name":"n"})");
}

TEST_F(WireTest, ListSecretVersionIdsFollowsEveryPage) {
  http_.Reply(200, R"({"Versions":[{"VersionId":"a","VersionStages":["AWSCURRENT"],)"
                   R"("CreatedDate":1}],"NextToken":"t1"})");
  http_.Reply(200, R"({"Versions":[],"NextToken":"t2"})");  // empty page, token still set
  http_.Reply(200, R"({"Versions":[{"VersionId":"b"},{"VersionId":"c","VersionStages":[]}]})");
  auto versions = client().ListSecretVersionIds(kArn, true);
  ASSERT_TRUE(versions.has_value()) << versions.error().message;
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_EQ((*versions)[0].version_id, "a");
  EXPECT_EQ((*versions)[0].version_stages, std::vector<std::string>{"AWSCURRENT"});
  EXPECT_EQ((*versions)[0].created_date->time_since_epoch(), std::chrono::seconds(1));
  EXPECT_EQ((*versions)[2].version_id, "c");
  ASSERT_EQ(http_.requests().size(), 3u);
  EXPECT_EQ(BodyOf(http_.requests()[0]),
            json({{"SecretId", kArn}, {"MaxResults", 100}, {"IncludeDeprecated", true}}));
  EXPECT_EQ(BodyOf(http_.requests()[1])["NextToken"], "t1");
  EXPECT_EQ(BodyOf(http_.requests()[2])["NextToken"], "t2");
  for (const auto& request : http_.requests()) {
    EXPECT_EQ(HeaderOf(request, "X-Amz-Target"), "secretsmanager.ListSecretVersionIds");
  }
}

TEST_F(WireTest, ListSecretVersionIdsLeavesOutIncludeDeprecatedWhenFalse) {
  http_.Reply(200, R"({"Versions":[]})");
  ASSERT_TRUE(client().ListSecretVersionIds("app/db", false).has_value());
  EXPECT_EQ(BodyOf(LastRequest()), json({{"SecretId", "app/db"}, {"MaxResults", 100}}));
}

TEST_F(WireTest, ListSecretVersionIdsStopsOnARepeatedToken) {
  http_.SetFallback([](const http::Request&) {
    return MakeResponse(200, R"({"Versions":[{"VersionId":"a"}],"NextToken":"same"})");
  });
  auto versions = client().ListSecretVersionIds("app/db", false);
  ASSERT_FALSE(versions.has_value());
  EXPECT_EQ(versions.error().code, ErrorCode::kMalformedResponse);
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(WireTest, ListSecretVersionIdsIsBounded) {
  int page = 0;
  http_.SetFallback([&page](const http::Request&) {
    return MakeResponse(200, R"({"Versions":[],"NextToken":"t)" + std::to_string(++page) + "\"}");
  });
  auto versions = client().ListSecretVersionIds("app/db", false);
  ASSERT_FALSE(versions.has_value());
  EXPECT_EQ(versions.error().code, ErrorCode::kMalformedResponse);
  EXPECT_EQ(http_.requests().size(), static_cast<std::size_t>(SecretsManagerClient::kMaxPages));
}

TEST_F(WireTest, CustomEndpointWithPortAndBasePath) {
  Recreate("http://127.0.0.1:4566");
  http_.SetFallback([](const http::Request&) { return MakeResponse(200, "{}"); });
  ASSERT_TRUE(client().DescribeSecret("app/db").has_value());
  EXPECT_EQ(LastRequest().url, "http://127.0.0.1:4566/");
  EXPECT_EQ(HeaderOf(LastRequest(), "Host"), "127.0.0.1:4566");
  EXPECT_TRUE(SignedWith(LastRequest(), kSecretKey, clock_.Now()));

  Recreate("http://[::1]:8080/sm/");
  ASSERT_TRUE(client().DescribeSecret("app/db").has_value());
  EXPECT_EQ(LastRequest().url, "http://[::1]:8080/sm/");
  EXPECT_EQ(HeaderOf(LastRequest(), "Host"), "[::1]:8080");
  EXPECT_TRUE(SignedWith(LastRequest(), kSecretKey, clock_.Now()));
}

TEST_F(WireTest, InvalidConfigurationFailsWithoutSending) {
  for (const char* endpoint :
       {"secretsmanager.us-east-1.amazonaws.com", "ftp://host/", "https://", "https://host/?x=1"}) {
    Recreate(endpoint);
    auto result = client().DescribeSecret("app/db");
    ASSERT_FALSE(result.has_value()) << endpoint;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidConfig) << endpoint;
    EXPECT_NE(result.error().message.find("endpoint"), std::string::npos) << endpoint;
  }
  Recreate("https://secretsmanager.us-east-1.amazonaws.com", "");
  auto no_region = client().DescribeSecret("app/db");
  ASSERT_FALSE(no_region.has_value());
  EXPECT_EQ(no_region.error().code, ErrorCode::kInvalidConfig);
  EXPECT_NE(no_region.error().message.find("region"), std::string::npos);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(WireTest, EmptyIdsAreRejectedLocally) {
  EXPECT_EQ(client().GetSecretValue({"", std::nullopt, std::nullopt}).error().code,
            ErrorCode::kInvalidParameter);
  EXPECT_EQ(client().DescribeSecret("").error().code, ErrorCode::kInvalidParameter);
  EXPECT_EQ(client().ListSecretVersionIds("", false).error().code, ErrorCode::kInvalidParameter);
  EXPECT_EQ(client().PutSecretValue({"", "t", SecretString::CopyOf("v"), {}}).error().code,
            ErrorCode::kInvalidParameter);
  EXPECT_EQ(client().CreateSecret({"", "t", SecretString(), std::nullopt, {}}).error().code,
            ErrorCode::kInvalidParameter);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(WireTest, InvalidUtf8SecretIsRejectedWithoutEchoingIt) {
  PutSecretValueRequest put{"app/db", "tok", SecretString::CopyOf("pw-\xff\xfe-tail"), {}};
  auto result = client().PutSecretValue(put);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidParameter);
  EXPECT_EQ(result.error().message.find("pw-"), std::string::npos);
  EXPECT_NE(result.error().message.find("UTF-8"), std::string::npos);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(WireTest, MalformedSuccessResponsesAreErrors) {
  const std::vector<std::string> bodies = {"not json",
                                           "[1,2]",
                                           R"({"SecretString":5})",
                                           R"({"VersionStages":"AWSCURRENT"})",
                                           R"({"CreatedDate":"yesterday"})",
                                           R"({"VersionStages":[1]})"};
  for (const auto& body : bodies) {
    http_.Reply(200, body);
    auto result = client().GetSecretValue({"app/db", std::nullopt, std::nullopt});
    ASSERT_FALSE(result.has_value()) << body;
    EXPECT_EQ(result.error().code, ErrorCode::kMalformedResponse) << body;
    EXPECT_FALSE(result.error().ambiguous);
  }
  http_.Reply(200, R"({"VersionIdsToStages":{"v":"AWSCURRENT"}})");
  auto describe = client().DescribeSecret("app/db");
  ASSERT_FALSE(describe.has_value());
  EXPECT_NE(describe.error().message.find("VersionIdsToStages"), std::string::npos);
  http_.Reply(200, R"({"RotationEnabled":"yes"})");
  EXPECT_EQ(client().DescribeSecret("app/db").error().code, ErrorCode::kMalformedResponse);
  http_.Reply(200, R"({"Versions":[{"VersionStages":["AWSCURRENT"]}]})");
  EXPECT_EQ(client().ListSecretVersionIds("app/db", false).error().code,
            ErrorCode::kMalformedResponse);
  // A write whose 2xx answer is unreadable did happen: the caller must re-read.
  http_.Reply(200, "<html>");
  auto put = client().PutSecretValue({"app/db", "tok", SecretString::CopyOf("v"), {}});
  ASSERT_FALSE(put.has_value());
  EXPECT_TRUE(put.error().ambiguous);
}

}  // namespace
}  // namespace dbtrotate::aws::testing
