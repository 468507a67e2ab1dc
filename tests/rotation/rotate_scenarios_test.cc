// End-to-end rotations over a World: the product's requirements as scenarios.

#include <gtest/gtest.h>

#include <chrono>

#include "dbtcloud/grants.h"
#include "fake_world.h"
#include "hooked_api.h"
#include "rotation/iso_time.h"
#include "rotation/permissions_file.h"
#include "scenario_fixture.h"

namespace dbtrotate::testing {
namespace {

using rotation::Json;
using rotation::Outcome;
using rotation::OverlapKind;

TEST_P(RotateScenario, RotatesANotebookSecret) {
  auto old = SeedSelfRotating();
  auto bystander = h().CreateToken(kAdminSecret, AdminGrants());  // same name, not ours
  world().Clock().Advance(std::chrono::minutes(1));
  const std::string old_json = h().Current(kAdminSecret).dump();

  auto report = h().Rotate(h().Options(kAdminSecret));
  ASSERT_EQ(report.outcome, Outcome::kRotated) << report.message;
  ASSERT_TRUE(report.new_token_id.has_value());
  const std::int64_t fresh = *report.new_token_id;
  EXPECT_EQ(report.old_token_id, old.id);
  EXPECT_EQ(report.revoked_token_ids, std::vector<std::int64_t>{old.id});

  Json current = h().Current(kAdminSecret);
  EXPECT_EQ(current["service_token_id"], fresh);
  EXPECT_NE(current["service_token"], std::string(old.token.expose()));
  EXPECT_EQ(current["last_rotated_datetime_utc"], rotation::FormatIsoTime(Now()));
  EXPECT_EQ(current["account_id"], world().Connection().account_id);
  EXPECT_EQ(current["access_url"], world().Connection().access_url);
  EXPECT_EQ(current["previous_service_token_id"], old.id);
  EXPECT_TRUE(current.contains("rotation_id"));
  EXPECT_TRUE(h().CurrentTokenWorks(kAdminSecret));
  EXPECT_FALSE(h().IsActive(old.id));
  EXPECT_TRUE(h().IsActive(bystander.id));  // the notebook would have deleted it
  EXPECT_TRUE(dbtcloud::SameGrants(h().GrantsOf(fresh), AdminGrants()));
  EXPECT_EQ(h().ActiveIds(kAdminSecret), (std::set<std::int64_t>{fresh, bystander.id}));
  EXPECT_FALSE(h().UnfinishedPending(kAdminSecret).has_value());

  // AWSPREVIOUS keeps the notebook's value, as a manual rollback point.
  auto description = h().Describe(kAdminSecret);
  auto previous = world().Secrets().GetSecretValue(
      {kAdminSecret, std::nullopt, std::string(aws::kStagePrevious)});
  ASSERT_TRUE(previous.has_value());
  EXPECT_EQ(Json::parse(previous->secret_string->expose()).dump(), old_json);
}

TEST_P(RotateScenario, NormalPathStaysWithinTheRequestBudget) {
  SeedSelfRotating();
  auto report = h().Rotate(h().Options(kAdminSecret));
  ASSERT_EQ(report.outcome, Outcome::kRotated) << report.message;
  const int total = report.requests.secrets_manager + report.requests.dbt_cloud;
  // Self-rotation: 6 Secrets Manager + 5 dbt calls (one more dbt read when retrieve does not
  // include the grants). See README-design.md.
  EXPECT_LE(total, 12) << report.requests.secrets_manager << " + " << report.requests.dbt_cloud;
  EXPECT_EQ(report.requests.secrets_manager, 6);
}

TEST_P(RotateScenario, ASecondRunWithMinAgeDoesNothing) {
  SeedSelfRotating();
  auto options = h().Options(kAdminSecret);
  options.min_age = Days(30);
  ASSERT_EQ(h().Rotate(options).outcome, Outcome::kRotated);
  const auto versions_before = h().Describe(kAdminSecret).version_ids_to_stages;
  auto plan = std::make_shared<FaultPlan>();
  auto again = h().Rotate(options, plan);
  EXPECT_EQ(again.outcome, Outcome::kNotDue) << again.message;
  EXPECT_EQ(rotation::ExitCode(again.outcome), 0);
  EXPECT_EQ(plan->writes(), 0);
  EXPECT_EQ(h().Describe(kAdminSecret).version_ids_to_stages, versions_before);
  // The old token was revoked in the rotation; a not-due run only checks it (one read).
  EXPECT_LE(plan->calls(), 3);
}

TEST_P(RotateScenario, MinAgeUsesCreatedAtWithoutLastRotated) {
  auto token = h().CreateToken("runner-admin", AdminGrants());
  h().CreateSecret("s", Json{{"service_token_id", token.id},
                             {"service_token", std::string(token.token.expose())}});
  auto options = h().Options("s");
  options.min_age = Days(30);
  world().Clock().Advance(Days(10));
  EXPECT_EQ(h().Rotate(options).outcome, Outcome::kNotDue);
  world().Clock().Advance(Days(25));
  auto report = h().Rotate(options);
  EXPECT_EQ(report.outcome, Outcome::kRotated) << report.message;
  EXPECT_EQ(h().Current("s")["last_rotated_datetime_utc"], rotation::FormatIsoTime(Now()));
}

TEST_P(RotateScenario, ExtraKeysSurviveEveryRotation) {
  const Json extra = {{"team", "data-platform"},
                      {"webhook", {{"url", "https://example.invalid/hook"}, {"retries", 3}}},
                      {"tags", {"a", "b"}},
                      {"nothing", nullptr}};
  SeedSelfRotating(kAdminSecret, extra);
  auto options = h().Options(kAdminSecret);
  for (int i = 0; i < 3; ++i) {
    options.force = true;
    auto report = h().Rotate(options);
    ASSERT_EQ(report.outcome, Outcome::kRotated) << report.message;
    Json current = h().Current(kAdminSecret);
    for (const auto& [key, value] : extra.items()) EXPECT_EQ(current[key], value) << key;
    // The notebook's keys keep their place; ours come after.
    auto it = current.begin();
    EXPECT_EQ(it.key(), "service_token_id");
    options.connection = {};  // later runs read account and URL from the secret
  }
}

TEST_P(RotateScenario, ManagerRotatesANonAdminToken) {
  auto manager = h().CreateToken("rotation-manager", AdminGrants());
  h().SeedSecret("dbt/manager", manager, Now());
  const std::vector<dbtcloud::PermissionGrant> runner_grants = {
      {"job_runner", 7, std::vector<std::string>{}},
      {"job_viewer", std::nullopt, std::vector<std::string>{}}};
  auto runner = h().CreateToken("nightly-runner", runner_grants);
  h().SeedSecret("dbt/runner", runner, Now() - Days(40));
  const std::string manager_before = h().Current("dbt/manager").dump();

  auto options = h().Options("dbt/runner");
  options.connection.manager_secret_id = "dbt/manager";
  auto report = h().Rotate(options);
  ASSERT_EQ(report.outcome, Outcome::kRotated) << report.message;
  const std::int64_t fresh = *report.new_token_id;
  EXPECT_TRUE(h().CurrentTokenWorks("dbt/runner"));
  EXPECT_TRUE(dbtcloud::SameGrants(h().GrantsOf(fresh), runner_grants));
  EXPECT_FALSE(h().IsActive(runner.id));
  EXPECT_TRUE(h().IsActive(manager.id));
  EXPECT_EQ(h().Current("dbt/manager").dump(), manager_before);
  EXPECT_EQ(h().ActiveIds("nightly-runner"), std::set<std::int64_t>{fresh});
  // Three more than self-rotation (the manager secret, the secret's own token reading itself to
  // show it is live, the manager's read of the new token), all concurrent with others; one more
  // when retrieve omits the grants.
  EXPECT_LE(report.requests.secrets_manager + report.requests.dbt_cloud, 15);
}

TEST_P(RotateScenario, SelfRotationOfANonAdminTokenIsRefusedUntouched) {
  auto runner = h().CreateToken("runner", {{"job_runner", 7, std::vector<std::string>{}}});
  h().SeedSecret("dbt/runner", runner, Now() - Days(40));
  auto plan = std::make_shared<FaultPlan>();
  auto report = h().Rotate(h().Options("dbt/runner"), plan);
  EXPECT_EQ(report.outcome, Outcome::kInvalidInput) << report.message;
  EXPECT_EQ(rotation::ExitCode(report.outcome), 2);
  EXPECT_NE(report.message.find("--manager-secret"), std::string::npos) << report.message;
  EXPECT_EQ(plan->writes(), 0);
  EXPECT_TRUE(h().IsActive(runner.id));
}

TEST_P(RotateScenario, InheritsMoreThanAHundredPermissionRows) {
  std::vector<dbtcloud::PermissionGrant> grants = AdminGrants();
  for (std::int64_t project = 1; project <= 40; ++project) {
    grants.push_back({"job_admin", project, std::vector<std::string>{}});
    grants.push_back({"developer", project, std::vector<std::string>{"development", "staging"}});
    grants.push_back({"job_viewer", project, std::vector<std::string>{}});
  }
  ASSERT_EQ(grants.size(), 121u);
  auto token = h().CreateToken("wide", grants);
  h().SeedSecret("wide", token, Now() - Days(40));
  auto report = h().Rotate(h().Options("wide"));
  ASSERT_EQ(report.outcome, Outcome::kRotated) << report.message;
  auto copied = h().GrantsOf(*report.new_token_id);
  EXPECT_EQ(copied.size(), 121u);
  EXPECT_TRUE(dbtcloud::SameGrants(copied, grants));
}

TEST_P(RotateScenario, PermissionsFileAndNameOverrideTheOldToken) {
  auto manager = h().CreateToken("mgr", AdminGrants());
  h().SeedSecret("mgr", manager, Now());
  auto runner =
      h().CreateToken("runner", {{"account_viewer", std::nullopt, std::vector<std::string>{}}});
  h().SeedSecret("runner", runner, Now() - Days(40));
  auto grants = rotation::ParsePermissions(
      "- permission_set: job_runner\n  project_id: 9\n- permission_set: job_viewer\n", "f.yaml");
  ASSERT_TRUE(grants.has_value());
  auto options = h().Options("runner");
  options.connection.manager_secret_id = "mgr";
  options.grants = *grants;
  options.token_name = "runner-v2";
  auto report = h().Rotate(options);
  ASSERT_EQ(report.outcome, Outcome::kRotated) << report.message;
  EXPECT_TRUE(dbtcloud::SameGrants(h().GrantsOf(*report.new_token_id), *grants));
  EXPECT_EQ(h().ActiveIds("runner-v2"), std::set<std::int64_t>{*report.new_token_id});
  EXPECT_FALSE(h().IsActive(runner.id));
}

TEST_P(RotateScenario, SelfRotationGrantsMustKeepAccountAdmin) {
  SeedSelfRotating();
  auto options = h().Options(kAdminSecret);
  options.grants =
      std::vector<dbtcloud::PermissionGrant>{{"job_admin", std::nullopt, std::nullopt}};
  auto plan = std::make_shared<FaultPlan>();
  auto report = h().Rotate(options, plan);
  EXPECT_EQ(report.outcome, Outcome::kInvalidInput);
  EXPECT_NE(report.message.find("account_admin"), std::string::npos);
  EXPECT_EQ(plan->writes(), 0);
}

TEST_P(RotateScenario, OverlapNoneKeepsOneValidToken) {
  SeedSelfRotating();
  auto options = h().Options(kAdminSecret);
  options.force = true;
  for (int i = 0; i < 3; ++i) {
    auto report = h().Rotate(options);
    ASSERT_EQ(report.outcome, Outcome::kRotated) << report.message;
    EXPECT_EQ(h().ActiveIds(kAdminSecret), std::set<std::int64_t>{*report.new_token_id});
    world().Clock().Advance(std::chrono::hours(1));
  }
}

TEST_P(RotateScenario, OverlapUntilNextKeepsTwoValidTokens) {
  auto first = SeedSelfRotating();
  auto options = h().Options(kAdminSecret);
  options.force = true;
  options.overlap = {OverlapKind::kUntilNext, {}};
  std::int64_t previous = first.id;
  for (int i = 0; i < 4; ++i) {
    auto report = h().Rotate(options);
    ASSERT_EQ(report.outcome, Outcome::kRotated) << report.message;
    const std::int64_t current = *report.new_token_id;
    EXPECT_EQ(h().ActiveIds(kAdminSecret), (std::set<std::int64_t>{previous, current})) << i;
    Json value = h().Current(kAdminSecret);
    EXPECT_EQ(value["previous_service_token_id"], previous);
    EXPECT_FALSE(value.contains("previous_revoke_after"));
    previous = current;
    world().Clock().Advance(Days(1));
  }
}

TEST_P(RotateScenario, OverlapDurationRevokesOnALaterRun) {
  auto first = SeedSelfRotating();
  auto options = h().Options(kAdminSecret);
  options.overlap = {OverlapKind::kDuration, std::chrono::hours(36)};
  options.min_age = Days(30);
  auto r1 = h().Rotate(options);
  ASSERT_EQ(r1.outcome, Outcome::kRotated) << r1.message;
  const std::int64_t second = *r1.new_token_id;
  EXPECT_EQ(h().ActiveIds(kAdminSecret), (std::set<std::int64_t>{first.id, second}));

  world().Clock().Advance(std::chrono::hours(35));
  auto quiet = h().Rotate(options);
  EXPECT_EQ(quiet.outcome, Outcome::kNotDue);
  EXPECT_TRUE(h().IsActive(first.id));

  world().Clock().Advance(std::chrono::hours(2));
  auto revoking = h().Rotate(options);  // rotates nothing, revokes the expired previous
  EXPECT_EQ(revoking.outcome, Outcome::kNotDue) << revoking.message;
  EXPECT_EQ(revoking.revoked_token_ids, std::vector<std::int64_t>{first.id});
  EXPECT_EQ(h().ActiveIds(kAdminSecret), std::set<std::int64_t>{second});

  // A rotation before the overlap ends supersedes the previous token: at most two stay valid.
  options.force = true;
  auto r2 = h().Rotate(options);
  ASSERT_EQ(r2.outcome, Outcome::kRotated);
  world().Clock().Advance(std::chrono::hours(2));
  auto r3 = h().Rotate(options);
  ASSERT_EQ(r3.outcome, Outcome::kRotated);
  EXPECT_EQ(h().ActiveIds(kAdminSecret),
            (std::set<std::int64_t>{*r2.new_token_id, *r3.new_token_id}));
}

TEST_P(RotateScenario, DryRunOnlyReads) {
  auto old = SeedSelfRotating();
  const auto versions = h().Describe(kAdminSecret).version_ids_to_stages;
  const auto tokens = h().Tokens().size();
  auto plan = std::make_shared<FaultPlan>();
  auto options = h().Options(kAdminSecret);
  options.dry_run = true;
  auto report = h().Rotate(options, plan);
  ASSERT_EQ(report.outcome, Outcome::kPlanned) << report.message;
  EXPECT_EQ(plan->writes(), 0);
  EXPECT_GT(plan->calls(), 0);
  EXPECT_EQ(h().Describe(kAdminSecret).version_ids_to_stages, versions);
  EXPECT_EQ(h().Tokens().size(), tokens);
  ASSERT_TRUE(report.plan.has_value());
  EXPECT_TRUE(report.plan->rotate);
  EXPECT_EQ(report.plan->token_name, kAdminSecret);
  EXPECT_TRUE(dbtcloud::SameGrants(report.plan->grants, AdminGrants()));
  ASSERT_EQ(report.plan->revocations.size(), 1u);
  EXPECT_EQ(report.plan->revocations[0].token_id, old.id);
}

TEST_P(RotateScenario, DryRunWhenNotDueAndWithAnExpiredPrevious) {
  auto first = SeedSelfRotating();
  auto options = h().Options(kAdminSecret);
  options.overlap = {OverlapKind::kDuration, std::chrono::hours(1)};
  ASSERT_EQ(h().Rotate(options).outcome, Outcome::kRotated);
  world().Clock().Advance(std::chrono::hours(2));
  options.min_age = Days(30);
  options.dry_run = true;
  auto plan = std::make_shared<FaultPlan>();
  auto report = h().Rotate(options, plan);
  ASSERT_EQ(report.outcome, Outcome::kPlanned);
  EXPECT_EQ(plan->writes(), 0);
  ASSERT_TRUE(report.plan.has_value());
  EXPECT_FALSE(report.plan->rotate);
  ASSERT_EQ(report.plan->revocations.size(), 1u);
  EXPECT_EQ(report.plan->revocations[0].token_id, first.id);
  EXPECT_TRUE(h().IsActive(first.id));
}

struct BadSecret {
  const char* name;
  Json value;
  const char* key;
};

TEST_P(RotateScenario, MalformedSecretsChangeNothing) {
  auto token = h().CreateToken("t", AdminGrants());
  const std::string string_token(token.token.expose());
  const std::vector<BadSecret> cases = {
      {"missing-id", Json{{"service_token", string_token}}, "service_token_id"},
      {"string-id", Json{{"service_token_id", "1"}, {"service_token", string_token}},
       "service_token_id"},
      {"missing-token", Json{{"service_token_id", token.id}}, "service_token"},
      {"number-token", Json{{"service_token_id", token.id}, {"service_token", 5}}, "service_token"},
      {"bad-date",
       Json{{"service_token_id", token.id},
            {"service_token", string_token},
            {"last_rotated_datetime_utc", "soon"}},
       "last_rotated_datetime_utc"},
      {"array", Json::array({1, 2}), "JSON object"},
  };
  for (const auto& bad : cases) {
    h().CreateSecret(bad.name, bad.value);
    const auto versions = h().Describe(bad.name).version_ids_to_stages;
    auto plan = std::make_shared<FaultPlan>();
    auto report = h().Rotate(h().Options(bad.name), plan);
    EXPECT_EQ(report.outcome, Outcome::kInvalidInput) << bad.name;
    EXPECT_NE(report.message.find(bad.key), std::string::npos) << report.message;
    EXPECT_EQ(report.message.find(string_token), std::string::npos);
    EXPECT_EQ(plan->writes(), 0) << bad.name;
    EXPECT_EQ(h().Describe(bad.name).version_ids_to_stages, versions);
  }
  // Not JSON at all.
  aws::CreateSecretRequest raw;
  raw.name = "not-json";
  raw.client_request_token = world().Rand().UuidV4();
  raw.secret_string = SecretString("token=" + string_token);
  ASSERT_TRUE(world().Secrets().CreateSecret(raw).has_value());
  auto plan = std::make_shared<FaultPlan>();
  auto report = h().Rotate(h().Options("not-json"), plan);
  EXPECT_EQ(report.outcome, Outcome::kInvalidInput);
  EXPECT_NE(report.message.find("not JSON"), std::string::npos);
  EXPECT_EQ(report.message.find(string_token), std::string::npos);
  EXPECT_EQ(plan->writes(), 0);
  EXPECT_TRUE(h().IsActive(token.id));
}

TEST_P(RotateScenario, BinarySecretChangesNothing) {
  if (!world().CreateBinarySecret("binary")) GTEST_SKIP() << "world cannot store SecretBinary";
  auto plan = std::make_shared<FaultPlan>();
  auto report = h().Rotate(h().Options("binary"), plan);
  EXPECT_EQ(report.outcome, Outcome::kInvalidInput);
  EXPECT_NE(report.message.find("binary"), std::string::npos);
  EXPECT_EQ(plan->writes(), 0);
}

TEST_P(RotateScenario, MissingSecretAndMissingConnectionAreInputErrors) {
  auto missing = h().Rotate(h().Options("nope"));
  EXPECT_EQ(missing.outcome, Outcome::kInvalidInput);
  EXPECT_NE(missing.message.find("dbt-rotate init"), std::string::npos);
  SeedSelfRotating();
  rotation::RotateOptions bare;
  bare.secret_id = kAdminSecret;
  auto plan = std::make_shared<FaultPlan>();
  auto report = h().Rotate(bare, plan);
  EXPECT_EQ(report.outcome, Outcome::kInvalidInput);
  EXPECT_NE(report.message.find("account_id"), std::string::npos);
  EXPECT_EQ(plan->writes(), 0);
}

TEST_P(RotateScenario, BadOptionsAreRefusedBeforeAnyCall) {
  SeedSelfRotating();
  std::vector<rotation::RotateOptions> bad(6, h().Options(kAdminSecret));
  bad[0].secret_id.clear();
  bad[1].lease = Duration{0};
  bad[2].token_name = "";
  bad[3].grants = std::vector<dbtcloud::PermissionGrant>{};
  bad[4].connection.manager_secret_id = kAdminSecret;
  bad[5].overlap = {OverlapKind::kDuration, Duration{0}};
  for (const auto& options : bad) {
    auto plan = std::make_shared<FaultPlan>();
    auto report = h().Rotate(options, plan);
    EXPECT_EQ(report.outcome, Outcome::kInvalidInput) << report.message;
    EXPECT_EQ(plan->calls(), 0) << report.message;
  }
}

TEST_P(RotateScenario, ARevokedCurrentTokenNeedsAttention) {
  auto old = SeedSelfRotating();
  auto admin = world().DbtFactory()(world().Connection(), world().AdminToken());
  ASSERT_TRUE(admin->DeleteServiceToken(old.id).has_value());
  auto report = h().Rotate(h().Options(kAdminSecret));
  EXPECT_EQ(report.outcome, Outcome::kNeedsAttention) << report.message;
  EXPECT_EQ(rotation::ExitCode(report.outcome), 3);
  EXPECT_NE(report.message.find("init --force"), std::string::npos);
  // A 401 is also what a cell-based account answers on the wrong host.
  EXPECT_NE(report.message.find("--access-url"), std::string::npos);
}

// The list holds active tokens only; an old token missing from it is read on its own to say
// whether it was revoked or never existed. Either way nothing is created.
TEST_P(RotateScenario, AManagedTokenThatIsRevokedOrUnknownNeedsAttention) {
  auto manager = h().CreateToken("rotation-manager", AdminGrants());
  h().SeedSecret("dbt/manager", manager, Now());
  auto runner = h().CreateToken("nightly-runner", {{"job_runner", 7, std::vector<std::string>{}}});
  h().SeedSecret("dbt/runner", runner, Now() - Days(40));
  auto admin = world().DbtFactory()(world().Connection(), world().AdminToken());
  ASSERT_TRUE(admin->DeleteServiceToken(runner.id).has_value());
  auto options = h().Options("dbt/runner");
  options.connection.manager_secret_id = "dbt/manager";
  auto revoked = h().Rotate(options);
  EXPECT_EQ(revoked.outcome, Outcome::kNeedsAttention) << revoked.message;
  // dbt answers a deleted token's retrieve with state 2, or (some variants) with 404.
  EXPECT_NE(revoked.message.find("revoked"), std::string::npos) << revoked.message;
  EXPECT_NE(revoked.message.find("init --force"), std::string::npos) << revoked.message;
  EXPECT_FALSE(revoked.new_token_id.has_value());

  Harness::Token unknown{runner.id + 100000, runner.token.Clone(), runner.name};
  h().SeedSecret("dbt/unknown", unknown, Now() - Days(40));
  options.secret_id = "dbt/unknown";
  auto missing = h().Rotate(options);
  EXPECT_EQ(missing.outcome, Outcome::kNeedsAttention) << missing.message;
  EXPECT_NE(missing.message.find("does not exist in account"), std::string::npos)
      << missing.message;
  EXPECT_FALSE(missing.new_token_id.has_value());
  EXPECT_EQ(h().ActiveIds("nightly-runner"), std::set<std::int64_t>{});
}

TEST_P(RotateScenario, ATokenWithTheWrongGrantsIsRolledBack) {
  std::vector<dbtcloud::PermissionGrant> grants = AdminGrants();
  grants.push_back({"job_admin", 3, std::vector<std::string>{}});
  auto old = h().CreateToken("admin2", grants);
  h().SeedSecret("admin2", old, Now() - Days(40));
  auto hooks = std::make_shared<ApiHooks>();
  hooks->create = [](dbtcloud::ServiceTokenApi& api, const std::string& name, auto requested) {
    requested.pop_back();  // dbt "forgets" a permission
    return api.CreateServiceToken(name, requested);
  };
  auto report = Engine(hooks).Rotate(h().Options("admin2"));
  EXPECT_EQ(report.outcome, Outcome::kFailedSafely) << report.message;
  EXPECT_NE(report.message.find("expected grants"), std::string::npos) << report.message;
  ASSERT_TRUE(report.new_token_id.has_value());
  EXPECT_FALSE(h().IsActive(*report.new_token_id));
  EXPECT_EQ(h().CurrentTokenId("admin2"), old.id);
  EXPECT_TRUE(h().CurrentTokenWorks("admin2"));
  EXPECT_FALSE(h().UnfinishedPending("admin2").has_value());
  EXPECT_EQ(h().ActiveIds("admin2"), std::set<std::int64_t>{old.id});
}

TEST_P(RotateScenario, AForeignPendingVersionIsLeftAlone) {
  SeedSelfRotating();
  aws::PutSecretValueRequest put;
  put.secret_id = kAdminSecret;
  put.client_request_token = world().Rand().UuidV4();
  put.secret_string = SecretString(std::string(R"({"username": "x", "password": "y"})"));
  put.version_stages = {aws::kStagePending};
  ASSERT_TRUE(world().Secrets().PutSecretValue(put).has_value());
  world().Clock().Advance(Days(1));
  auto plan = std::make_shared<FaultPlan>();
  auto report = h().Rotate(h().Options(kAdminSecret), plan);
  EXPECT_EQ(report.outcome, Outcome::kNeedsAttention) << report.message;
  EXPECT_NE(report.message.find("--remove-from-version-id"), std::string::npos);
  EXPECT_EQ(plan->writes(), 0);
}

TEST_P(RotateScenario, ANewTokenGetsAMomentToBeAccepted) {
  SeedSelfRotating();
  auto hooks = std::make_shared<ApiHooks>();
  int rejections = 1;
  hooks->get = [&](dbtcloud::ServiceTokenApi& api,
                   std::int64_t id) -> dbtcloud::DbtResult<dbtcloud::ServiceToken> {
    if (id != h().CurrentTokenId(kAdminSecret) && rejections-- > 0) {
      return Fail(
          dbtcloud::Error{dbtcloud::ErrorCode::kUnauthenticated, 401, "Invalid token.", false});
    }
    return api.GetServiceToken(id);
  };
  const auto slept = world().Clock().TotalSlept();
  auto report = Engine(hooks).Rotate(h().Options(kAdminSecret));
  EXPECT_EQ(report.outcome, Outcome::kRotated) << report.message;
  EXPECT_GT(world().Clock().TotalSlept(), slept);
}

TEST_P(RotateScenario, ANewTokenDbtRejectsIsRolledBack) {
  auto old = SeedSelfRotating();
  auto hooks = std::make_shared<ApiHooks>();
  hooks->create = [](dbtcloud::ServiceTokenApi& api, const std::string& name, const auto& grants) {
    auto created = api.CreateServiceToken(name, grants);
    if (created) created->token_string = SecretString(std::string("dbtc_") + std::string(50, 'Z'));
    return created;
  };
  auto report = Engine(hooks).Rotate(h().Options(kAdminSecret));
  EXPECT_EQ(report.outcome, Outcome::kFailedSafely) << report.message;
  EXPECT_NE(report.message.find("was rejected"), std::string::npos) << report.message;
  ASSERT_TRUE(report.new_token_id.has_value());
  EXPECT_FALSE(h().IsActive(*report.new_token_id));
  EXPECT_EQ(h().CurrentTokenId(kAdminSecret), old.id);
  EXPECT_TRUE(h().CurrentTokenWorks(kAdminSecret));
  EXPECT_FALSE(h().UnfinishedPending(kAdminSecret).has_value());
}

INSTANTIATE_TEST_SUITE_P(Fakes, RotateScenario, ::testing::ValuesIn(FakeWorlds()), WorldName);

}  // namespace
}  // namespace dbtrotate::testing
