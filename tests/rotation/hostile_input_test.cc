// Hostile or unlucky inputs found by review (issue #8): secret values that would crash or
// overflow Secrets Manager after a token was created, and create replies that were applied
// although they say otherwise. Each must stop before the first write, or revoke what it created.

#include <gtest/gtest.h>

#include <string>

#include "emulator_world.h"
#include "scenario_fixture.h"

namespace dbtrotate::testing {
namespace {

using rotation::Outcome;

// A secret written as raw text (the harness's CreateSecret takes a parsed document).
void CreateRawSecret(World& world, const std::string& name, std::string text) {
  aws::CreateSecretRequest raw;
  raw.name = name;
  raw.client_request_token = world.Rand().UuidV4();
  raw.secret_string = SecretString(std::move(text));
  ASSERT_TRUE(world.Secrets().CreateSecret(raw).has_value());
}

std::string NotebookPrefix(const Harness::Token& token) {
  return "{\"service_token_id\": " + std::to_string(token.id) + ", \"service_token\": \"" +
         std::string(token.token.expose()) + "\", ";
}

TEST_P(RotateScenario, ASecretNestedTensOfThousandsDeepStopsBeforeAnyWrite) {
  auto token = h().CreateToken("deep", AdminGrants());
  const std::size_t depth = 30000;  // 60 KB: still within Secrets Manager's 64 KiB
  CreateRawSecret(
      world(), "deep",
      NotebookPrefix(token) + "\"x\": " + std::string(depth, '[') + std::string(depth, ']') + "}");
  auto plan = std::make_shared<FaultPlan>();
  auto report = h().Rotate(h().Options("deep"), plan);
  EXPECT_EQ(report.outcome, Outcome::kInvalidInput) << report.message;
  EXPECT_NE(report.message.find("secret 'deep'"), std::string::npos) << report.message;
  EXPECT_NE(report.message.find("AWSCURRENT"), std::string::npos) << report.message;
  EXPECT_NE(report.message.find("nested deeper than 64 levels"), std::string::npos)
      << report.message;
  EXPECT_EQ(report.message.find(token.token.expose()), std::string::npos);
  EXPECT_EQ(plan->writes(), 0);
  EXPECT_EQ(h().ActiveIds("deep"), (std::set<std::int64_t>{token.id}));
}

// The README promises the user's keys survive: as written, not as a JSON library re-prints
// them (a double would turn the first into 1.2345678901234568e+29; the second is refused).
TEST_P(RotateScenario, UserKeysSurviveARotationByteForByte) {
  auto token = h().CreateToken("exact", AdminGrants());
  const std::string user =
      R"("big": 123456789012345678901234567890, "tiny": -1e999, "p": 1.0000000000000000001)";
  CreateRawSecret(world(), "exact", NotebookPrefix(token) + user + "}");
  auto report = h().Rotate(h().Options("exact"));
  ASSERT_EQ(report.outcome, Outcome::kRotated) << report.message;
  auto current =
      world().Secrets().GetSecretValue({"exact", std::nullopt, std::string(aws::kStageCurrent)});
  ASSERT_TRUE(current.has_value());
  const std::string text(current->secret_string->expose());
  for (const char* kept : {R"("big":123456789012345678901234567890)", R"("tiny":-1e999)",
                           R"("p":1.0000000000000000001)"}) {
    EXPECT_NE(text.find(kept), std::string::npos) << kept;
  }
  EXPECT_NE(text.find("\"service_token_id\":" + std::to_string(*report.new_token_id)),
            std::string::npos);
}

// The next value adds keys (ids, timestamps, the access URL, the rotation id): a value close
// to the limit fits today but not after a rotation, and the tool used to find out only after
// creating the token.
TEST_P(RotateScenario, ASecretThatWouldOutgrowSecretsManagerStopsBeforeAnyWrite) {
  auto token = h().CreateToken("big", AdminGrants());
  std::string text = NotebookPrefix(token) + "\"notes\": \"";
  text += std::string(65536 - text.size() - 2 - 60, 'n');
  text += "\"}";
  ASSERT_LE(text.size(), 65536u);
  CreateRawSecret(world(), "big", text);
  auto plan = std::make_shared<FaultPlan>();
  auto report = h().Rotate(h().Options("big"), plan);
  EXPECT_EQ(report.outcome, Outcome::kInvalidInput) << report.message;
  EXPECT_NE(report.message.find("65,536"), std::string::npos) << report.message;
  EXPECT_NE(report.message.find("secret 'big'"), std::string::npos) << report.message;
  EXPECT_EQ(plan->writes(), 0);
  EXPECT_EQ(h().ActiveIds("big"), (std::set<std::int64_t>{token.id}));
}

// An access URL kept in the secret is checked like --access-url: the reason is given, and the
// URL (which may carry user:password) is never echoed.
TEST_P(RotateScenario, ABadAccessUrlInTheSecretSaysWhyAndNeverEchoesCredentials) {
  auto token = h().CreateToken("url", AdminGrants());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ftp://user:hunter2pass@host", "scheme"},
      {"https://user:hunter2pass@h.example.com", "user information"},
      {"not a url hunter2pass", "whitespace"},
  };
  int n = 0;
  for (const auto& [url, reason] : cases) {
    const std::string name = "url-" + std::to_string(n++);
    CreateRawSecret(world(), name,
                    NotebookPrefix(token) +
                        "\"account_id\": " + std::to_string(world().Connection().account_id) +
                        ", \"access_url\": \"" + url + "\"}");
    auto options = h().Options(name);
    options.connection.access_url = std::nullopt;  // the secret's own URL is used
    auto plan = std::make_shared<FaultPlan>();
    auto report = h().Rotate(options, plan);
    EXPECT_EQ(report.outcome, Outcome::kInvalidInput) << url << ": " << report.message;
    EXPECT_NE(report.message.find("'access_url'"), std::string::npos) << report.message;
    EXPECT_NE(report.message.find(reason), std::string::npos) << report.message;
    EXPECT_EQ(report.message.find("hunter2pass"), std::string::npos) << report.message;
    EXPECT_EQ(plan->writes(), 0);
  }
  EXPECT_EQ(h().ActiveIds("url"), (std::set<std::int64_t>{token.id}));
}

// Over the emulators only: a create that dbt (or a proxy in front of it) applied but answered
// with an error or an ambiguous body.
class CreateAnsweredBadlyTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(world_.ok()) << world_.error();
    old_ = harness_.CreateToken(kAdminSecret, AdminGrants());
    harness_.SeedSecret(kAdminSecret, old_, world_.Clock().Now() - std::chrono::hours(24 * 40));
  }

  // Then the next run rotates normally and leaves exactly one active token of that name.
  void ExpectCleanAndRotatable() {
    EXPECT_EQ(harness_.ActiveIds(kAdminSecret), (std::set<std::int64_t>{old_.id}));
    EXPECT_TRUE(harness_.CurrentTokenWorks(kAdminSecret));
    EXPECT_FALSE(harness_.UnfinishedPending(kAdminSecret).has_value());
    world_.Clock().Advance(std::chrono::minutes(1));
    auto again = harness_.Rotate(harness_.Options(kAdminSecret));
    ASSERT_EQ(again.outcome, Outcome::kRotated) << again.message;
    EXPECT_EQ(harness_.ActiveIds(kAdminSecret), (std::set<std::int64_t>{*again.new_token_id}));
  }

  EmulatorWorld world_;
  Harness harness_{world_};
  Harness::Token old_;
};

