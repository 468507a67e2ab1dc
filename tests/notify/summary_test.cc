#include "notify/summary.h"

#include <gtest/gtest.h>

namespace dbtrotate::notify {
namespace {

Summary Rotated() {
  Summary summary;
  summary.outcome = "rotated";
  summary.secret_id = "prod/dbt";
  summary.old_token_id = 11;
  summary.new_token_id = 12;
  summary.revoked_token_ids = {11};
  summary.duration = std::chrono::milliseconds(1234);
  summary.message = "token 12 is current";
  return summary;
}

TEST(SummaryTest, ASuccessReadsAsOneLine) {
  EXPECT_EQ(SummaryText(Rotated()),
            "dbt-rotate rotate: secret 'prod/dbt' rotated (token 11 -> 12), exit code 0, 1.2 s. "
            "token 12 is current");
}

TEST(SummaryTest, AFailureSaysSoAndWhatToDo) {
  Summary summary = Rotated();
  summary.outcome = "needs_attention";
  summary.exit_code = 3;
  summary.new_token_id.reset();
  summary.message = "AWSPENDING holds a foreign version: remove it, then run again";
  EXPECT_EQ(SummaryText(summary),
            "dbt-rotate rotate: secret 'prod/dbt' FAILED: needs_attention, exit code 3, 1.2 s. "
            "AWSPENDING holds a foreign version: remove it, then run again");
}

TEST(SummaryTest, PayloadIsSlackTextPlusStructuredFields) {
  const auto payload = SummaryPayload(Rotated());
  EXPECT_EQ(payload["text"], SummaryText(Rotated()));
  EXPECT_EQ(payload["tool"], "dbt-rotate");
  EXPECT_EQ(payload["outcome"], "rotated");
  EXPECT_EQ(payload["exit_code"], 0);
  EXPECT_EQ(payload["secret_id"], "prod/dbt");
  EXPECT_EQ(payload["old_token_id"], 11);
  EXPECT_EQ(payload["new_token_id"], 12);
  EXPECT_EQ(payload["revoked_token_ids"], nlohmann::json::array({11}));
  EXPECT_DOUBLE_EQ(payload["duration_seconds"].get<double>(), 1.234);
  EXPECT_TRUE(payload["warnings"].is_array());
}

TEST(SummaryTest, AbsentIdsAreNull) {
  Summary summary;
  summary.outcome = "not_due";
  summary.secret_id = "s";
  const auto payload = SummaryPayload(summary);
  EXPECT_TRUE(payload["old_token_id"].is_null());
  EXPECT_TRUE(payload["new_token_id"].is_null());
}

}  // namespace
}  // namespace dbtrotate::notify
