#include "rotation/intent.h"

#include <gtest/gtest.h>

#include <chrono>

#include "rotation/iso_time.h"

namespace dbtrotate::rotation {
namespace {

using namespace std::chrono;

const SystemTime kSince = *ParseIsoTime("2026-03-01T12:00:00Z");
constexpr Duration kSkew = minutes(5);
constexpr Duration kLease = minutes(15);

dbtcloud::ServiceToken Row(std::int64_t id, const std::string& name, SystemTime created,
                           int state = dbtcloud::kStateActive) {
  dbtcloud::ServiceToken row;
  row.id = id;
  row.name = name;
  row.state = state;
  row.created_at = FormatIsoTime(created);
  return row;
}

Intent MakeIntent() {
  Intent intent;
  intent.rotation_id = "rot-1";
  intent.started_at = kSince;
  intent.scans.push_back(OrphanScan{"runner", kSince, {10, 11}});
  return intent;
}

TEST(IntentTest, RoundTrips) {
  Intent intent = MakeIntent();
  intent.revoke_token_ids = {99};
  auto doc = SecretJson::Parse(SerializeIntent(intent).expose());
  ASSERT_TRUE(doc.has_value());
  ASSERT_TRUE(IsIntentDocument(doc->doc()));
  auto parsed = ParseIntent(doc->doc(), "v");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(*parsed, intent);
}

TEST(IntentTest, RejectsADamagedRecord) {
  auto doc = Json::parse(R"({"dbt_rotate_intent": {"format": 1, "rotation_id": "x"}})");
  auto parsed = ParseIntent(doc, "v");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message.find("started_at"), std::string::npos);
  EXPECT_FALSE(ParseIntent(Json::parse(R"({"dbt_rotate_intent": {"format": 9}})"), "v"));
}

TEST(FindOrphansTest, FindsTheOneTokenCreatedDuringTheRotation) {
  std::vector<dbtcloud::ServiceToken> tokens = {
      Row(10, "runner", kSince - minutes(1)),      // existed before: recorded
      Row(11, "runner", kSince - hours(24 * 30)),  // old, recorded
      Row(12, "other", kSince + seconds(1)),       // another name
      Row(13, "runner", kSince + seconds(2)),      // ours
  };
  auto found = FindOrphans(MakeIntent(), tokens, {}, kSkew, kLease);
  EXPECT_EQ(found.orphans, std::vector<std::int64_t>{13});
  EXPECT_TRUE(found.unresolved.empty());
}

TEST(FindOrphansTest, ToleratesClockSkewButNotMore) {
  auto intent = MakeIntent();
  EXPECT_EQ(
      FindOrphans(intent, {Row(13, "runner", kSince - minutes(4))}, {}, kSkew, kLease).orphans,
      std::vector<std::int64_t>{13});
  EXPECT_TRUE(FindOrphans(intent, {Row(13, "runner", kSince - minutes(6))}, {}, kSkew, kLease)
                  .orphans.empty());
  // A run never creates after its lease: later tokens are someone else's.
  EXPECT_TRUE(FindOrphans(intent, {Row(13, "runner", kSince + minutes(21))}, {}, kSkew, kLease)
                  .orphans.empty());
}

TEST(FindOrphansTest, NeverReturnsProtectedOrDeletedTokens) {
  std::vector<dbtcloud::ServiceToken> tokens = {
      Row(13, "runner", kSince + seconds(2)),
      Row(14, "runner", kSince + seconds(3), dbtcloud::kStateDeleted)};
  EXPECT_TRUE(FindOrphans(MakeIntent(), tokens, {13}, kSkew, kLease).orphans.empty());
}

TEST(FindOrphansTest, RefusesToChooseBetweenTwoCandidates) {
  std::vector<dbtcloud::ServiceToken> tokens = {Row(13, "runner", kSince + seconds(2)),
                                                Row(14, "runner", kSince + seconds(3))};
  auto found = FindOrphans(MakeIntent(), tokens, {}, kSkew, kLease);
  EXPECT_TRUE(found.orphans.empty());
  ASSERT_EQ(found.unresolved.size(), 1u);
  EXPECT_NE(found.unresolved[0].find("13, 14"), std::string::npos);
}

TEST(FindOrphansTest, AnUnreadableTimestampIsUnresolvedNotRevoked) {
  auto row = Row(13, "runner", kSince);
  row.created_at = "sometime";
  auto found = FindOrphans(MakeIntent(), {row}, {}, kSkew, kLease);
  EXPECT_TRUE(found.orphans.empty());
  EXPECT_EQ(found.unresolved.size(), 1u);
}

TEST(FindOrphansTest, RevokesKnownTokensOnlyWhileActiveAndUnprotected) {
  Intent intent;
  intent.rotation_id = "r";
  intent.started_at = kSince;
  intent.revoke_token_ids = {20, 21, 22};
  std::vector<dbtcloud::ServiceToken> tokens = {Row(20, "a", kSince - hours(5)),
                                                Row(21, "a", kSince, dbtcloud::kStateDeleted),
                                                Row(22, "a", kSince)};
  EXPECT_EQ(FindOrphans(intent, tokens, {22}, kSkew, kLease).orphans,
            std::vector<std::int64_t>{20});
}

}  // namespace
}  // namespace dbtrotate::rotation
