#include "core/json_limits.h"

#include <gtest/gtest.h>

#include <string>

namespace dbtrotate {
namespace {

std::string Nested(std::size_t depth, char open = '[', char close = ']') {
  return std::string(depth, open) + std::string(depth, close);
}

TEST(JsonLimitsTest, AcceptsOrdinaryDocuments) {
  auto doc = ParseJsonLimited(R"({"a": [1, {"b": "x"}], "c": {"b": 2}, "d": 1.5})");
  ASSERT_TRUE(doc);
  EXPECT_EQ((*doc)["a"][1]["b"], "x");
  EXPECT_EQ((*doc)["c"]["b"], 2);  // the same key in two objects is fine
}

TEST(JsonLimitsTest, KeepsInsertionOrderForOrderedJson) {
  auto doc = ParseJsonLimited<nlohmann::ordered_json>(R"({"z": 1, "a": 2})");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->begin().key(), "z");
}

TEST(JsonLimitsTest, DepthAtTheLimitIsAcceptedOneMoreIsRefused) {
  EXPECT_TRUE(ParseJsonLimited(Nested(kMaxJsonDepth)));
  auto deep = ParseJsonLimited(Nested(kMaxJsonDepth + 1));
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().problem, JsonProblem::kTooDeep);
  EXPECT_EQ(DescribeJsonError(deep.error()), "is nested deeper than 64 levels");
}

TEST(JsonLimitsTest, VeryDeepDocumentIsRefusedWithoutCrashing) {
  for (const char* pair : {"[]", "{}"}) {
    std::string text = pair[0] == '[' ? Nested(200000) : [] {
      std::string t;
      for (int i = 0; i < 200000; ++i) t += R"({"k":)";
      return t + "1" + std::string(200000, '}');
    }();
    auto doc = ParseJsonLimited(text);
    ASSERT_FALSE(doc) << pair;
    EXPECT_EQ(doc.error().problem, JsonProblem::kTooDeep);
  }
}

TEST(JsonLimitsTest, BracketsInsideStringsDoNotCount) {
  const std::string text = R"({"k": ")" + std::string(1000, '[') + R"(\"[{"})";
  EXPECT_TRUE(ParseJsonLimited(text));
}

TEST(JsonLimitsTest, DuplicateKeysAreRefusedAtAnyDepth) {
  auto top = ParseJsonLimited(R"({"data": {"id": 1}, "data": {"id": 2}})");
  ASSERT_FALSE(top);
  EXPECT_EQ(top.error().problem, JsonProblem::kDuplicateKey);
  EXPECT_EQ(top.error().key, "data");

  auto nested = ParseJsonLimited(R"({"data": [{"id": 1, "x": {"id": 3, "id": 4}}]})");
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().key, "id");
  EXPECT_EQ(nested.error().top_key, "data");
  EXPECT_EQ(DescribeJsonError(nested.error()),
            "has the key 'id' twice in one object (ambiguous) (in top-level key 'data')");
}

// The same key in sibling objects, or in an object and the one inside it, is not a duplicate;
// reused storage must not carry one object's keys into the next.
TEST(JsonLimitsTest, KeysAreCountedPerObject) {
  EXPECT_TRUE(ParseJsonLimited(
      R"({"data": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "x": {"id": 4}}]})"));
  EXPECT_TRUE(ParseJsonLimited(R"([{"a": 1, "b": 2, "c": 3}, {"a": 1}, {"c": 1, "b": 2}])"));
  auto later = ParseJsonLimited(R"([{"a": 1, "b": 2}, {"b": 1, "a": 2, "b": 3}])");
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error().key, "b");
}

// Past 32 keys an object's keys move to a hash set: duplicates are still found on either side
// of that point, and a big object is accepted in linear time.
TEST(JsonLimitsTest, DuplicatesInLargeObjectsAreFound) {
  auto object = [](int keys, const std::string& extra) {
    std::string text = "{";
    for (int i = 0; i < keys; ++i)
      text += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",";
    return text + extra + "}";
  };
  EXPECT_TRUE(ParseJsonLimited(object(100'000, R"("last": 0)")));
  for (int keys : {31, 32, 33, 200}) {
    for (const char* repeated : {"k0", "k30"}) {
      auto twice = ParseJsonLimited(object(keys, "\"" + std::string(repeated) + "\": 0"));
      ASSERT_FALSE(twice) << keys << " " << repeated;
      EXPECT_EQ(twice.error().key, repeated);
    }
  }
  // The next object at the same depth starts empty again.
  EXPECT_TRUE(
      ParseJsonLimited("[" + object(40, R"("x": 0)") + "," + object(3, R"("k39": 0)") + "]"));
}

TEST(JsonLimitsTest, SyntaxErrorsGiveTheOffsetAndNeverTheInput) {
  auto bad = ParseJsonLimited(R"({"a": 1, "secret": dbtc_abc})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().problem, JsonProblem::kSyntax);
  EXPECT_EQ(bad.error().offset, 19u);
  EXPECT_EQ(bad.error().top_key, "secret");
  EXPECT_EQ(DescribeJsonError(bad.error()).find("dbtc"), std::string::npos);

  auto trailing = ParseJsonLimited("{} x");
  ASSERT_FALSE(trailing);
  EXPECT_EQ(trailing.error().offset, 3u);
  EXPECT_FALSE(ParseJsonLimited(""));
}

TEST(JsonLimitsTest, OverflowingNumberIsNamedWithItsPlace) {
  auto big = ParseJsonLimited(R"({"ok": 1, "huge": 1E400})");
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().problem, JsonProblem::kNumberOutOfRange);
  EXPECT_EQ(big.error().top_key, "huge");
  EXPECT_GE(big.error().offset, 18u);
  EXPECT_LE(big.error().offset, 23u);
}

TEST(JsonLimitsTest, DiscardHookSeesThePartialDocument) {
  static int calls = 0;
  calls = 0;
  auto bad = ParseJsonLimited<nlohmann::json>(R"({"a": "x", "a": "y"})", kMaxJsonDepth,
                                              [](nlohmann::json&) { ++calls; });
  EXPECT_FALSE(bad);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace dbtrotate
