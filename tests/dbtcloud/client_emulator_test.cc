// dbtcloud::Client through the real http::CurlClient + http::RetryingClient against the dbt
// Cloud emulator over loopback: every operation, pagination, every error class, retries, each
// DELETE variant, and the ambiguous create that must never be sent twice.

#include <gtest/gtest.h>

#include <chrono>

#include "core/clock.h"
#include "core/iso8601.h"
#include "core/random.h"
#include "core/version.h"
#include "dbtcloud/client.h"
#include "dbtcloud/grants.h"
#include "dbtcloud/recovery.h"
#include "emulators/dbtcloud/dbtcloud_emulator.h"
#include "http/curl_client.h"
#include "http/retry.h"

namespace dbtrotate::dbtcloud {
namespace {

using emulators::DbtBehavior;
using emulators::DbtDeleteReply;
using emulators::DbtForbiddenReply;
using emulators::DbtGrant;
using emulators::DbtSeedToken;
using emulators::Fault;
using emulators::FaultRule;
using namespace std::chrono_literals;

using Categories = std::vector<std::string>;

class ClientEmulatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = dbt_.Start();
    ASSERT_TRUE(started.has_value()) << started.error();
    account_ = dbt_.CreateAccount();
    auto admin = dbt_.AddServiceToken(account_, {"rotator-admin", emulators::DbtAdminGrants()});
    ASSERT_TRUE(admin.has_value()) << admin.error();
    admin_id_ = admin->id;
    client_ = MakeClient(std::move(admin->token_string));
  }

  std::unique_ptr<Client> MakeClient(SecretString token) {
    auto client = Client::Create(retrying_, dbt_.base_url(), account_, std::move(token));
    EXPECT_TRUE(client.has_value()) << client.error().message;
    return client ? std::move(client).value() : nullptr;
  }

  // A token seeded with these grants; returns its client.
  std::unique_ptr<ServiceTokenApi> SeedClient(const std::string& name, std::vector<DbtGrant> grants,
                                              std::int64_t* id = nullptr) {
    auto seeded = dbt_.AddServiceToken(account_, {name, std::move(grants)});
    EXPECT_TRUE(seeded.has_value());
    if (id != nullptr) *id = seeded->id;
    return client_->WithToken(std::move(seeded->token_string));
  }

  std::uint64_t Count(const std::string& operation) { return dbt_.log().CountFor(operation); }

  emulators::DbtCloudEmulator dbt_;
  http::CurlClient curl_;
  FakeClock clock_{SystemClock::Instance().Now()};
  SeededRandom random_{20260828};
  http::RetryingClient retrying_{curl_, http::RetryPolicy{}, clock_, random_};
  std::int64_t account_ = 0;
  std::int64_t admin_id_ = 0;
  std::unique_ptr<Client> client_;
};

