#include <gtest/gtest.h>

#include <chrono>

#include "core/iso8601.h"

namespace dbtrotate {
namespace {

using namespace std::chrono_literals;

SystemTime At(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}} +
         std::chrono::hours{hh} + std::chrono::minutes{mm} + std::chrono::seconds{ss};
}

TEST(TimestampTest, ParsesDbtForms) {
  const SystemTime base = At(2025, 3, 4, 5, 6, 7);
  EXPECT_EQ(ParseIso8601("2025-03-04T05:06:07Z"), base);
  EXPECT_EQ(ParseIso8601("2025-03-04T05:06:07+00:00"), base);
  EXPECT_EQ(ParseIso8601("2025-03-04T05:06:07.123456Z"), base + 123456us);
  EXPECT_EQ(ParseIso8601("2025-03-04T05:06:07.123456+00:00"), base + 123456us);
  EXPECT_EQ(ParseIso8601("2025-03-04T05:06:07.5Z"), base + 500ms);
  EXPECT_EQ(ParseIso8601("2025-03-04 05:06:07.000001+00:00"), base + 1us);
  EXPECT_EQ(ParseIso8601("2025-03-04T07:06:07+02:00"), base);
  EXPECT_EQ(ParseIso8601("2025-03-04T00:36:07-04:30"), base);
  EXPECT_EQ(ParseIso8601("2024-02-29T00:00:00Z"), At(2024, 2, 29, 0, 0, 0));
}

TEST(TimestampTest, RejectsAnythingElse) {
  for (const char* text :
       {"", "2025-03-04", "2025-03-04T05:06:07", "2025-03-04T05:06:07.Z", "2025-13-01T00:00:00Z",
        "2025-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2025-03-04T24:00:00Z",
        "2025-03-04T05:60:00Z", "2025-03-04T05:06:60Z", "2025-03-04T05:06:07+24:00",
        "2025-03-04T05:06:07Zjunk", "25-03-04T05:06:07Z", "2025-3-4T05:06:07Z",
        "2025-03-04X05:06:07Z", "1741064767", "null"}) {
    EXPECT_FALSE(ParseIso8601(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace dbtrotate
