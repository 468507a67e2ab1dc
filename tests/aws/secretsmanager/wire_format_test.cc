// The JSON codec on its own: timestamps, secret handling inside documents, strict serialization.

#include "aws/secretsmanager/wire_format.h"

#include <gtest/gtest.h>

namespace dbtrotate::aws {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

TEST(ParseEpochSeconds, AcceptsNumbersAndNumericStrings) {
  EXPECT_EQ(ParseEpochSeconds(json(1523477145.713))->time_since_epoch(),
            milliseconds(1523477145713));
  EXPECT_EQ(ParseEpochSeconds(json(1523923200))->time_since_epoch(), milliseconds(1523923200000));
  EXPECT_EQ(ParseEpochSeconds(json("1523923200"))->time_since_epoch(), milliseconds(1523923200000));
  EXPECT_EQ(ParseEpochSeconds(json("1525747253.72"))->time_since_epoch(),
            milliseconds(1525747253720));
  EXPECT_EQ(ParseEpochSeconds(json(0))->time_since_epoch(), milliseconds(0));
}

TEST(ParseEpochSeconds, RejectsEverythingElse) {
  for (const json& bad : {json("2018-04-11T20:05:45Z"), json(""), json("12abc"), json(" 12"),
                          json(-1), json(1e300), json(true), json::array(), json(nullptr)}) {
    EXPECT_FALSE(ParseEpochSeconds(bad).has_value()) << bad.dump();
  }
}

// Seen while fixing the fuzzers' ISO 8601 finding: the old bound (1e11 s, year ~5100) let times
// through that overflow SystemTime's 64-bit nanosecond count (years after 2262): UB.
TEST(ParseEpochSeconds, RejectsTimesBeyondTheClockRange) {
  EXPECT_FALSE(ParseEpochSeconds(json(5e10)).has_value());
  EXPECT_FALSE(ParseEpochSeconds(json("99999999999")).has_value());
  EXPECT_TRUE(ParseEpochSeconds(json(8e9)).has_value());  // year 2223
}

TEST(DecodeSecretValue, MovesTheSecretOutAndLeavesNoCopyInTheDocument) {
  json document = json::parse(R"({"Name":"n","SecretString":"the-value"})");
  auto value = DecodeSecretValue(document);
  ASSERT_TRUE(value.has_value()) << value.error();
  ASSERT_TRUE(value->secret_string.has_value());
  EXPECT_EQ(value->secret_string->expose(), "the-value");
  EXPECT_EQ(document["SecretString"], "");
  EXPECT_FALSE(value->is_binary);
}

TEST(DecodeSecretValue, NullMembersCountAsAbsent) {
  json document = json::parse(R"({"Name":null,"SecretString":null,"VersionStages":null})");
  auto value = DecodeSecretValue(document);
  ASSERT_TRUE(value.has_value()) << value.error();
  EXPECT_FALSE(value->secret_string.has_value());
  EXPECT_TRUE(value->name.empty());
}

TEST(DecodeSecretValue, BinaryIsFlaggedOnlyWithoutAString) {
  json binary = json::parse(R"({"SecretBinary":"AAEC"})");
  EXPECT_TRUE(DecodeSecretValue(binary)->is_binary);
  json both = json::parse(R"({"SecretBinary":"AAEC","SecretString":"s"})");
  EXPECT_FALSE(DecodeSecretValue(both)->is_binary);
  json wrong = json::parse(R"({"SecretBinary":5})");
  EXPECT_FALSE(DecodeSecretValue(wrong).has_value());
}

TEST(WipeJson, ClearsNestedStrings) {
  json document = json::parse(R"({"a":"secret","b":["secret",{"c":"secret"}],"n":1})");
  WipeJsonStrings(document);
  EXPECT_EQ(document, json::parse(R"({"a":"","b":["",{"c":""}],"n":1})"));
  WipeJson(document);
  EXPECT_TRUE(document.is_null());
}

TEST(DumpAndWipe, SerializesCompactlyAndWipes) {
  json document = {{"SecretId", "s"}, {"SecretString", "v\"\n"}};
  auto text = DumpAndWipe(document);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text, R"({"SecretId":"s","SecretString":"v\"\n"})");
  EXPECT_TRUE(document.is_null());
}

TEST(DumpAndWipe, RejectsInvalidUtf8WithoutQuotingIt) {
  json document = {{"SecretString", "abc\xff"}};
  auto text = DumpAndWipe(document);
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().find("abc"), std::string::npos);
  EXPECT_TRUE(document.is_null());
}

TEST(ParseBody, RequiresAnObject) {
  EXPECT_TRUE(ParseBody("{}").has_value());
  EXPECT_FALSE(ParseBody("").has_value());
  EXPECT_FALSE(ParseBody("[]").has_value());
  EXPECT_FALSE(ParseBody("\"s\"").has_value());
  auto bad = ParseBody("{\"SecretString\":\"abc");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().find("abc"), std::string::npos);
}

TEST(DecodeVersionsPage, EmptyNextTokenMeansLastPage) {
  json document = json::parse(R"({"Versions":[{"VersionId":"a"}],"NextToken":""})");
  auto page = DecodeVersionsPage(document);
  ASSERT_TRUE(page.has_value());
  EXPECT_FALSE(page->next_token.has_value());
  json missing_versions = json::parse(R"({"NextToken":"t"})");
  auto only_token = DecodeVersionsPage(missing_versions);
  ASSERT_TRUE(only_token.has_value());
  EXPECT_TRUE(only_token->versions.empty());
  EXPECT_EQ(only_token->next_token, "t");
}

TEST(DecodeDescribeSecret, RejectsBadRotationRules) {
  json document = json::parse(R"({"RotationRules":{"AutomaticallyAfterDays":"14"}})");
  auto d = DecodeDescribeSecret(document);
  ASSERT_FALSE(d.has_value());
  EXPECT_NE(d.error().find("AutomaticallyAfterDays"), std::string::npos);
  json not_object = json::parse(R"({"RotationRules":[]})");
  EXPECT_FALSE(DecodeDescribeSecret(not_object).has_value());
}

}  // namespace
}  // namespace dbtrotate::aws
