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

// Found by fuzz/duration_date (UBSan: signed overflow converting to nanoseconds): years outside
// what SystemTime holds saturate, keep their order, and still format and parse back.
TEST(Iso8601Test, YearsBeyondTheClockRangeSaturate) {
  const auto never = ParseIso8601("9999-12-31T23:59:59Z");
  ASSERT_TRUE(never);
  EXPECT_GT(*never, Utc(2262, 1, 1, 0, 0, 0));
  EXPECT_EQ(ParseIso8601(FormatIso8601(*never)), never);
  const auto ancient = ParseIso8601("1013-05-01T00:00:00.5-05:00");
  ASSERT_TRUE(ancient);
  EXPECT_LT(*ancient, Utc(1678, 1, 1, 0, 0, 0));
  EXPECT_EQ(ParseIso8601(FormatIso8601(*ancient)), ancient);
  EXPECT_EQ(ParseIso8601("0000-01-01T00:00:00Z"), ancient);
  EXPECT_EQ(ParseIso8601("2261-12-31T23:59:59Z"), Utc(2261, 12, 31, 23, 59, 59));
  EXPECT_EQ(ParseIso8601("1678-01-01T00:00:00Z"), Utc(1678, 1, 1, 0, 0, 0));
}

TEST(Iso8601Test, FormatsUtc) {
  EXPECT_EQ(FormatIso8601(Utc(2026, 8, 30, 13, 36, 5)), "2026-08-30T13:36:05Z");
}

}  // namespace
}  // namespace dbtrotate
