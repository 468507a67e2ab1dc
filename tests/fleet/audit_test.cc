#include "fleet/audit.h"

#include <gtest/gtest.h>

#include "dbtcloud/client.h"
#include "fleet_world.h"
#include "rotation/secret_value.h"

namespace dbtrotate::fleet {
namespace {

using testing::FleetWorld;

bool Has(const AuditedToken& token, std::string_view finding) {
  return std::any_of(token.findings.begin(), token.findings.end(),
                     [&](const std::string& f) { return f.find(finding) != std::string::npos; });
}

class AuditTest : public ::testing::Test {
 protected:
  // A dbt client acting with the token in `secret_id`.
  std::unique_ptr<dbtcloud::Client> ActingAs(const std::string& secret_id) {
    auto value = world_.secrets().GetSecretValue({secret_id, std::nullopt, std::nullopt});
    EXPECT_TRUE(value);
    auto parsed = rotation::ParseTokenSecret(*value, rotation::SecretRole::kRotated, secret_id);
    EXPECT_TRUE(parsed);
    auto client = dbtcloud::Client::Create(world_.http(), world_.dbt().base_url(),
                                           world_.account_id(), parsed->service_token.Clone());
    EXPECT_TRUE(client);
    return std::move(*client);
  }

  // One request made with the secret's token: dbt records it as last used (whatever it may
  // read; a non-admin token may be refused the row).
  void Use(const std::string& secret_id, std::int64_t token_id) {
    (void)ActingAs(secret_id)->GetServiceToken(token_id);
  }

  std::map<std::int64_t, AuditedToken> ById(const AuditReport& report) {
    std::map<std::int64_t, AuditedToken> tokens;
    for (const auto& token : report.tokens) tokens[token.token.id] = token;
    return tokens;
  }

  FleetWorld world_;
};

TEST_F(AuditTest, FindsUnmanagedUnusedOldAndAdminTokens) {
  ASSERT_TRUE(world_.ok()) << world_.error();
  const auto manager = world_.SeedSecret("prod/manager");
  const auto self = world_.SeedSecret("prod/self-rotating");
  const auto runner = world_.SeedSecret("prod/runner", 0, {{"job_runner", 4, {}}});
  const auto idle = world_.SeedSecret("prod/idle", 0, {{"job_viewer", 4, {}}});
  auto stray = world_.dbt().AddServiceToken(world_.account_id(), {"stray", {{"developer", 4, {}}}});
  ASSERT_TRUE(stray);
  Use("prod/idle", idle);
  world_.clock().Advance(std::chrono::hours(24 * 100));
  Use("prod/runner", runner);
  Use("prod/self-rotating", self);

  std::vector<std::string> warnings;
  std::vector<ManagingSecret> secrets;
  for (const std::string id : {"prod/self-rotating", "prod/runner", "prod/idle"}) {
    secrets.push_back({id, &world_.secrets(), false});
  }
  secrets.push_back({"prod/manager", &world_.secrets(), true});
  secrets.push_back({"prod/does-not-exist", &world_.secrets(), false});
  const auto managed = ReadManagedTokenIds(secrets, world_.account_id(), warnings);
  ASSERT_EQ(warnings.size(), 1U);  // the missing secret
  EXPECT_NE(warnings[0].find("prod/does-not-exist"), std::string::npos);

  AuditOptions options;
  options.unused_for = std::chrono::hours(24 * 90);
  options.max_age = std::chrono::hours(24 * 365);
  options.manager_token_id = manager;
  auto api = ActingAs("prod/manager");
  auto report = Audit(*api, world_.account_id(), managed, world_.clock().Now(), options);
  ASSERT_TRUE(report) << report.error();
  auto tokens = ById(*report);
  ASSERT_EQ(tokens.size(), 5U);

  EXPECT_TRUE(tokens[manager].findings.empty()) << tokens[manager].findings.front();
  EXPECT_EQ(tokens[manager].managed_by, std::vector<std::string>{"prod/manager"});
  EXPECT_TRUE(Has(tokens[self], "account-wide admin (account_admin)"));
  EXPECT_EQ(tokens[self].findings.size(), 1U);
  EXPECT_TRUE(tokens[runner].findings.empty());
  ASSERT_EQ(tokens[runner].grants.size(), 1U);
  EXPECT_EQ(tokens[runner].grants[0].permission_set, "job_runner");
  EXPECT_TRUE(Has(tokens[idle], "unused for 100d (over 90d)"));
  EXPECT_TRUE(Has(tokens[stray->id], "unmanaged"));
  EXPECT_TRUE(Has(tokens[stray->id], "never used"));
  EXPECT_EQ(report->FindingCount(), 4);

  // Twice the max age later, every token is too old.
  options.max_age = std::chrono::hours(24 * 30);
  report = Audit(*api, world_.account_id(), managed, world_.clock().Now(), options);
  ASSERT_TRUE(report);
  for (const auto& token : report->tokens) EXPECT_TRUE(Has(token, "older than the max age"));
}

TEST_F(AuditTest, AuditIsReadOnly) {
  ASSERT_TRUE(world_.ok()) << world_.error();
  world_.SeedSecret("prod/manager");
  world_.SeedSecret("prod/a", 0, {{"job_runner", 4, {}}});
  const auto before = world_.dbt().log().RequestCount();
  auto api = ActingAs("prod/manager");
  auto report = Audit(*api, world_.account_id(), {}, world_.clock().Now(), {});
  ASSERT_TRUE(report);
  for (const auto& record : world_.dbt().log().Log()) {
    EXPECT_EQ(record.method, "GET") << record.target;
  }
  EXPECT_GT(world_.dbt().log().RequestCount(), before);
}

}  // namespace
}  // namespace dbtrotate::fleet