TEST_F(ClientEmulatorTest, EveryOperationSucceeds) {
  const std::vector<PermissionGrant> grants = {
      {"job_admin", 10, std::nullopt},
      {"developer", 11, Categories{"development", "staging"}},
      {"account_viewer", std::nullopt, Categories{}},
  };
  auto created = client_->CreateServiceToken("ci-rotated", grants);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  const std::int64_t id = created->token.id;
  EXPECT_EQ(created->token.name, "ci-rotated");
  EXPECT_EQ(created->token.account_id, account_);
  EXPECT_TRUE(created->token.active());
  EXPECT_EQ(created->token_string.expose().substr(0, 5), "dbtc_");
  EXPECT_TRUE(dbt_.Authenticates(created->token_string));
  EXPECT_TRUE(ParseIso8601(created->token.created_at).has_value()) << created->token.created_at;

  auto listed = client_->ListServiceTokens(true);
  ASSERT_TRUE(listed.has_value()) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(listed->back().id, id);

  auto fetched = client_->GetServiceToken(id);
  ASSERT_TRUE(fetched.has_value()) << fetched.error().message;
  EXPECT_EQ(fetched->name, "ci-rotated");
  ASSERT_TRUE(fetched->permission_grants.has_value());
  EXPECT_TRUE(SameGrants(*fetched->permission_grants, grants))
      << DiffGrants(grants, *fetched->permission_grants).Describe();

  auto rows = client_->ListPermissions(id);
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_TRUE(SameGrants(GrantsFromPermissionRows(*rows), grants))
      << DiffGrants(grants, GrantsFromPermissionRows(*rows)).Describe();

  // The new token reads with its own credential (account_viewer may read service tokens).
  auto as_new = client_->WithToken(std::move(created->token_string));
  auto seen_by_new = as_new->GetServiceToken(id);
  ASSERT_TRUE(seen_by_new.has_value()) << seen_by_new.error().message;

  auto renamed = client_->RenameServiceToken(id, "ci-rotated-old");
  ASSERT_TRUE(renamed.has_value()) << renamed.error().message;
  EXPECT_EQ(renamed->name, "ci-rotated-old");
  EXPECT_EQ(dbt_.Token(id)->name, "ci-rotated-old");

  auto deleted = client_->DeleteServiceToken(id);
  ASSERT_TRUE(deleted.has_value()) << deleted.error().message;
  EXPECT_EQ(*deleted, DeleteOutcome::kDeleted);
  EXPECT_EQ(dbt_.Token(id)->state, kStateDeleted);
  EXPECT_EQ(as_new->GetServiceToken(id).error().code, ErrorCode::kUnauthenticated);

  auto active = client_->ListServiceTokens(true);
  ASSERT_TRUE(active.has_value());
  EXPECT_EQ(active->size(), 1u);
  auto all = client_->ListServiceTokens(false);
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_FALSE(all->back().active());

  // Every request carried our headers (the emulator keeps the scheme only).
  for (const auto& record : dbt_.log().Log()) {
    EXPECT_EQ(record.headers.find("authorization")->second.rfind("Bearer", 0), 0u);
    EXPECT_EQ(record.headers.find("user-agent")->second, kUserAgent);
    EXPECT_EQ(record.target.find("/api/v3/accounts/"), 0u);
  }
}

TEST_F(ClientEmulatorTest, PaginatesOverMoreThanAHundredTokens) {
  for (int i = 0; i < 230; ++i) {
    ASSERT_TRUE(dbt_.AddServiceToken(account_, {"bulk-" + std::to_string(i), {}}).has_value());
  }
  ASSERT_TRUE(dbt_.AddServiceToken(account_, {"gone", {}, kStateDeleted}).has_value());
  auto all = client_->ListServiceTokens(false);
  ASSERT_TRUE(all.has_value()) << all.error().message;
  EXPECT_EQ(all->size(), 232u);
  EXPECT_EQ(Count("list_service_tokens"), 3u);
  auto active = client_->ListServiceTokens(true);
  ASSERT_TRUE(active.has_value());
  EXPECT_EQ(active->size(), 231u);
  std::set<std::int64_t> ids;
  for (const auto& token : *all) ids.insert(token.id);
  EXPECT_EQ(ids.size(), 232u);
}

TEST_F(ClientEmulatorTest, PaginatesOverMoreThanAHundredPermissionRows) {
  // Terraform's regression case (#280): 40 projects × 3 permission sets.
  std::vector<DbtGrant> grants;
  for (int project = 1; project <= 40; ++project) {
    grants.push_back({"job_admin", project, std::nullopt});
    grants.push_back({"developer", project, Categories{"development"}});
    grants.push_back({"job_viewer", project, Categories{}});
  }
  grants.push_back({"account_viewer", std::nullopt, std::nullopt});
  std::int64_t id = 0;
  SeedClient("wide", grants, &id);
  auto rows = client_->ListPermissions(id);
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  EXPECT_EQ(rows->size(), 121u);
  EXPECT_EQ(Count("list_service_token_permissions"), 2u);
  std::vector<PermissionGrant> expected;
  for (const auto& g : grants) {
    expected.push_back({g.permission_set, g.project_id, g.writable_environment_categories});
  }
  EXPECT_TRUE(SameGrants(GrantsFromPermissionRows(*rows), expected))
      << DiffGrants(expected, GrantsFromPermissionRows(*rows)).Describe();
}

