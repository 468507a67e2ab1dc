#include "dbtcloud/recovery.h"

#include <gtest/gtest.h>

#include <chrono>

namespace dbtrotate::dbtcloud {
namespace {

using namespace std::chrono_literals;

SystemTime At(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}} +
         std::chrono::hours{hh} + std::chrono::minutes{mm} + std::chrono::seconds{ss};
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
