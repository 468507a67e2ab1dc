// Wire-format tests of the JSON 1.1 layer (reference §1): request decoding, response encoding,
// error shapes. No sockets.

#include "emulators/secretsmanager/json_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/random.h"
#include "emulators/secretsmanager/base64.h"

namespace dbtrotate::emulators::secretsmanager {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const SystemTime kStart = SystemTime(std::chrono::milliseconds(1523477145713));
const std::string kJsonToken1 = "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1";
const std::string kJsonToken2 = "EXAMPLE2-90ab-cdef-fedc-ba987SECRET2";

class JsonApiTest : public ::testing::Test {
 protected:
  JsonApiTest() : clock_(kStart), random_(1), store_({}, clock_, random_) {}

  json Call(std::string_view operation, const json& body, int expected_status = 200) {
    JsonResponse response = HandleOperation(store_, operation, body.dump());
    EXPECT_EQ(response.status, expected_status) << response.body;
    json parsed = json::parse(response.body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << response.body;
    return parsed;
  }

  void CreateExample() {
    Call("CreateSecret",
         {{"Name", "MyTestDatabaseSecret"},
          {"ClientRequestToken", kJsonToken1},
          {"SecretString", R"({"username":"david","password":"EXAMPLE-PASSWORD"})"}});
  }

  FakeClock clock_;
  SeededRandom random_;
  SecretStore store_;
};

TEST(JsonApiPieces, OperationFromTarget) {
  EXPECT_EQ(OperationFromTarget("secretsmanager.GetSecretValue"), "GetSecretValue");
  EXPECT_FALSE(OperationFromTarget("secretsmanager.").has_value());
  EXPECT_FALSE(OperationFromTarget("kms.Decrypt").has_value());
  EXPECT_FALSE(OperationFromTarget("").has_value());
  EXPECT_TRUE(IsSupportedOperation("UpdateSecretVersionStage"));
  EXPECT_TRUE(IsSupportedOperation("RotateSecret"));
  EXPECT_FALSE(IsSupportedOperation("GetRandomPassword"));
}

TEST(JsonApiPieces, EpochSecondsKeepMilliseconds) {
  EXPECT_DOUBLE_EQ(EpochSeconds(kStart), 1523477145.713);
  EXPECT_EQ(json(EpochSeconds(kStart)).dump(), "1523477145.713");
}

TEST(JsonApiPieces, Base64RoundTripAndStrictness) {
  EXPECT_EQ(Base64Encode("hello"), "aGVsbG8=");
  EXPECT_EQ(Base64Decode("aGVsbG8="), "hello");
  EXPECT_EQ(Base64Decode("aGVsbA=="), "hell");
  EXPECT_EQ(Base64Decode("aGVs"), "hel");
  EXPECT_EQ(Base64Decode(""), "");
  EXPECT_FALSE(Base64Decode("aGVsbG8").has_value());
  EXPECT_FALSE(Base64Decode("aGV=bG8=").has_value());
  EXPECT_FALSE(Base64Decode("aGVs bG8").has_value());
  EXPECT_FALSE(Base64Decode("a===").has_value());
  const std::string binary("\x00\xff\x10\x80", 4);
  EXPECT_EQ(Base64Decode(Base64Encode(binary)), binary);
}

TEST(JsonApiPieces, ErrorBodiesUseMessageCaseByOrigin) {
  JsonResponse modelled = ErrorResponse({ApiErrorCode::kResourceNotFound, "gone"});
  EXPECT_EQ(modelled.status, 400);
  EXPECT_EQ(json::parse(modelled.body),
            (json{{"__type", "ResourceNotFoundException"}, {"Message", "gone"}}));
  JsonResponse internal = ErrorResponse({ApiErrorCode::kInternalServiceError, "oops"});
  EXPECT_EQ(internal.status, 500);
  JsonResponse front = ErrorResponse({ApiErrorCode::kUnrecognizedClient, "bad"});
  EXPECT_EQ(front.status, 400);
  EXPECT_EQ(json::parse(front.body),
            (json{{"__type", "com.amazon.coral.service#UnrecognizedClientException"},
                  {"message", "bad"}}));
  EXPECT_EQ(json::parse(ErrorResponse({ApiErrorCode::kValidation, "v"}).body)["__type"],
            "com.amazon.coral.validate#ValidationException");
}

TEST_F(JsonApiTest, CreateGetAndPutRoundTrip) {
  json created = Call("CreateSecret", {{"Name", "MyTestDatabaseSecret"},
                                       {"ClientRequestToken", kJsonToken1},
                                       {"SecretString", "v1"},
                                       {"Description", "d"}});
  EXPECT_EQ(created["Name"], "MyTestDatabaseSecret");
  EXPECT_EQ(created["VersionId"], kJsonToken1);
  const std::string arn = created["ARN"];
  EXPECT_THAT(
      arn, HasSubstr("arn:aws:secretsmanager:us-east-1:123456789012:secret:MyTestDatabaseSecret-"));

  json put = Call("PutSecretValue", {{"SecretId", arn},
                                     {"ClientRequestToken", kJsonToken2},
                                     {"SecretString", "v2"},
                                     {"VersionStages", {"AWSPENDING"}}});
  EXPECT_EQ(put, (json{{"ARN", arn},
                       {"Name", "MyTestDatabaseSecret"},
                       {"VersionId", kJsonToken2},
                       {"VersionStages", {"AWSPENDING"}}}));

  json got = Call("GetSecretValue",
                  {{"SecretId", "MyTestDatabaseSecret"}, {"VersionStage", "AWSCURRENT"}});
  EXPECT_EQ(got, (json{{"ARN", arn},
                       {"Name", "MyTestDatabaseSecret"},
                       {"VersionId", kJsonToken1},
                       {"SecretString", "v1"},
                       {"VersionStages", {"AWSCURRENT"}},
                       {"CreatedDate", 1523477145.713}}));
}

TEST_F(JsonApiTest, BinarySecretsTravelAsBase64) {
  const std::string bytes("\x01\x02\xfe", 3);
  Call("CreateSecret",
       {{"Name", "bin"}, {"ClientRequestToken", kJsonToken1}, {"SecretBinary", Base64Encode(bytes)}});
  json got = Call("GetSecretValue", {{"SecretId", "bin"}});
  EXPECT_FALSE(got.contains("SecretString"));
  EXPECT_EQ(got["SecretBinary"], Base64Encode(bytes));
  EXPECT_EQ(store_.Inspect("bin")->versions[0].value->expose(), bytes);
  json bad =
      Call("PutSecretValue",
           {{"SecretId", "bin"}, {"ClientRequestToken", kJsonToken2}, {"SecretBinary", "@@@"}}, 400);
  EXPECT_EQ(bad["__type"], "com.amazon.coral.service#SerializationException");
}

TEST_F(JsonApiTest, DescribeOmitsWhatIsNotSet) {
  CreateExample();
  clock_.Advance(std::chrono::milliseconds(16));
  Call("PutSecretValue", {{"SecretId", "MyTestDatabaseSecret"},
                          {"ClientRequestToken", kJsonToken2},
                          {"SecretString", "v2"}});
  json described = Call("DescribeSecret", {{"SecretId", "MyTestDatabaseSecret"}});
  EXPECT_FALSE(described.contains("RotationEnabled"));
  EXPECT_FALSE(described.contains("Description"));
  EXPECT_FALSE(described.contains("DeletedDate"));
  EXPECT_FALSE(described.contains("LastAccessedDate"));
  EXPECT_FALSE(described.contains("Tags"));
  EXPECT_EQ(described["LastChangedDate"], 1523477145.729);
  EXPECT_EQ(described["CreatedDate"], 1523477145.713);
  EXPECT_EQ(described["VersionIdsToStages"],
            (json{{kJsonToken1, {"AWSPREVIOUS"}}, {kJsonToken2, {"AWSCURRENT"}}}));
  ASSERT_TRUE(store_.SetRotation("MyTestDatabaseSecret", true, "arn:aws:lambda:x", 14).has_value());
  described = Call("DescribeSecret", {{"SecretId", "MyTestDatabaseSecret"}});
  EXPECT_EQ(described["RotationEnabled"], true);
  EXPECT_EQ(described["RotationLambdaARN"], "arn:aws:lambda:x");
  EXPECT_EQ(described["RotationRules"], (json{{"AutomaticallyAfterDays", 14}}));
}

TEST_F(JsonApiTest, UpdateSecretVersionStageAnswersArnAndName) {
  CreateExample();
  Call("PutSecretValue", {{"SecretId", "MyTestDatabaseSecret"},
                          {"ClientRequestToken", kJsonToken2},
                          {"SecretString", "v2"},
                          {"VersionStages", {"AWSPENDING"}}});
  json moved = Call("UpdateSecretVersionStage", {{"SecretId", "MyTestDatabaseSecret"},
                                                 {"VersionStage", "AWSCURRENT"},
                                                 {"MoveToVersionId", kJsonToken2},
                                                 {"RemoveFromVersionId", kJsonToken1}});
  EXPECT_EQ(moved.size(), 2u);
  EXPECT_EQ(moved["Name"], "MyTestDatabaseSecret");
  json refused = Call("UpdateSecretVersionStage",
                      {{"SecretId", "MyTestDatabaseSecret"},
                       {"VersionStage", "AWSCURRENT"},
                       {"MoveToVersionId", kJsonToken1}},
                      400);
  EXPECT_EQ(refused["__type"], "InvalidParameterException");
  EXPECT_THAT(refused["Message"].get<std::string>(),
              HasSubstr("The parameter RemoveFromVersionId can't be empty."));
  EXPECT_FALSE(refused.contains("message"));
}

TEST_F(JsonApiTest, ListSecretVersionIdsShape) {
  CreateExample();
  Call("PutSecretValue", {{"SecretId", "MyTestDatabaseSecret"},
                          {"ClientRequestToken", kJsonToken2},
                          {"SecretString", "v2"}});
  Call("PutSecretValue", {{"SecretId", "MyTestDatabaseSecret"},
                          {"ClientRequestToken", "EXAMPLE3-90ab-cdef-fedc-ba987SECRET3"},
                          {"SecretString", "v3"}});
  json page =
      Call("ListSecretVersionIds",
           {{"SecretId", "MyTestDatabaseSecret"}, {"MaxResults", 1}, {"IncludeDeprecated", true}});
  ASSERT_EQ(page["Versions"].size(), 1u);
  EXPECT_TRUE(page.contains("NextToken"));
  EXPECT_TRUE(page["Versions"][0].contains("CreatedDate"));
  std::vector<json> all = page["Versions"];
  while (page.contains("NextToken")) {
    page = Call("ListSecretVersionIds", {{"SecretId", "MyTestDatabaseSecret"},
                                         {"MaxResults", 1},
                                         {"IncludeDeprecated", true},
                                         {"NextToken", page["NextToken"]}});
    for (const json& v : page["Versions"]) all.push_back(v);
    ASSERT_LT(all.size(), 10u);
  }
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2]["VersionId"], kJsonToken1);
  EXPECT_FALSE(all[2].contains("VersionStages"));  // deprecated
  json bad = Call("ListSecretVersionIds",
                  {{"SecretId", "MyTestDatabaseSecret"}, {"NextToken", "nope"}}, 400);
  EXPECT_EQ(bad["__type"], "InvalidNextTokenException");
}

