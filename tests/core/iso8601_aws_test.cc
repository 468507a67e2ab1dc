#include <gtest/gtest.h>

#include "core/iso8601.h"

namespace dbtrotate {
namespace {

SystemTime Utc(int year, unsigned month, unsigned day, int hour, int minute, int second) {
  return std::chrono::sys_days{std::chrono::year{year} / std::chrono::month{month} /
                               std::chrono::day{day}} +
         std::chrono::hours{hour} + std::chrono::minutes{minute} + std::chrono::seconds{second};
}

TEST(Iso8601Test, ParsesTheShapesAwsUses) {
  EXPECT_EQ(ParseIso8601("2026-08-30T13:36:00Z"), Utc(2026, 8, 30, 13, 36, 0));
  EXPECT_EQ(ParseIso8601("2019-05-29T00:21:43Z"), Utc(2019, 5, 29, 0, 21, 43));
  EXPECT_EQ(ParseIso8601("2026-08-30T13:36:00.000Z"), Utc(2026, 8, 30, 13, 36, 0));
  EXPECT_EQ(ParseIso8601("2026-08-30T13:36:00.5Z"),
            Utc(2026, 8, 30, 13, 36, 0) + std::chrono::milliseconds(500));
  EXPECT_EQ(ParseIso8601("2026-08-30T13:36:00+00:00"), Utc(2026, 8, 30, 13, 36, 0));
  EXPECT_EQ(ParseIso8601("2026-08-30T15:36:00+02:00"), Utc(2026, 8, 30, 13, 36, 0));
  EXPECT_EQ(ParseIso8601("2026-08-30T08:36:00-0500"), Utc(2026, 8, 30, 13, 36, 0));
  EXPECT_EQ(ParseIso8601("2024-02-29 23:59:59z"), Utc(2024, 2, 29, 23, 59, 59));
}

TEST(Iso8601Test, RejectsEverythingElse) {
  for (const char* bad :
       {"", "2026-08-30", "2026-08-30T13:36:00", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
        "2026-08-30T24:00:00Z", "2026-08-30T13:36:00Zjunk", "2026-08-30T13:36:00.Z", "1693402560",
        "2026/08/30T13:36:00Z", "2026-08-30T13:36:00+25:00"}) {
    EXPECT_FALSE(ParseIso8601(bad)) << bad;
  }
}

TEST(Iso8601Test, FormatsUtc) {
  EXPECT_EQ(FormatIso8601(Utc(2026, 8, 30, 13, 36, 5)), "2026-08-30T13:36:05Z");
}

}  // namespace
}  // namespace dbtrotate