TEST_F(ClientEmulatorTest, RecreatingFromRowsReproducesThePermissions) {
  std::int64_t old_id = 0;
  SeedClient("old",
             {{"job_admin", 3, std::nullopt},
              {"git_admin", 4, Categories{"other"}},
              {"account_viewer", std::nullopt, std::nullopt}},
             &old_id);
  auto old_rows = client_->ListPermissions(old_id);
  ASSERT_TRUE(old_rows.has_value());
  const auto grants = GrantsFromPermissionRows(*old_rows);
  auto created = client_->CreateServiceToken("new", grants);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  auto new_rows = client_->ListPermissions(created->token.id);
  ASSERT_TRUE(new_rows.has_value());
  EXPECT_TRUE(SameGrants(grants, GrantsFromPermissionRows(*new_rows)))
      << DiffGrants(grants, GrantsFromPermissionRows(*new_rows)).Describe();
}

TEST_F(ClientEmulatorTest, ErrorClasses) {
  // 401: an unknown token.
  auto stranger = client_->WithToken(SecretString::CopyOf("dbtc_unknownunknownunknown"));
  auto unauthenticated = stranger->ListServiceTokens(true);
  ASSERT_FALSE(unauthenticated.has_value());
  EXPECT_EQ(unauthenticated.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(unauthenticated.error().message.find("Invalid token."), std::string::npos);

  // 403 and 404 for a token without permission to manage service tokens.
  auto weak = SeedClient("weak", {{"job_admin", 1, std::nullopt}});
  auto forbidden = weak->CreateServiceToken("x", {});
  ASSERT_FALSE(forbidden.has_value());
  EXPECT_EQ(forbidden.error().code, ErrorCode::kForbiddenOrNotFound);
  EXPECT_EQ(forbidden.error().http_status, 403);
  EXPECT_TRUE(forbidden.error().ambiguous) << "a failed create is always looked for";
  DbtBehavior behavior;
  behavior.forbidden_reply = DbtForbiddenReply::k404;
  dbt_.SetBehavior(behavior);
  auto hidden = weak->ListServiceTokens(false);
  ASSERT_FALSE(hidden.has_value());
  EXPECT_EQ(hidden.error().code, ErrorCode::kForbiddenOrNotFound);
  EXPECT_EQ(hidden.error().http_status, 404);

  // 404 for a token that does not exist.
  auto missing = client_->GetServiceToken(999999);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kForbiddenOrNotFound);

  // 400: dbt refuses the request.
  auto invalid = client_->CreateServiceToken("x", {{"fusion_admin", std::nullopt, std::nullopt}});
  ASSERT_FALSE(invalid.has_value());
  EXPECT_EQ(invalid.error().code, ErrorCode::kValidation);
  EXPECT_TRUE(invalid.error().ambiguous);
  EXPECT_NE(invalid.error().message.find("fusion_admin cannot be assigned"), std::string::npos)
      << invalid.error().message;
  behavior.rename_allowed = false;
  dbt_.SetBehavior(behavior);
  auto rename = client_->RenameServiceToken(admin_id_, "renamed");
  ASSERT_FALSE(rename.has_value());
  EXPECT_EQ(rename.error().code, ErrorCode::kValidation);

  // 403 with account_access_denied.
  behavior.ip_restricted = true;
  dbt_.SetBehavior(behavior);
  auto blocked = client_->ListServiceTokens(true);
  ASSERT_FALSE(blocked.has_value());
  EXPECT_EQ(blocked.error().code, ErrorCode::kIpRestricted);
  dbt_.SetBehavior(DbtBehavior{});

  // 5xx with an HTML body, until the retries run out.
  dbt_.faults().AddRule(FaultRule::ForOperation(
      "get_service_token", Fault::Status(502, "<html>bad gateway</html>"), -1));
  auto server = client_->GetServiceToken(admin_id_);
  ASSERT_FALSE(server.has_value());
  EXPECT_EQ(server.error().code, ErrorCode::kServer);
  EXPECT_NE(server.error().message.find("non-JSON"), std::string::npos);
  EXPECT_EQ(Count("get_service_token"), 1u + 4u);  // the 404 above, then 4 attempts
  dbt_.faults().ClearRules();

  // A 200 that is not JSON.
  dbt_.faults().AddRule(FaultRule::ForOperation("list_service_tokens", Fault::Garbage()));
  auto garbage = client_->ListServiceTokens(true);
  ASSERT_FALSE(garbage.has_value());
  EXPECT_EQ(garbage.error().code, ErrorCode::kMalformedResponse);

  // Transport: the connection drops on every attempt of a GET.
  dbt_.faults().AddRule(
      FaultRule::ForOperation("list_service_token_permissions", Fault::Drop(), -1));
  auto dropped = client_->ListPermissions(admin_id_);
  ASSERT_FALSE(dropped.has_value());
  EXPECT_EQ(dropped.error().code, ErrorCode::kTransport);
  EXPECT_FALSE(dropped.error().ambiguous);
  // 4 attempts; an attempt that went over a warm pooled connection may be re-sent once by
  // libcurl itself (harmless for a GET; a create gets a fresh connection to prevent it).
  EXPECT_GE(Count("list_service_token_permissions"), 4u);
  EXPECT_LE(Count("list_service_token_permissions"), 8u);
}