TEST_F(JsonApiTest, DeleteAndRestore) {
  CreateExample();
  json deleted =
      Call("DeleteSecret", {{"SecretId", "MyTestDatabaseSecret"}, {"RecoveryWindowInDays", 7}});
  EXPECT_EQ(deleted["DeletionDate"], 1523477145.713 + 7 * 86400);
  json refused = Call("GetSecretValue", {{"SecretId", "MyTestDatabaseSecret"}}, 400);
  EXPECT_EQ(refused["__type"], "InvalidRequestException");
  EXPECT_EQ(refused["Message"],
            "You can't perform this operation on the secret because it was marked for deletion.");
  EXPECT_TRUE(
      Call("DescribeSecret", {{"SecretId", "MyTestDatabaseSecret"}}).contains("DeletedDate"));
  Call("RestoreSecret", {{"SecretId", "MyTestDatabaseSecret"}});
  Call("GetSecretValue", {{"SecretId", "MyTestDatabaseSecret"}});
}

TEST_F(JsonApiTest, MissingRequiredMembersAreValidationErrors) {
  json error = Call("GetSecretValue", json::object(), 400);
  EXPECT_EQ(error["__type"], "com.amazon.coral.validate#ValidationException");
  EXPECT_EQ(error["message"],
            "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: "
            "Member must not be null");
  error = Call("UpdateSecretVersionStage", json::object(), 400);
  EXPECT_THAT(error["message"].get<std::string>(), HasSubstr("2 validation errors detected"));
  EXPECT_THAT(error["message"].get<std::string>(), HasSubstr("'versionStage'"));
  error = Call("CreateSecret", {{"Name", nullptr}}, 400);
  EXPECT_THAT(error["message"].get<std::string>(), HasSubstr("'name'"));
}