TEST_P(CreateAnsweredBadlyTest, AnErrorStatusAfterTheCreateWasAppliedLeavesNoOrphan) {
  const int status = GetParam();
  world_.dbt().faults().AddRule(emulators::FaultRule::ForOperation(
      "create_service_token",
      emulators::Fault::ApplyThenStatus(
          status, R"({"status": {"code": )" + std::to_string(status) +
                      R"(, "is_success": false, "user_message": "no"}, "data": null})")));
  auto report = harness_.Rotate(harness_.Options(kAdminSecret));
  // Something was written (the intent), so never "invalid input" (exit 2).
  EXPECT_EQ(report.outcome, Outcome::kFailedSafely) << report.message;
  EXPECT_EQ(report.orphans_revoked.size(), 1u) << report.message;
  ExpectCleanAndRotatable();
}

INSTANTIATE_TEST_SUITE_P(Statuses, CreateAnsweredBadlyTest,
                         ::testing::Values(400, 401, 403, 404, 409, 429, 502),
                         [](const auto& param) { return "Http" + std::to_string(param.param); });

TEST(CreateAnsweredAmbiguouslyTest, ADuplicateDataKeyIsMalformedAndTheRealTokenIsRevoked) {
  EmulatorWorld world;
  ASSERT_TRUE(world.ok()) << world.error();
  Harness harness(world);
  auto old = harness.CreateToken(kAdminSecret, AdminGrants());
  harness.SeedSecret(kAdminSecret, old, world.Clock().Now() - std::chrono::hours(24 * 40));
  // Two `data` members naming tokens that do not exist; the real one was created.
  const std::string body =
      R"({"status": {"code": 201, "is_success": true}, "data": {"id": 999998, "account_id": 1,)"
      R"( "name": "x", "state": 1, "token_string": "dbtc_aaaaaaaaaaaaaaaaaaaa"}, "data": {"id":)"
      R"( 999999, "account_id": 1, "name": "x", "state": 1, "token_string": "dbtc_bbbbbbbbbbbb"}})";
  world.dbt().faults().AddRule(emulators::FaultRule::ForOperation(
      "create_service_token", emulators::Fault::ApplyThenStatus(201, body)));
  auto report = harness.Rotate(harness.Options(kAdminSecret));
  EXPECT_EQ(report.outcome, Outcome::kFailedSafely) << report.message;
  EXPECT_NE(report.message.find("'data' twice"), std::string::npos) << report.message;
  ASSERT_EQ(report.orphans_revoked.size(), 1u) << report.message;
  EXPECT_NE(report.orphans_revoked.front(), 999998);
  EXPECT_NE(report.orphans_revoked.front(), 999999);
  EXPECT_EQ(harness.ActiveIds(kAdminSecret), (std::set<std::int64_t>{old.id}));
  EXPECT_FALSE(harness.UnfinishedPending(kAdminSecret).has_value());
}

}  // namespace
}  // namespace dbtrotate::testing