TEST_F(ClientEmulatorTest, RateLimitedAfterTheCooldownIsTooLongToWait) {
  DbtBehavior behavior;
  behavior.rate_limit.max_requests = 1;
  behavior.rate_limit.retry_after_seconds = 300;  // dbt's five-minute cooldown
  dbt_.SetBehavior(behavior);
  ASSERT_TRUE(client_->ListServiceTokens(true).has_value());
  auto limited = client_->ListServiceTokens(true);
  ASSERT_FALSE(limited.has_value());
  EXPECT_EQ(limited.error().code, ErrorCode::kRateLimited);
  EXPECT_NE(limited.error().message.find("Retry-After: 300"), std::string::npos);
  EXPECT_EQ(clock_.TotalSlept(), Duration(0)) << "a 5-minute Retry-After is not slept through";
  EXPECT_EQ(Count("list_service_tokens"), 2u);
}

TEST_F(ClientEmulatorTest, RetriesHonourRetryAfter) {
  dbt_.faults().AddRule(FaultRule::ForOperation(
      "list_service_tokens",
      Fault::Status(429, R"({"status":{"code":429}})", {{"Retry-After", "7"}})));
  auto tokens = client_->ListServiceTokens(true);
  ASSERT_TRUE(tokens.has_value()) << tokens.error().message;
  EXPECT_EQ(clock_.TotalSlept(), Duration(7000));
  EXPECT_EQ(Count("list_service_tokens"), 2u);
}

TEST_F(ClientEmulatorTest, RetriesServerErrorsAndDropsForIdempotentRequests) {
  dbt_.faults().AddRule(FaultRule::ForOperation("get_service_token", Fault::Status(503), 2));
  // Two drops each: on a warm connection libcurl itself re-sends once after a drop, so only
  // the second drop is sure to reach the RetryingClient (which then sleeps and retries).
  dbt_.faults().AddRule(FaultRule::ForOperation("delete_service_token", Fault::Drop(), 2));
  dbt_.faults().AddRule(FaultRule::ForOperation("update_service_token", Fault::ApplyThenDrop(), 2));
  auto token = client_->GetServiceToken(admin_id_);
  ASSERT_TRUE(token.has_value()) << token.error().message;
  EXPECT_EQ(Count("get_service_token"), 3u);
  const Duration after_get = clock_.TotalSlept();
  EXPECT_GT(after_get, Duration(0));
  EXPECT_LT(after_get, Duration(500 + 1000)) << "two full-jitter steps: < 500 ms + < 1000 ms";

  std::int64_t victim = 0;
  SeedClient("victim", {}, &victim);
  auto deleted = client_->DeleteServiceToken(victim);
  ASSERT_TRUE(deleted.has_value()) << deleted.error().message;
  EXPECT_EQ(*deleted, DeleteOutcome::kDeleted);
  EXPECT_EQ(Count("delete_service_token"), 3u);
  const Duration after_delete = clock_.TotalSlept();
  EXPECT_GT(after_delete, after_get);

  auto renamed = client_->RenameServiceToken(victim, "renamed thrice is fine");
  ASSERT_TRUE(renamed.has_value()) << renamed.error().message;
  EXPECT_EQ(Count("update_service_token"), 3u);
  EXPECT_EQ(dbt_.log().AppliedCountFor("update_service_token"), 3u);
  EXPECT_GT(clock_.TotalSlept(), after_delete);
}

