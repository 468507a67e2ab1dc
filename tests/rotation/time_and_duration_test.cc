#include <gtest/gtest.h>

#include <chrono>

#include "rotation/duration.h"
#include "rotation/iso_time.h"
#include "rotation/options.h"

namespace dbtrotate::rotation {
namespace {

using namespace std::chrono;

SystemTime At(int y, unsigned m, unsigned d, int h = 0, int min = 0, int s = 0, int us = 0) {
  return time_point_cast<SystemTime::duration>(sys_days{year{y} / month{m} / day{d}} + hours{h} +
                                               minutes{min} + seconds{s} + microseconds{us});
}

TEST(IsoTimeTest, FormatsLikePythonIsoformat) {
  EXPECT_EQ(FormatIsoTime(At(2025, 2, 24, 18, 3, 12, 123456)), "2025-02-24T18:03:12.123456+00:00");
  EXPECT_EQ(FormatIsoTime(At(2026, 1, 1)), "2026-01-01T00:00:00.000000+00:00");
}

TEST(IsoTimeTest, ParsesTheNotebookAndDbtForms) {
  EXPECT_EQ(ParseIsoTime("2025-02-24T18:03:12.123456+00:00"), At(2025, 2, 24, 18, 3, 12, 123456));
  EXPECT_EQ(ParseIsoTime("2025-02-24T18:03:12Z"), At(2025, 2, 24, 18, 3, 12));
  EXPECT_EQ(ParseIsoTime("2025-02-24 18:03:12.5+00:00"), At(2025, 2, 24, 18, 3, 12, 500000));
  EXPECT_EQ(ParseIsoTime("2025-02-24T20:03:12+02:00"), At(2025, 2, 24, 18, 3, 12));
}

TEST(IsoTimeTest, ReadsAValueWithoutZoneAsUtc) {
  EXPECT_EQ(ParseIsoTime("2025-02-24T18:03:12.123456"), At(2025, 2, 24, 18, 3, 12, 123456));
}

TEST(IsoTimeTest, RoundTrips) {
  const auto time = At(2031, 12, 31, 23, 59, 59, 999999);
  EXPECT_EQ(ParseIsoTime(FormatIsoTime(time)), time);
}

TEST(IsoTimeTest, RejectsGarbage) {
  for (const char* bad : {"", "yesterday", "2025-02-30T00:00:00Z", "2025-13-01T00:00:00Z",
                          "2025-02-24", "2025-02-24T25:00:00Z", "2025-02-24T18:03:12+00:00x"}) {
    EXPECT_FALSE(ParseIsoTime(bad).has_value()) << bad;
  }
}

TEST(DurationTest, ParsesUnitsAndSums) {
  EXPECT_EQ(*ParseDuration("90s", "x"), seconds{90});
  EXPECT_EQ(*ParseDuration("15m", "x"), minutes{15});
  EXPECT_EQ(*ParseDuration("36h", "x"), hours{36});
  EXPECT_EQ(*ParseDuration("7d", "x"), hours{24 * 7});
  EXPECT_EQ(*ParseDuration("2w", "x"), hours{24 * 14});
  EXPECT_EQ(*ParseDuration("1d12h", "x"), hours{36});
  EXPECT_EQ(*ParseDuration("0s", "x"), seconds{0});
}

TEST(DurationTest, RejectsBadInputNamingTheOption) {
  for (const char* bad : {"", "7", "d", "-1d", "1.5h", "3x", "1d 2h", "999999999999w"}) {
    auto parsed = ParseDuration(bad, "--min-age");
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kBadDuration);
    EXPECT_NE(parsed.error().message.find("--min-age"), std::string::npos) << bad;
  }
}

TEST(DurationTest, Formats) {
  EXPECT_EQ(FormatDuration(hours{36}), "1d12h");
  EXPECT_EQ(FormatDuration(minutes{15}), "15m");
  EXPECT_EQ(FormatDuration(seconds{0}), "0s");
  EXPECT_EQ(FormatDuration(hours{24 * 40} + seconds{5}), "40d5s");
}

TEST(OverlapTest, ParsesEachPolicy) {
  EXPECT_EQ(ParseOverlap("none")->kind, OverlapKind::kNone);
  EXPECT_EQ(ParseOverlap("until-next")->kind, OverlapKind::kUntilNext);
  auto duration = ParseOverlap("36h");
  ASSERT_TRUE(duration.has_value());
  EXPECT_EQ(duration->kind, OverlapKind::kDuration);
  EXPECT_EQ(duration->duration, hours{36});
  EXPECT_EQ(ParseOverlap("0s")->kind, OverlapKind::kNone);
  auto bad = ParseOverlap("forever");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("until-next"), std::string::npos);
}

}  // namespace
}  // namespace dbtrotate::rotation
