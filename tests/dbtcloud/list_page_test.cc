// wire::ParseListPage: rows handed over one by one, everything else kept, and the same limits
// and verdicts as parsing the whole page as one document.

#include "dbtcloud/list_page.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dbtrotate::dbtcloud::wire {
namespace {

using nlohmann::json;

struct Collected {
  std::vector<json> rows;
  std::vector<std::size_t> indexes;
  ListRowFn Fn() {
    return [this](const json& row, std::size_t index) -> std::optional<ParseError> {
      rows.push_back(row);
      indexes.push_back(index);
      return std::nullopt;
    };
  }
};

TEST(ListPageTest, HandsOverEveryRowAndKeepsTheRestOfTheEnvelope) {
  const json page = {
      {"status", {{"code", 200}, {"is_success", true}}},
      {"data", json::array({{{"id", 1}, {"name", "a"}, {"grants", json::array({{{"x", {1, 2}}}})}},
                            {{"id", 2}, {"name", "b"}, {"nested", {{"data", json::array({1})}}}},
                            7,
                            nullptr,
                            json::array({1, json::array({2})})})},
      {"extra", {{"data", json::array({"not rows"})}, {"pagination", {{"count", 5}}}}}};
  Collected collected;
  auto parsed = ParseListPage(page.dump(), collected.Fn());
  ASSERT_TRUE(parsed) << parsed.error().what;
  EXPECT_EQ(parsed->rows, 5U);
  ASSERT_EQ(collected.rows.size(), 5U);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(collected.rows[i], page["data"][i]) << i;
    EXPECT_EQ(collected.indexes[i], i);
  }
  json expected = page;
  expected["data"] = json::array();  // the rows went to the callback
  EXPECT_EQ(parsed->envelope, expected);
}

TEST(ListPageTest, KeepsAnyOtherDataAsItCame) {
  for (const char* body : {R"({"data": {"id": 1}})", R"({"data": null})", R"({"data": "x"})",
                           R"([{"id": 1}])", R"("data")", R"({"extra": {}})"}) {
    Collected collected;
    auto parsed = ParseListPage(body, collected.Fn());
    ASSERT_TRUE(parsed) << body;
    EXPECT_EQ(parsed->rows, 0U) << body;
    EXPECT_TRUE(collected.rows.empty()) << body;
    EXPECT_EQ(parsed->envelope, json::parse(body)) << body;
  }
}

TEST(ListPageTest, ARowErrorStopsTheParseAndIsReturned) {
  int calls = 0;
  auto parsed = ParseListPage(R"({"data": [{"id": 1}, {"id": "2"}, {"id": 3}]})",
                              [&](const json& row, std::size_t index) -> std::optional<ParseError> {
                                ++calls;
                                if (!row["id"].is_number()) {
                                  return ParseError{"data[" + std::to_string(index) + "] is bad"};
                                }
                                return std::nullopt;
                              });
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().what, "data[1] is bad");
  EXPECT_EQ(calls, 2);
}

TEST(ListPageTest, RefusesWhatParseJsonRefuses) {
  const std::string deep = R"({"data": [)" + std::string(80, '[') + std::string(80, ']') + "]}";
  for (const std::string& body :
       {std::string(R"({"data": [{"id": 1, "id": 2}]})"),
        std::string(R"({"data": [], "data": []})"),
        std::string(R"({"data": [{"id": 1}], "extra": {"a": 1, "a": 2}})"),
        std::string(R"({"data": [{"id": 1}]} trailing)"),
        std::string(R"({"data": [{"id": 1e400}]})"), std::string(R"({"data": [{"id": 1})"),
        std::string(""), deep}) {
    Collected collected;
    auto parsed = ParseListPage(body, collected.Fn());
    ASSERT_FALSE(parsed) << body;
    auto whole = ParseJson(body);
    ASSERT_FALSE(whole) << body;
    EXPECT_EQ(parsed.error().what, whole.error().what) << body;
  }
}

}  // namespace
}  // namespace dbtrotate::dbtcloud::wire
