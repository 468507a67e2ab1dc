#include "rotation/secret_value.h"

#include <gtest/gtest.h>

#include "rotation/iso_time.h"

namespace dbtrotate::rotation {
namespace {

constexpr char kToken[] = "dbtc_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfGhIj";

aws::SecretValue Value(const std::string& text) {
  aws::SecretValue value;
  value.version_id = "v1";
  value.secret_string = SecretString::CopyOf(text);
  return value;
}

RotationResult<TokenSecret> Parse(const std::string& text) {
  return ParseTokenSecret(Value(text), SecretRole::kRotated, "secret 's'");
}

std::string Seed() {
  return std::string(R"({"service_token_id": 55641, "service_token": ")") + kToken +
         R"(", "last_rotated_datetime_utc": "2025-02-24T18:03:12.123456+00:00"})";
}

TEST(SecretValueTest, ParsesTheNotebookFormat) {
  auto secret = Parse(Seed());
  ASSERT_TRUE(secret.has_value()) << secret.error().message;
  EXPECT_EQ(secret->service_token_id, 55641);
  EXPECT_EQ(secret->service_token.expose(), kToken);
  EXPECT_EQ(secret->last_rotated, ParseIsoTime("2025-02-24T18:03:12.123456+00:00"));
  EXPECT_FALSE(secret->account_id.has_value());
  EXPECT_FALSE(secret->previous_service_token_id.has_value());
}

TEST(SecretValueTest, KeepsOtherKeysAndTheirOrderWhenSerializing) {
  auto secret =
      Parse(std::string(R"({"team": "data", "service_token_id": 1, "nested": {"a": [1, 2]},)"
                        R"( "service_token": ")") +
            kToken + R"(", "z": null})");
  ASSERT_TRUE(secret.has_value()) << secret.error().message;
  secret->service_token_id = 2;
  secret->service_token = SecretString::CopyOf("dbtc_new");
  secret->account_id = 12345;
  secret->previous_service_token_id = 1;
  const auto text = SerializeTokenSecret(*secret);
  const auto doc = Json::parse(text.expose());
  EXPECT_EQ(doc["team"], "data");
  EXPECT_EQ(doc["nested"]["a"][1], 2);
  EXPECT_TRUE(doc["z"].is_null());
  EXPECT_EQ(doc["service_token_id"], 2);
  EXPECT_EQ(doc["service_token"], "dbtc_new");
  EXPECT_EQ(doc["account_id"], 12345);
  EXPECT_EQ(doc["previous_service_token_id"], 1);
  EXPECT_FALSE(doc.contains("previous_revoke_after"));
  std::vector<std::string> keys;
  for (const auto& [key, value] : doc.items()) keys.push_back(key);
  ASSERT_GE(keys.size(), 5u);
  EXPECT_EQ(keys[0], "team");
  EXPECT_EQ(keys[1], "service_token_id");
  EXPECT_EQ(keys[2], "nested");
}

TEST(SecretValueTest, RoundTripsToolKeys) {
  auto secret = Parse(Seed());
  ASSERT_TRUE(secret.has_value());
  secret->account_id = 7;
  secret->access_url = "ab123.us1.dbt.com";
  secret->previous_service_token_id = 55640;
  secret->previous_revoke_after = ParseIsoTime("2026-01-01T00:00:00Z");
  secret->rotation_id = "r-1";
  auto again = ParseTokenSecret(Value(std::string(SerializeTokenSecret(*secret).expose())),
                                SecretRole::kRotated, "again");
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->account_id, 7);
  EXPECT_EQ(again->access_url, "ab123.us1.dbt.com");
  EXPECT_EQ(again->previous_service_token_id, 55640);
  EXPECT_EQ(again->previous_revoke_after, secret->previous_revoke_after);
  EXPECT_EQ(again->rotation_id, "r-1");
}

struct BadCase {
  const char* name;
  std::string text;
  const char* must_mention;
};

class MalformedSecretTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(MalformedSecretTest, NamesTheKeyAndNeverQuotesTheValue) {
  auto secret = Parse(GetParam().text);
  ASSERT_FALSE(secret.has_value());
  EXPECT_EQ(secret.error().code, ErrorCode::kMalformedSecret);
  EXPECT_NE(secret.error().message.find(GetParam().must_mention), std::string::npos)
      << secret.error().message;
  EXPECT_NE(secret.error().message.find("secret 's'"), std::string::npos);
  EXPECT_EQ(secret.error().message.find("dbtc_"), std::string::npos) << secret.error().message;
}

const std::string kT = std::string("\"") + kToken + "\"";

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedSecretTest,
    ::testing::Values(
        BadCase{"NotJson", std::string("service_token=") + kToken, "not JSON"},
        BadCase{"TruncatedJson", std::string(R"({"service_token": ")") + kToken, "not JSON"},
        BadCase{"NotAnObject", "[1, 2]", "JSON object"},
        BadCase{"MissingId", "{\"service_token\": " + kT + "}", "'service_token_id' is missing"},
        BadCase{"IdAsString", "{\"service_token_id\": \"55641\", \"service_token\": " + kT + "}",
                "'service_token_id' must be an integer"},
        BadCase{"IdAsFloat", "{\"service_token_id\": 1.5, \"service_token\": " + kT + "}",
                "'service_token_id' must be an integer"},
        BadCase{"IdNegative", "{\"service_token_id\": -4, \"service_token\": " + kT + "}",
                "'service_token_id' must be a positive id"},
        BadCase{"MissingToken", R"({"service_token_id": 1})", "'service_token' is missing"},
        BadCase{"TokenNumber", R"({"service_token_id": 1, "service_token": 5})",
                "'service_token' must be a string"},
        BadCase{"TokenEmpty", R"({"service_token_id": 1, "service_token": ""})",
                "'service_token' is empty"},
        BadCase{"TokenWithNewline",
                std::string(R"({"service_token_id": 1, "service_token": ")") + kToken + R"(\n"})",
                "'service_token' contains whitespace"},
        BadCase{"BadLastRotated",
                "{\"service_token_id\": 1, \"service_token\": " + kT +
                    ", \"last_rotated_datetime_utc\": \"last tuesday\"}",
                "'last_rotated_datetime_utc' is not an ISO 8601"},
        BadCase{"LastRotatedNumber",
                "{\"service_token_id\": 1, \"service_token\": " + kT +
                    ", \"last_rotated_datetime_utc\": 1700000000}",
                "'last_rotated_datetime_utc' must be a string"},
        BadCase{"AccountIdString",
                "{\"service_token_id\": 1, \"service_token\": " + kT + ", \"account_id\": \"x\"}",
                "'account_id' must be an integer"},
        BadCase{"AccessUrlNumber",
                "{\"service_token_id\": 1, \"service_token\": " + kT + ", \"access_url\": 3}",
                "'access_url' must be a string"},
        BadCase{"AccessUrlWithCredentials",
                "{\"service_token_id\": 1, \"service_token\": " + kT +
                    ", \"access_url\": \"https://u:hunter2@h.example.com\"}",
                "key 'access_url': invalid dbt Cloud access URL: it contains user information"},
        BadCase{"PreviousIdString",
                "{\"service_token_id\": 1, \"service_token\": " + kT +
                    ", \"previous_service_token_id\": \"x\"}",
                "'previous_service_token_id' must be an integer"},
        BadCase{"RevokeAfterWithoutPrevious",
                "{\"service_token_id\": 1, \"service_token\": " + kT +
                    ", \"previous_revoke_after\": \"2026-01-01T00:00:00Z\"}",
                "'previous_service_token_id' is missing"},
        BadCase{"NestedTensOfThousandsDeep",
                "{\"service_token_id\": 1, \"service_token\": " + kT +
                    ", \"x\": " + std::string(50000, '[') + std::string(50000, ']') + "}",
                "nested deeper than 64 levels (in top-level key 'x')"},
        BadCase{"TokenTwice",
                "{\"service_token_id\": 1, \"service_token\": " + kT +
                    ", \"service_token\": \"dbtc_other\"}",
                "key 'service_token' twice"},
        BadCase{"IdBeyondDouble", "{\"service_token_id\": 1E400, \"service_token\": " + kT + "}",
                "key 'service_token_id' holds a number too large"},
        BadCase{"SyntaxErrorOffset",
                "{\"service_token_id\": 1, \"service_token\": " + kT + ", \"x\": tru}",
                "(syntax error at byte 106) (in top-level key 'x')"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(SecretValueTest, RejectsABinarySecret) {
  aws::SecretValue value;
  value.is_binary = true;
  auto secret = ParseTokenSecret(value, SecretRole::kRotated, "secret 's'");
  ASSERT_FALSE(secret.has_value());
  EXPECT_NE(secret.error().message.find("binary"), std::string::npos);
}

TEST(SecretValueTest, AValueWithNeitherStringNorBinaryIsNotCalledBinary) {
  aws::SecretValue value;  // e.g. a 200 reply that was an error envelope
  auto secret = ParseTokenSecret(value, SecretRole::kRotated, "secret 's'");
  ASSERT_FALSE(secret.has_value());
  EXPECT_EQ(secret.error().message.find("binary value"), std::string::npos)
      << secret.error().message;
  EXPECT_NE(secret.error().message.find("has no value"), std::string::npos);
}

// The README promises that a user's keys survive every rotation unchanged.
TEST(SecretValueTest, KeepsUserValuesByteForByte) {
  const std::string user_keys =
      R"("big": 123456789012345678901234567890, "tiny": -1e999, "huge":1E400,)"
      R"( "precise": 1.0000000000000000001, "exp": 1E+2, "esc": "é\/",)"
      R"( "nested": {"n": [1.10, 123456789012345678901234567890], "k": "v"}, "A": 0.0)";
  auto secret =
      Parse("{\"service_token_id\": 1, \"service_token\": " + kT + ", " + user_keys + "}");
  ASSERT_TRUE(secret.has_value()) << secret.error().message;
  secret->service_token_id = 2;
  secret->service_token = SecretString::CopyOf("dbtc_new");
  secret->rotation_id = "r1";
  const auto once = SerializeTokenSecret(*secret);
  for (const char* kept :
       {R"("big":123456789012345678901234567890)", R"("tiny":-1e999)", R"("huge":1E400)",
        R"("precise":1.0000000000000000001)", R"("exp":1E+2)", R"("esc":"é\/")",
        R"("nested":{"n": [1.10, 123456789012345678901234567890], "k": "v"})", R"("A":0.0)"}) {
    EXPECT_NE(once.expose().find(kept), std::string::npos) << kept << "\n" << once.expose();
  }
  EXPECT_NE(once.expose().find(R"("service_token_id":2,"service_token":"dbtc_new")"),
            std::string::npos);
  // And again across a second rotation (the value read back is the one written).
  auto again = Parse(std::string(once.expose()));
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(SerializeTokenSecret(*again).expose(), once.expose());
}

TEST(SecretValueTest, AByteOrderMarkDoesNotLoseTheOriginalText) {
  auto secret = Parse("\xEF\xBB\xBF{\"service_token_id\": 1, \"service_token\": " + kT +
                      ", \"huge\": 1E400}");
  ASSERT_TRUE(secret.has_value()) << secret.error().message;
  EXPECT_NE(SerializeTokenSecret(*secret).expose().find(R"("huge":1E400)"), std::string::npos);
}

TEST(SecretValueTest, ManagerSecretNeedsOnlyTheToken) {
  auto secret =
      ParseTokenSecret(Value("{\"service_token\": " + kT + "}"), SecretRole::kManager, "manager");
  ASSERT_TRUE(secret.has_value()) << secret.error().message;
  EXPECT_EQ(secret->service_token_id, 0);
}

}  // namespace
}  // namespace dbtrotate::rotation
