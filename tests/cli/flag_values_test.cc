#include "cli/flag_values.h"

#include <gtest/gtest.h>

namespace dbtrotate::cli {
namespace {

TEST(ParseDecimalTest, AcceptsPlainDecimalInRange) {
  EXPECT_EQ(*ParseDecimal("0", "--port", 0, 65535), 0);
  EXPECT_EQ(*ParseDecimal("065535", "--port", 0, 65535), 65535);
  EXPECT_EQ(*ParseDecimal("02041", "--token-id", 1, INT64_MAX), 2041);
  EXPECT_EQ(*ParseDecimal("9223372036854775807", "--x", 1, INT64_MAX), INT64_MAX);
}

TEST(ParseDecimalTest, RefusesEverythingElse) {
  for (const char* bad : {"", "0x10", "010x", "1e3", "+1", "-1", " 1", "1 ", "1.0", "١"}) {
    auto parsed = ParseDecimal(bad, "--port", 0, 65535);
    EXPECT_FALSE(parsed) << bad;
    if (!parsed) {
      EXPECT_NE(parsed.error().find("--port"), std::string::npos);
    }
  }
  auto big = ParseDecimal("99999999999999999999", "--token-id", 1, INT64_MAX);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().find("out of range"), std::string::npos) << big.error();
  EXPECT_FALSE(ParseDecimal("65536", "--port", 0, 65535));
}

TEST(ParsePositiveIdTest, ZeroAndNegativesAreRefused) {
  EXPECT_EQ(*ParsePositiveId("012345", "DBT_CLOUD_ACCOUNT_ID", "account"), 12345);
  EXPECT_FALSE(ParsePositiveId("0", "--account-id", "account"));
  auto negative = ParsePositiveId("-5", "--account-id", "your dbt Cloud account id");
  ASSERT_FALSE(negative);
  EXPECT_NE(negative.error().find("positive"), std::string::npos) << negative.error();
}

TEST(ParseSecondsTest, OnlyFiniteDecimalsInRange) {
  EXPECT_DOUBLE_EQ(*ParseSeconds("2.5", "--timeout", 1, 600), 2.5);
  EXPECT_DOUBLE_EQ(*ParseSeconds("600", "--timeout", 1, 600), 600);
  for (const char* bad : {"", "0.0001", "0", "600.5", "nan", "NaN", "inf", "-1", "1e2", "0x10",
                          ".5", "1.", "1..2", " 1"}) {
    EXPECT_FALSE(ParseSeconds(bad, "--timeout", 1, 600)) << bad;
  }
}

}  // namespace
}  // namespace dbtrotate::cli
