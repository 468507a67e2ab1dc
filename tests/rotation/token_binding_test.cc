// The secret's token string must be proven to be the token its service_token_id names before a
// rotation copies that token's grants or revokes it (hostile review, finding 1).

#include "rotation/token_binding.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <memory>

#include "emulator_world.h"
#include "rotation/iso_time.h"
#include "fake_world.h"
#include "scenario_fixture.h"

namespace dbtrotate::testing {
namespace {

using rotation::Binding;
using rotation::Outcome;

dbtcloud::ServiceToken Row(std::int64_t id, std::string uid, std::string name = "t") {
  dbtcloud::ServiceToken row;
  row.id = id;
  row.uid = std::move(uid);
  row.name = std::move(name);
  return row;
}

const SecretString kString =
    SecretString::CopyOf("dbtc_k3v9q2m8x1z7w4r6AbCdEfGhIjKlMnOpQrStUvWxYz0123456789");

TEST(CheckTokenBinding, TheClaimedUidInTheStringProvesIt) {
  auto check = rotation::CheckTokenBinding(kString, Row(7, "k3v9q2m8x1z7w4r6"), {});
  EXPECT_EQ(check.binding, Binding::kProven);
}

TEST(CheckTokenBinding, AnotherTokensUidNamesTheRealOwner) {
  auto check = rotation::CheckTokenBinding(
      kString, Row(7, "zzzzzzzzzzzzzzzz"),
      {Row(7, "zzzzzzzzzzzzzzzz"), Row(9, "aaaaaaaaaaaaaaaa"), Row(12, "k3v9q2m8x1z7w4r6", "ci")});
  EXPECT_EQ(check.binding, Binding::kMismatch);
  EXPECT_EQ(check.actual_id, 12);
  EXPECT_EQ(check.actual_name, "ci");
}

TEST(CheckTokenBinding, NoUsableUidIsUnprovable) {
  EXPECT_EQ(rotation::CheckTokenBinding(kString, Row(7, ""), {}).binding, Binding::kUnprovable);
  // Too short to mean anything: "k3v9" occurs in the string, but could by chance.
  EXPECT_EQ(rotation::CheckTokenBinding(kString, Row(7, "k3v9"), {}).binding, Binding::kUnprovable);
  EXPECT_EQ(rotation::CheckTokenBinding(kString, Row(7, "not-in-the-string"), {}).binding,
            Binding::kUnprovable);
}

TEST(CheckTokenBinding, MessagesNeverQuoteTheStringOrAUid) {
  auto mismatch = rotation::CheckTokenBinding(kString, Row(7, "zzzzzzzzzzzzzzzz"),
                                              {Row(12, "k3v9q2m8x1z7w4r6", "ci")});
  for (const auto& check : {mismatch, rotation::BindingCheck{}}) {
    const std::string message = rotation::BindingFailureMessage(check, "secret 's'", 7);
    EXPECT_EQ(message.find("k3v9q2m8"), std::string::npos) << message;
    EXPECT_EQ(message.find("dbtc_"), std::string::npos) << message;
    EXPECT_NE(message.find("Nothing was created or revoked"), std::string::npos) << message;
    EXPECT_NE(message.find("init --force"), std::string::npos) << message;
  }
}

// --- the attacks and the honest case, over every world ------------------------------------

const std::vector<dbtcloud::PermissionGrant> kRunnerGrants = {
    {"job_runner", 5, std::vector<std::string>{}}};

TEST_P(RotateScenario, ALowPrivilegeStringWithAnAdminIdMintsNothing) {
  // Anyone who can write the runner's secret pairs its string with the admin token's id.
  auto manager = h().CreateToken("rotation-manager", AdminGrants());
  h().SeedSecret("dbt/manager", manager, Now());
  auto victim = h().CreateToken("terraform-admin", AdminGrants());
  auto runner = h().CreateToken("nightly-runner", kRunnerGrants);
  h().SeedSecret("dbt/runner", Harness::Token{victim.id, runner.token.Clone(), runner.name},
                 Now() - Days(40));
  const auto tokens_before = h().Tokens().size();

  auto options = h().Options("dbt/runner");
  options.connection.manager_secret_id = "dbt/manager";
  auto plan = std::make_shared<FaultPlan>();
  auto report = h().Rotate(options, plan);
  EXPECT_EQ(report.outcome, Outcome::kNeedsAttention) << report.message;
  EXPECT_EQ(rotation::ExitCode(report.outcome), 3);
  EXPECT_EQ(plan->writes(), 0);
  EXPECT_EQ(h().Tokens().size(), tokens_before);  // no admin token minted
  EXPECT_TRUE(h().IsActive(victim.id));
  EXPECT_TRUE(h().IsActive(runner.id));
  EXPECT_NE(report.message.find(fmt::format("belongs to token {}", runner.id)), std::string::npos)
      << report.message;
  EXPECT_EQ(report.message.find(std::string(runner.token.expose())), std::string::npos);
}

TEST_P(RotateScenario, AForgedStringCarryingTheAdminsUidMintsNothing) {
  // Whoever can read the account's tokens (account_viewer) sees uids: a string made of "dbtc_" +
  // the admin's uid carries it, but is no token. The manager must not take it for one.
  auto manager = h().CreateToken("rotation-manager", AdminGrants());
  h().SeedSecret("dbt/manager", manager, Now());
  auto victim = h().CreateToken("terraform-admin", AdminGrants());
  std::string uid;
  for (const auto& row : h().Tokens()) {
    if (row.id == victim.id) uid = row.uid;
  }
  ASSERT_FALSE(uid.empty());
  std::string forged = "dbtc_" + uid;
  forged.append(55 - forged.size(), 'A');
  h().SeedSecret("dbt/forged", Harness::Token{victim.id, SecretString(std::move(forged)), "x"},
                 Now() - Days(40));
  const auto tokens_before = h().Tokens().size();
  auto options = h().Options("dbt/forged");
  options.connection.manager_secret_id = "dbt/manager";
  auto plan = std::make_shared<FaultPlan>();
  auto report = h().Rotate(options, plan);
  EXPECT_EQ(report.outcome, Outcome::kNeedsAttention) << report.message;
  EXPECT_EQ(plan->writes(), 0);
  EXPECT_EQ(h().Tokens().size(), tokens_before);
  EXPECT_TRUE(h().IsActive(victim.id));
}

TEST_P(RotateScenario, AnAdminStringWithAnotherAdminsIdRevokesNeither) {
  // The typo: the notebook's secret says 1057 where its token is 2041; 1057 is another admin.
  auto mine = h().CreateToken(kAdminSecret, AdminGrants());
  auto other = h().CreateToken("another-team-admin", AdminGrants());
  h().SeedSecret(kAdminSecret, Harness::Token{other.id, mine.token.Clone(), mine.name},
                 Now() - Days(40));
  auto plan = std::make_shared<FaultPlan>();
  auto report = h().Rotate(h().Options(kAdminSecret), plan);
  EXPECT_EQ(report.outcome, Outcome::kNeedsAttention) << report.message;
  EXPECT_EQ(plan->writes(), 0);
  EXPECT_TRUE(h().IsActive(mine.id));
  EXPECT_TRUE(h().IsActive(other.id));
}

TEST_P(RotateScenario, ADryRunReportsTheMismatchToo) {
  auto mine = h().CreateToken(kAdminSecret, AdminGrants());
  auto other = h().CreateToken("another-team-admin", AdminGrants());
  h().SeedSecret(kAdminSecret, Harness::Token{other.id, mine.token.Clone(), mine.name},
                 Now() - Days(40));
  auto options = h().Options(kAdminSecret);
  options.dry_run = true;
  auto plan = std::make_shared<FaultPlan>();
  auto report = h().Rotate(options, plan);
  EXPECT_EQ(report.outcome, Outcome::kNeedsAttention) << report.message;
  EXPECT_EQ(plan->writes(), 0);
}

TEST_P(RotateScenario, HonestSecretsRotateInBothModes) {
  SeedSelfRotating();
  EXPECT_EQ(h().Rotate(h().Options(kAdminSecret)).outcome, Outcome::kRotated);
  auto manager = h().CreateToken("rotation-manager", AdminGrants());
  h().SeedSecret("dbt/manager", manager, Now());
  auto runner = h().CreateToken("nightly-runner", kRunnerGrants);
  h().SeedSecret("dbt/runner", runner, Now() - Days(40));
  auto options = h().Options("dbt/runner");
  options.connection.manager_secret_id = "dbt/manager";
  auto report = h().Rotate(options);
  EXPECT_EQ(report.outcome, Outcome::kRotated) << report.message;
  // …and the rotated secrets are honest pairs for the next rotation.
  EXPECT_EQ(h().Rotate(options).outcome, Outcome::kRotated);
  EXPECT_EQ(h().Rotate(h().Options(kAdminSecret)).outcome, Outcome::kRotated);
}

// --- the recorded previous token ---------------------------------------------------------
// previous_service_token_id is as writable as the rest of the secret: a forged one must not
// make a run revoke another team's token. A version of the secret must still hold a string
// whose uid proves the id (rotation/previous_token.h).

rotation::Json ForgedPrevious(std::int64_t victim_id, SystemTime revoke_after) {
  return {{"previous_service_token_id", victim_id},
          {"previous_revoke_after", rotation::FormatIsoTime(revoke_after)}};
}

TEST_P(RotateScenario, AForgedDuePreviousIdIsNotRevoked) {
  auto mine = h().CreateToken(kAdminSecret, AdminGrants());
  auto victim = h().CreateToken("another-team-admin", AdminGrants());
  h().SeedSecret(kAdminSecret, mine, Now(), ForgedPrevious(victim.id, Now() - Days(1)));
  auto report = h().Rotate(h().Options(kAdminSecret));  // not due: only the revocation is
  EXPECT_EQ(report.outcome, Outcome::kNeedsAttention) << report.message;
  EXPECT_TRUE(h().IsActive(victim.id));
  EXPECT_TRUE(h().IsActive(mine.id));
  EXPECT_NE(report.message.find(fmt::format("previous token {} recorded", victim.id)),
            std::string::npos)
      << report.message;
  EXPECT_EQ(report.message.find("dbtc_"), std::string::npos);
}

TEST_P(RotateScenario, AForgedSupersededIdStopsTheRotationBeforeItCreates) {
  auto mine = h().CreateToken(kAdminSecret, AdminGrants());
  auto victim = h().CreateToken("another-team-admin", AdminGrants());
  h().SeedSecret(kAdminSecret, mine, Now() - Days(40),
                 ForgedPrevious(victim.id, Now() + Days(1)));
  const auto tokens_before = h().Tokens().size();
  auto report = h().Rotate(h().Options(kAdminSecret));
  EXPECT_EQ(report.outcome, Outcome::kNeedsAttention) << report.message;
  EXPECT_TRUE(h().IsActive(victim.id));
  EXPECT_TRUE(h().IsActive(mine.id));
  EXPECT_EQ(h().Tokens().size(), tokens_before);  // nothing created
  EXPECT_FALSE(h().UnfinishedPending(kAdminSecret).has_value());  // the lock was released
}

TEST_P(RotateScenario, AnHonestPreviousIsFoundAfterAValueWasStoredByHand) {
  // Someone stores the current value again after a rotation: AWSPREVIOUS moves to the version
  // holding the new token, so the old token's string is found among the other versions.
  auto first = SeedSelfRotating();
  auto options = h().Options(kAdminSecret);
  options.overlap = {rotation::OverlapKind::kDuration, std::chrono::hours(1)};
  options.min_age = Days(30);
  auto rotated = h().Rotate(options);
  ASSERT_EQ(rotated.outcome, Outcome::kRotated) << rotated.message;
  aws::PutSecretValueRequest put;
  put.secret_id = kAdminSecret;
  put.client_request_token = world().Rand().UuidV4();
  put.secret_string = SecretString(h().Current(kAdminSecret).dump());
  ASSERT_TRUE(world().Secrets().PutSecretValue(put).has_value());
  world().Clock().Advance(std::chrono::hours(2));
  auto revoking = h().Rotate(options);
  // Where AWSPENDING stayed on the rotated version, the hand-stored value makes it look like
  // an abandoned rotation, which is cleared (its token is the current one: kept).
  EXPECT_TRUE(revoking.outcome == Outcome::kNotDue || revoking.outcome == Outcome::kRolledBack)
      << revoking.message;
  EXPECT_EQ(revoking.revoked_token_ids, std::vector<std::int64_t>{first.id});
  EXPECT_TRUE(h().CurrentTokenWorks(kAdminSecret));
  EXPECT_EQ(h().ActiveIds(kAdminSecret), std::set<std::int64_t>{*rotated.new_token_id});
}

TEST_P(StatusInitScenario, InitWithAMistypedTokenIdWritesNothing) {
  auto mine = h().CreateToken("ci", AdminGrants());
  auto other = h().CreateToken("another-team-admin", AdminGrants());
  auto options = Init("dbt/ci", mine);
  options.token_id = other.id;
  auto report = h().MakeEngine().Init(options);
  EXPECT_EQ(report.outcome, Outcome::kNeedsAttention) << report.message;
  EXPECT_NE(report.message.find(fmt::format("belongs to token {}", mine.id)), std::string::npos)
      << report.message;
  EXPECT_FALSE(world().Secrets().DescribeSecret("dbt/ci").has_value());
}

TEST_P(StatusInitScenario, InitOfANonAdminTokenNeedsAManagerToProveItsId) {
  auto runner = h().CreateToken("runner", kRunnerGrants);
  auto report = h().MakeEngine().Init(Init("dbt/runner", runner));
  EXPECT_EQ(report.outcome, Outcome::kNeedsAttention) << report.message;
  EXPECT_NE(report.message.find("--manager-secret-id"), std::string::npos) << report.message;
  EXPECT_FALSE(world().Secrets().DescribeSecret("dbt/runner").has_value());

  auto manager = h().CreateToken("rotation-manager", AdminGrants());
  h().SeedSecret("dbt/manager", manager, Now());
  auto options = Init("dbt/runner", runner);
  options.manager_secret_id = "dbt/manager";
  auto proven = h().MakeEngine().Init(options);
  EXPECT_EQ(proven.outcome, Outcome::kInitialized) << proven.message;

  auto stranger = h().CreateToken("stranger", kRunnerGrants);
  options.secret_id = "dbt/stranger";
  options.token_id = stranger.id;  // the runner's string with the stranger's id
  auto refused = h().MakeEngine().Init(options);
  EXPECT_EQ(refused.outcome, Outcome::kNeedsAttention) << refused.message;
}

// --- servers whose token strings do not carry the uid: fail closed --------------------------

void ExpectFailsClosed(World& world) {
  Harness h(world);
  auto token = h.CreateToken(kAdminSecret, AdminGrants());
  h.SeedSecret(kAdminSecret, token, world.Clock().Now() - std::chrono::hours(24 * 40));
  auto plan = std::make_shared<FaultPlan>();
  auto report = h.Rotate(h.Options(kAdminSecret), plan);
  EXPECT_EQ(report.outcome, Outcome::kNeedsAttention) << report.message;
  EXPECT_NE(report.message.find("cannot prove"), std::string::npos) << report.message;
  EXPECT_EQ(plan->writes(), 0);
  EXPECT_EQ(h.ActiveIds(kAdminSecret), std::set<std::int64_t>{token.id});
}

TEST(TokenBindingFailsClosed, OnAFakeWhoseStringsLackTheUid) {
  FakeWorldOptions options;
  options.dbt.uid_in_token = false;
  FakeWorld world(options);
  ExpectFailsClosed(world);
}

TEST(TokenBindingFailsClosed, OnAnEmulatorWhoseStringsLackTheUid) {
  EmulatorWorldOptions options;
  options.dbt.uid_in_token_string = false;
  EmulatorWorld world(options);
  ASSERT_TRUE(world.ok()) << world.error();
  ExpectFailsClosed(world);
}

}  // namespace
}  // namespace dbtrotate::testing
