#include "dbtcloud/timestamp.h"

#include <gtest/gtest.h>

#include <chrono>

#include "dbtcloud/recovery.h"

namespace dbtrotate::dbtcloud {
namespace {

using namespace std::chrono_literals;

SystemTime At(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}} +
         std::chrono::hours{hh} + std::chrono::minutes{mm} + std::chrono::seconds{ss};
}

TEST(TimestampTest, ParsesDbtForms) {
  const SystemTime base = At(2025, 3, 4, 5, 6, 7);
  EXPECT_EQ(ParseDbtTimestamp("2025-03-04T05:06:07Z"), base);
  EXPECT_EQ(ParseDbtTimestamp("2025-03-04T05:06:07+00:00"), base);
  EXPECT_EQ(ParseDbtTimestamp("2025-03-04T05:06:07.123456Z"), base + 123456us);
  EXPECT_EQ(ParseDbtTimestamp("2025-03-04T05:06:07.123456+00:00"), base + 123456us);
  EXPECT_EQ(ParseDbtTimestamp("2025-03-04T05:06:07.5Z"), base + 500ms);
  EXPECT_EQ(ParseDbtTimestamp("2025-03-04 05:06:07.000001+00:00"), base + 1us);
  EXPECT_EQ(ParseDbtTimestamp("2025-03-04T07:06:07+02:00"), base);
  EXPECT_EQ(ParseDbtTimestamp("2025-03-04T00:36:07-04:30"), base);
  EXPECT_EQ(ParseDbtTimestamp("2024-02-29T00:00:00Z"), At(2024, 2, 29, 0, 0, 0));
}

TEST(TimestampTest, RejectsAnythingElse) {
  for (const char* text :
       {"", "2025-03-04", "2025-03-04T05:06:07", "2025-03-04T05:06:07.Z", "2025-13-01T00:00:00Z",
        "2025-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2025-03-04T24:00:00Z",
        "2025-03-04T05:60:00Z", "2025-03-04T05:06:60Z", "2025-03-04T05:06:07+0000",
        "2025-03-04T05:06:07+24:00", "2025-03-04T05:06:07Zjunk", "25-03-04T05:06:07Z",
        "2025-3-4T05:06:07Z", "2025-03-04X05:06:07Z", "1741064767", "null"}) {
    EXPECT_FALSE(ParseDbtTimestamp(text).has_value()) << text;
  }
}

ServiceToken Token(std::int64_t id, std::string name, std::string created_at) {
  ServiceToken token;
  token.id = id;
  token.name = std::move(name);
  token.created_at = std::move(created_at);
  return token;
}

TEST(RecoveryTest, FindsTokensByNameCreatedAtOrAfter) {
  const std::vector<ServiceToken> tokens = {
      Token(1, "rotate-x", "2025-03-04T05:06:06.999999Z"),  // before
      Token(2, "rotate-x", "2025-03-04T05:06:07Z"),         // exactly at
      Token(3, "rotate-y", "2025-03-04T05:06:08Z"),         // other name
      Token(4, "rotate-x", "2025-03-04T05:06:08.5+00:00"),  // after
      Token(5, "rotate-y", "garbage"),                      // other name: ignored
  };
  auto found = FindTokensCreatedSince(tokens, "rotate-x", At(2025, 3, 4, 5, 6, 7));
  ASSERT_TRUE(found.has_value()) << found.error().message;
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].id, 2);
  EXPECT_EQ((*found)[1].id, 4);

  auto none = FindTokensCreatedSince(tokens, "rotate-z", At(2025, 3, 4, 5, 6, 7));
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
}

TEST(RecoveryTest, RefusesToGuessWhenASameNamedTokenHasABadTimestamp) {
  const std::vector<ServiceToken> tokens = {Token(9, "rotate-x", "yesterday")};
  auto found = FindTokensCreatedSince(tokens, "rotate-x", At(2025, 1, 1, 0, 0, 0));
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, ErrorCode::kMalformedResponse);
  EXPECT_NE(found.error().message.find("service token 9"), std::string::npos);
}

}  // namespace
}  // namespace dbtrotate::dbtcloud