TEST_F(ClientEmulatorTest, EveryDeleteReplyVariantSucceeds) {
  for (const auto variant :
       {DbtDeleteReply::kNoContent, DbtDeleteReply::kOkEnvelope, DbtDeleteReply::kOkEmpty}) {
    DbtBehavior behavior;
    behavior.delete_reply = variant;
    dbt_.SetBehavior(behavior);
    std::int64_t id = 0;
    SeedClient("to-delete", {}, &id);
    auto deleted = client_->DeleteServiceToken(id);
    ASSERT_TRUE(deleted.has_value()) << deleted.error().message;
    EXPECT_EQ(*deleted, DeleteOutcome::kDeleted);
    EXPECT_EQ(dbt_.Token(id)->state, kStateDeleted);
  }
  DbtBehavior behavior;
  behavior.redelete_returns_404 = true;
  dbt_.SetBehavior(behavior);
  std::int64_t id = 0;
  SeedClient("twice", {}, &id);
  ASSERT_EQ(*client_->DeleteServiceToken(id), DeleteOutcome::kDeleted);
  auto again = client_->DeleteServiceToken(id);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(*again, DeleteOutcome::kAlreadyGone);
  auto unknown = client_->DeleteServiceToken(424242);
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(*unknown, DeleteOutcome::kAlreadyGone);
}

TEST_F(ClientEmulatorTest, DroppedCreateIsAmbiguousNeverRetriedAndRecoverable) {
  dbt_.faults().AddRule(FaultRule::ForOperation("create_service_token", Fault::ApplyThenDrop()));
  const SystemTime before = SystemClock::Instance().Now() - 1min;  // skew allowance
  auto created = client_->CreateServiceToken("rotation-20260828", {{"job_admin", 5, {}}});
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, ErrorCode::kTransport);
  EXPECT_TRUE(created.error().ambiguous);
  EXPECT_NE(created.error().message.find("may have been created"), std::string::npos);
  EXPECT_EQ(Count("create_service_token"), 1u) << "a create must never be retried blindly";
  EXPECT_EQ(dbt_.log().AppliedCountFor("create_service_token"), 1u);
  EXPECT_EQ(clock_.TotalSlept(), Duration(0));

  // Recovery: find it by name and time, delete it (its secret is lost).
  auto tokens = client_->ListServiceTokens(true);
  ASSERT_TRUE(tokens.has_value()) << tokens.error().message;
  auto found = FindTokensCreatedSince(*tokens, "rotation-20260828", before);
  ASSERT_TRUE(found.has_value()) << found.error().message;
  ASSERT_EQ(found->size(), 1u);
  auto deleted = client_->DeleteServiceToken(found->front().id);
  ASSERT_TRUE(deleted.has_value());
  EXPECT_TRUE(dbt_.ActiveTokens(account_).size() == 1u);

  // Nothing from before `since` is matched, even with the same name.
  auto later =
      FindTokensCreatedSince(*tokens, "rotation-20260828", SystemClock::Instance().Now() + 1h);
  ASSERT_TRUE(later.has_value());
  EXPECT_TRUE(later->empty());
}

TEST_F(ClientEmulatorTest, CreateFailuresThatMayHaveAppliedAreAmbiguous) {
  dbt_.faults().AddRule(FaultRule::ForOperation("create_service_token", Fault::Drop()));
  auto dropped = client_->CreateServiceToken("a", {});
  ASSERT_FALSE(dropped.has_value());
  EXPECT_TRUE(dropped.error().ambiguous);
  EXPECT_EQ(Count("create_service_token"), 1u);

  dbt_.faults().AddRule(
      FaultRule::ForOperation("create_service_token", Fault::ApplyThenStatus(500)));
  auto failed = client_->CreateServiceToken("b", {});
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::kServer);
  EXPECT_TRUE(failed.error().ambiguous);
  EXPECT_EQ(Count("create_service_token"), 2u);
  EXPECT_EQ(dbt_.log().AppliedCountFor("create_service_token"), 1u);

  dbt_.faults().AddRule(FaultRule::ForOperation("create_service_token",
                                                Fault::Status(429, "", {{"Retry-After", "1"}})));
  auto limited = client_->CreateServiceToken("c", {});
  ASSERT_FALSE(limited.has_value());
  EXPECT_EQ(limited.error().code, ErrorCode::kRateLimited);
  EXPECT_TRUE(limited.error().ambiguous) << "a proxy may answer 429 after dbt applied it";
  EXPECT_EQ(Count("create_service_token"), 3u);
  EXPECT_EQ(clock_.TotalSlept(), Duration(0));
}