TEST_F(JsonApiTest, WrongTypesAndBadBodiesAreSerializationErrors) {
  json error = Call("GetSecretValue", {{"SecretId", 5}}, 400);
  EXPECT_EQ(error["__type"], "com.amazon.coral.service#SerializationException");
  error = Call("PutSecretValue", {{"SecretId", "s"}, {"VersionStages", "AWSCURRENT"}}, 400);
  EXPECT_EQ(error["__type"], "com.amazon.coral.service#SerializationException");
  error = Call("ListSecretVersionIds", {{"SecretId", "s"}, {"MaxResults", "2"}}, 400);
  EXPECT_EQ(error["__type"], "com.amazon.coral.service#SerializationException");
  for (std::string_view body : {"{not json", "[]", "\"x\"", "{\"SecretId\":"}) {
    JsonResponse response = HandleOperation(store_, "GetSecretValue", body);
    EXPECT_EQ(response.status, 400) << body;
    EXPECT_EQ(json::parse(response.body)["__type"],
              "com.amazon.coral.service#SerializationException");
  }
  // An empty body is the empty input, so the missing SecretId is what is reported.
  JsonResponse empty = HandleOperation(store_, "GetSecretValue", "");
  EXPECT_EQ(json::parse(empty.body)["__type"], "com.amazon.coral.validate#ValidationException");
}

TEST_F(JsonApiTest, UnimplementedOperationIsUnknownOperation) {
  json error = Call("GetRandomPassword", {{"PasswordLength", 8}}, 400);
  EXPECT_EQ(error["__type"], "com.amazon.coral.service#UnknownOperationException");
}

TEST_F(JsonApiTest, NullMembersCountAsAbsent) {
  CreateExample();
  json got = Call(
      "GetSecretValue",
      {{"SecretId", "MyTestDatabaseSecret"}, {"VersionId", nullptr}, {"VersionStage", nullptr}});
  EXPECT_EQ(got["VersionId"], kJsonToken1);
}

}  // namespace
}  // namespace dbtrotate::emulators::secretsmanager
