// The fakes must behave like the services, or the scenario tests prove nothing.

#include <gtest/gtest.h>

#include "dbtcloud/grants.h"
#include "fake_world.h"
#include "harness.h"

namespace dbtrotate::testing {
namespace {

std::string Crt(char c) { return std::string(36, c); }

aws::PutSecretValueRequest Put(const std::string& token, const std::string& value,
                               std::vector<std::string> stages) {
  aws::PutSecretValueRequest request;
  request.secret_id = "s";
  request.client_request_token = token;
  request.secret_string = SecretString::CopyOf(value);
  request.version_stages = std::move(stages);
  return request;
}

class FakeSecretsManagerTest : public ::testing::Test {
 protected:
  FakeSecretsManagerTest() : sm_(clock_) {
    aws::CreateSecretRequest create;
    create.name = "s";
    create.client_request_token = Crt('a');
    create.secret_string = SecretString::CopyOf("v1");
    EXPECT_TRUE(sm_.CreateSecret(create).has_value());
  }
  std::optional<std::string> Holder(const char* stage) {
    return sm_.DescribeSecret("s")->VersionWithStage(stage);
  }
  FakeClock clock_{SystemTime{}};
  FakeSecretsManager sm_;
};

TEST_F(FakeSecretsManagerTest, PutIsIdempotentPerClientRequestToken) {
  ASSERT_TRUE(sm_.PutSecretValue(Put(Crt('b'), "v2", {"AWSPENDING"})).has_value());
  ASSERT_TRUE(sm_.PutSecretValue(Put(Crt('b'), "v2", {"AWSPENDING"})).has_value());
  auto clash = sm_.PutSecretValue(Put(Crt('b'), "other", {"AWSPENDING"}));
  ASSERT_FALSE(clash.has_value());
  EXPECT_EQ(clash.error().code, aws::ErrorCode::kResourceExists);
  EXPECT_EQ(sm_.writes(), 2);  // create + the first put
}

TEST_F(FakeSecretsManagerTest, PutWithoutStagesMovesCurrentAndSetsPrevious) {
  ASSERT_TRUE(sm_.PutSecretValue(Put(Crt('b'), "v2", {})).has_value());
  EXPECT_EQ(Holder("AWSCURRENT"), Crt('b'));
  EXPECT_EQ(Holder("AWSPREVIOUS"), Crt('a'));
}

TEST_F(FakeSecretsManagerTest, StageMoveIsACompareAndSwap) {
  ASSERT_TRUE(sm_.PutSecretValue(Put(Crt('b'), "x", {"X"})).has_value());
  ASSERT_TRUE(sm_.PutSecretValue(Put(Crt('c'), "y", {"Y"})).has_value());
  aws::UpdateSecretVersionStageRequest move{"s", "AWSPENDING", Crt('b'), std::nullopt};
  ASSERT_TRUE(sm_.UpdateSecretVersionStage(move).has_value());
  // The label is taken: a move that does not name its holder fails.
  move.move_to_version_id = Crt('c');
  EXPECT_FALSE(sm_.UpdateSecretVersionStage(move).has_value());
  move.remove_from_version_id = Crt('a');
  EXPECT_FALSE(sm_.UpdateSecretVersionStage(move).has_value());
  move.remove_from_version_id = Crt('b');
  EXPECT_TRUE(sm_.UpdateSecretVersionStage(move).has_value());
  EXPECT_EQ(Holder("AWSPENDING"), Crt('c'));
}

TEST_F(FakeSecretsManagerTest, PromotionChecksTheCurrentHolder) {
  ASSERT_TRUE(sm_.PutSecretValue(Put(Crt('b'), "v2", {"AWSPENDING"})).has_value());
  aws::UpdateSecretVersionStageRequest promote{"s", "AWSCURRENT", Crt('b'), Crt('b')};
  EXPECT_FALSE(sm_.UpdateSecretVersionStage(promote).has_value());
  promote.remove_from_version_id = Crt('a');
  EXPECT_TRUE(sm_.UpdateSecretVersionStage(promote).has_value());
  EXPECT_EQ(Holder("AWSCURRENT"), Crt('b'));
  EXPECT_EQ(Holder("AWSPREVIOUS"), Crt('a'));
  EXPECT_EQ(Holder("AWSPENDING"), Crt('b'));  // default variant keeps it
  aws::UpdateSecretVersionStageRequest remove_current{"s", "AWSCURRENT", std::nullopt, Crt('b')};
  EXPECT_FALSE(sm_.UpdateSecretVersionStage(remove_current).has_value());
}

TEST_F(FakeSecretsManagerTest, GetChecksStageAgainstVersion) {
  ASSERT_TRUE(sm_.PutSecretValue(Put(Crt('b'), "v2", {"AWSPENDING"})).has_value());
  EXPECT_TRUE(sm_.GetSecretValue({"s", Crt('b'), std::string("AWSPENDING")}).has_value());
  auto mismatch = sm_.GetSecretValue({"s", Crt('a'), std::string("AWSPENDING")});
  ASSERT_FALSE(mismatch.has_value());
  EXPECT_EQ(mismatch.error().code, aws::ErrorCode::kInvalidRequest);
  EXPECT_EQ(sm_.GetSecretValue({"nope", std::nullopt, std::nullopt}).error().code,
            aws::ErrorCode::kResourceNotFound);
}

// Not expressible through the API, so only over the fake: a secret scheduled for deletion is
// an input error, and nothing is written.
TEST(FakeWorldOnlyTest, ASecretScheduledForDeletionIsNotRotated) {
  FakeWorld world;
  Harness h(world);
  auto token = h.CreateToken("t", AdminGrants());
  h.SeedSecret("s", token, world.Clock().Now());
  world.secrets().MarkForDeletion("s");
  auto plan = std::make_shared<FaultPlan>();
  auto report = h.Rotate(h.Options("s"), plan);
  EXPECT_EQ(report.outcome, rotation::Outcome::kInvalidInput) << report.message;
  EXPECT_EQ(plan->writes(), 0);
}

class FakeDbtTest : public ::testing::Test {
 protected:
  FakeWorld world_;
  std::unique_ptr<dbtcloud::ServiceTokenApi> Api(const SecretString& token) {
    return world_.DbtFactory()(world_.Connection(), token.Clone());
  }
};

TEST_F(FakeDbtTest, TokensLookLikeDbtsAndDeletesAreSoft) {
  auto admin = Api(world_.AdminToken());
  auto created =
      admin->CreateServiceToken("t", {dbtcloud::PermissionGrant{"job_runner", 7, std::nullopt}});
  ASSERT_TRUE(created.has_value());
  const std::string token(created->token_string.expose());
  EXPECT_EQ(token.substr(0, 5), "dbtc_");
  EXPECT_EQ(token.size(), 55u);
  ASSERT_TRUE(admin->DeleteServiceToken(created->token.id).has_value());
  auto row = admin->GetServiceToken(created->token.id);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->state, dbtcloud::kStateDeleted);
  auto all = admin->ListServiceTokens(false);
  EXPECT_EQ(all->size(), 2u);  // the admin and the deleted one
  EXPECT_EQ(admin->ListServiceTokens(true)->size(), 1u);
  EXPECT_EQ(Api(created->token_string)->GetServiceToken(created->token.id).error().code,
            dbtcloud::ErrorCode::kUnauthenticated);
}

TEST_F(FakeDbtTest, NonAdminTokensCannotManageTokensOrReadThemselves) {
  auto admin = Api(world_.AdminToken());
  auto runner = admin->CreateServiceToken(
      "runner", {dbtcloud::PermissionGrant{"job_runner", 7, std::nullopt}});
  ASSERT_TRUE(runner.has_value());
  auto api = Api(runner->token_string);
  EXPECT_EQ(api->ListServiceTokens(false).error().code, dbtcloud::ErrorCode::kForbiddenOrNotFound);
  EXPECT_EQ(api->GetServiceToken(runner->token.id).error().code,
            dbtcloud::ErrorCode::kForbiddenOrNotFound);
  EXPECT_FALSE(api->CreateServiceToken("x", {}).has_value());
}

TEST_F(FakeDbtTest, AWrongAccessUrlIsA401) {
  auto api = world_.DbtFactory()({"cloud.getdbt.com", world_.Connection().account_id},
                                 world_.AdminToken());
  EXPECT_EQ(api->ListServiceTokens(false).error().code, dbtcloud::ErrorCode::kUnauthenticated);
}

TEST_F(FakeDbtTest, PermissionRowsMirrorTheGrants) {
  auto admin = Api(world_.AdminToken());
  std::vector<dbtcloud::PermissionGrant> grants = {
      {"developer", 4, std::vector<std::string>{"staging"}}, {"account_viewer", std::nullopt, {}}};
  auto created = admin->CreateServiceToken("t", grants);
  ASSERT_TRUE(created.has_value());
  auto rows = admin->ListPermissions(created->token.id);
  ASSERT_TRUE(rows.has_value());
  EXPECT_TRUE(dbtcloud::SameGrants(dbtcloud::GrantsFromPermissionRows(*rows), grants));
}

}  // namespace
}  // namespace dbtrotate::testing