TEST_F(ClientEmulatorTest, ConnectionRefusedOnCreateIsStillLookedFor) {
  const std::string url = dbt_.base_url();
  dbt_.Stop();
  auto client = Client::Create(curl_, url, account_, SecretString::CopyOf("dbtc_whatever"));
  ASSERT_TRUE(client.has_value());
  auto created = (*client)->CreateServiceToken("x", {});
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, ErrorCode::kTransport);
  EXPECT_TRUE(created.error().ambiguous);
}

// A proxy (or dbt itself) that applied the create and then answered an error status.
TEST_F(ClientEmulatorTest, AppliedCreateAnsweredWithAnyErrorIsAmbiguous) {
  for (const int status : {400, 403, 409, 429}) {
    dbt_.faults().AddRule(
        FaultRule::ForOperation("create_service_token", Fault::ApplyThenStatus(status, "{}")));
    auto created = client_->CreateServiceToken("applied", {});
    ASSERT_FALSE(created.has_value()) << status;
    EXPECT_TRUE(created.error().ambiguous) << status;
  }
}

TEST_F(ClientEmulatorTest, ADuplicateKeyInACreateReplyIsMalformedNotTheLastOneWins) {
  dbt_.faults().AddRule(FaultRule::ForOperation(
      "create_service_token",
      Fault::ApplyThenStatus(
          201, R"({"data": {"id": 5, "name": "d", "state": 1, "token_string": "dbtc_x"},)"
               R"( "data": {"id": 6, "name": "d", "state": 1, "token_string": "dbtc_y"}})")));
  auto created = client_->CreateServiceToken("d", {});
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, ErrorCode::kMalformedResponse);
  EXPECT_TRUE(created.error().ambiguous);
  EXPECT_NE(created.error().message.find("'data' twice"), std::string::npos)
      << created.error().message;
}

}  // namespace
}  // namespace dbtrotate::dbtcloud

namespace dbtrotate::dbtcloud {
namespace {

// libcurl silently re-sends a request that got no reply on a *reused* connection (its "dead
// connection" retry), POST included. A create on a warm connection must still reach dbt once.
TEST_F(ClientEmulatorTest, DroppedCreateOnAReusedConnectionIsSentOnce) {
  ASSERT_TRUE(client_->ListServiceTokens(true).has_value());  // warms the connection
  dbt_.faults().AddRule(FaultRule::ForOperation("create_service_token", Fault::ApplyThenDrop()));
  auto created = client_->CreateServiceToken("warm", {});
  ASSERT_FALSE(created.has_value());
  EXPECT_TRUE(created.error().ambiguous);
  EXPECT_EQ(Count("create_service_token"), 1u) << "the create was sent twice";
  EXPECT_EQ(dbt_.ActiveTokens(account_).size(), 2u);
}

// The same for an idempotent GET is harmless, but must stay bounded: 4 attempts at most, each
// possibly doubled by libcurl's dead-connection retry on a warm connection.
TEST_F(ClientEmulatorTest, DroppedGetOnAReusedConnectionIsBounded) {
  ASSERT_TRUE(client_->ListServiceTokens(true).has_value());
  dbt_.faults().AddRule(FaultRule::ForOperation("get_service_token", Fault::Drop(), -1));
  auto token = client_->GetServiceToken(admin_id_);
  ASSERT_FALSE(token.has_value());
  EXPECT_EQ(token.error().code, ErrorCode::kTransport);
  EXPECT_GE(Count("get_service_token"), 4u);
  EXPECT_LE(Count("get_service_token"), 8u);
}

}  // namespace
}  // namespace dbtrotate::dbtcloud
