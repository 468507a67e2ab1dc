#include "fleet/fleet_config.h"

#include <gtest/gtest.h>

#include "fleet/selection.h"

namespace dbtrotate::fleet {
namespace {

constexpr char kGood[] = R"(defaults:
  access_url: https://ab123.us1.dbt.com
  account_id: 42
  min_age: 30d
  overlap: until-next
secrets:
  - secret_id: prod/dbt/admin
    tags: [prod, admin]
  - secret_id: prod/dbt/job-runner
    name: job-runner
    tags: [prod, jobs]
    manager_secret_id: prod/dbt/admin
    overlap: 36h
    permissions:
      - permission_set: job_runner
        project_id: 7
  - secret_id: staging/dbt/ci
    account_id: 43
    region: eu-west-1
    profile: staging
    force: true
    token_name: ci-token
)";

Result<FleetConfig, ConfigError> Parse(const std::string& text) {
  return ParseFleetConfig(text, "fleet.yaml");
}

TEST(FleetConfigTest, ParsesDefaultsAndEntryOverrides) {
  auto config = Parse(kGood);
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->entries.size(), 3U);
  const auto& admin = config->entries[0];
  EXPECT_EQ(admin.name, "prod/dbt/admin");  // the secret_id when no name
  EXPECT_EQ(admin.line, 7);
  EXPECT_EQ(admin.rotate.connection.account_id, 42);
  EXPECT_EQ(admin.rotate.overlap.kind, rotation::OverlapKind::kUntilNext);
  ASSERT_TRUE(admin.rotate.min_age);
  EXPECT_EQ(*admin.rotate.min_age, std::chrono::hours(24 * 30));
  EXPECT_FALSE(admin.rotate.grants);

  const auto& runner = config->entries[1];
  EXPECT_EQ(runner.name, "job-runner");
  EXPECT_EQ(runner.rotate.connection.manager_secret_id, "prod/dbt/admin");
  EXPECT_EQ(runner.rotate.overlap.kind, rotation::OverlapKind::kDuration);
  ASSERT_TRUE(runner.rotate.grants);
  ASSERT_EQ(runner.rotate.grants->size(), 1U);
  EXPECT_EQ((*runner.rotate.grants)[0].permission_set, "job_runner");
  EXPECT_EQ((*runner.rotate.grants)[0].project_id, 7);

  const auto& ci = config->entries[2];
  EXPECT_EQ(ci.rotate.connection.account_id, 43);
  EXPECT_EQ(ci.aws.region, "eu-west-1");
  EXPECT_EQ(ci.aws.profile, "staging");
  EXPECT_TRUE(ci.rotate.force);
  EXPECT_EQ(ci.rotate.token_name, "ci-token");
  EXPECT_EQ(ci.rotate.connection.access_url, "https://ab123.us1.dbt.com");
}

struct BadCase {
  const char* label;
  const char* text;
  const char* expected;  // a substring of the message
};

class BadFleetFileTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadFleetFileTest, FailsNamingFileLineAndKey) {
  auto config = Parse(GetParam().text);
  ASSERT_FALSE(config) << GetParam().label;
  EXPECT_NE(config.error().message.find(GetParam().expected), std::string::npos)
      << config.error().message;
  EXPECT_EQ(config.error().message.rfind("fleet.yaml:", 0), 0U) << config.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    EveryBadFile, BadFleetFileTest,
    ::testing::Values(
        BadCase{"empty", "", "fleet.yaml:1: (file)"},
        BadCase{"not yaml", "secrets: [a, {", "not valid YAML"},
        BadCase{"a list at the top", "- a\n- b\n", "expected a mapping"},
        BadCase{"no secrets", "defaults: {min_age: 30d}\n", "secrets: expected a non-empty list"},
        BadCase{"empty secrets", "secrets: []\n", "fleet.yaml:1: secrets"},
        BadCase{"unknown top key", "secret:\n  - secret_id: a\n", "fleet.yaml:1: secret: unknown"},
        BadCase{"unknown entry key", "secrets:\n  - secret_id: a\n    overlapp: none\n",
                "fleet.yaml:3: secrets[0].overlapp: unknown key"},
        BadCase{"unknown default key", "defaults:\n  min-age: 3d\nsecrets:\n  - secret_id: a\n",
                "fleet.yaml:2: defaults.min-age: unknown key"},
        BadCase{"secret_id in defaults", "defaults:\n  secret_id: a\nsecrets:\n  - secret_id: a\n",
                "fleet.yaml:2: defaults.secret_id: not allowed in defaults"},
        BadCase{"missing secret_id", "secrets:\n  - name: a\n",
                "fleet.yaml:2: secrets[0]: secret_id is required"},
        BadCase{"entry not a map", "secrets:\n  - just-a-string\n", "fleet.yaml:2: secrets[0]"},
        BadCase{"secret twice", "secrets:\n  - secret_id: a\n  - secret_id: b\n  - secret_id: a\n",
                "fleet.yaml:4: secrets[2].secret_id: secret 'a' is already listed at line 2"},
        BadCase{"name twice",
                "secrets:\n  - {secret_id: a, name: x}\n  - {secret_id: b, name: x}\n",
                "fleet.yaml:3: secrets[1].name: name 'x' is already used at line 2"},
        BadCase{"key twice", "secrets:\n  - secret_id: a\n    secret_id: b\n",
                "secrets[0].secret_id: key given twice"},
        BadCase{"bad account", "secrets:\n  - secret_id: a\n    account_id: -4\n",
                "fleet.yaml:3: secrets[0].account_id: expected a positive integer"},
        BadCase{"text account", "secrets:\n  - secret_id: a\n    account_id: 12abc\n",
                "secrets[0].account_id"},
        BadCase{"bad access url", "secrets:\n  - secret_id: a\n    access_url: ftp://x\n",
                "fleet.yaml:3: secrets[0].access_url"},
        BadCase{"bad overlap", "secrets:\n  - secret_id: a\n    overlap: sometimes\n",
                "fleet.yaml:3: secrets[0].overlap"},
        BadCase{"bad min_age", "defaults:\n  min_age: 3x\nsecrets:\n  - secret_id: a\n",
                "fleet.yaml:2: secrets[0].min_age"},
        BadCase{"bad force", "secrets:\n  - secret_id: a\n    force: maybe\n",
                "fleet.yaml:3: secrets[0].force: expected true or false"},
        BadCase{"bad permissions word", "secrets:\n  - secret_id: a\n    permissions: inherited\n",
                "fleet.yaml:3: secrets[0].permissions: expected 'inherit'"},
        BadCase{"bad grant",
                "secrets:\n  - secret_id: a\n    permissions:\n      - project_id: 3\n",
                "fleet.yaml:4: secrets[0].permissions"},
        BadCase{"empty token name", "secrets:\n  - secret_id: a\n    token_name: ''\n",
                "secrets[0].token_name: expected a non-empty string"},
        BadCase{"list as region", "secrets:\n  - secret_id: a\n    region: [a]\n",
                "secrets[0].region: expected a non-empty string"},
        BadCase{"control char", "secrets:\n  - secret_id: \"a\\u001b[31m\"\n",
                "secrets[0].secret_id: contains a control character"},
        BadCase{"tags not a list", "secrets:\n  - secret_id: a\n    tags: prod\n",
                "fleet.yaml:3: secrets[0].tags: expected a list"}),
    [](const ::testing::TestParamInfo<BadCase>& test) {
      std::string name;
      for (char c : std::string(test.param.label)) name += std::isalnum(c) ? c : '_';
      return name;
    });

TEST(FleetConfigTest, MissingFileIsAClearError) {
  auto config = LoadFleetConfig("/nonexistent/fleet.yaml");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("/nonexistent/fleet.yaml: cannot open"), std::string::npos);
}

TEST(FleetSelectionTest, OnlyGlobsMatchNameOrSecretIdAndTagsMatchAny) {
  auto config = Parse(kGood);
  ASSERT_TRUE(config);
  auto names = [](const std::vector<FleetEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.name);
    return out;
  };
  EXPECT_EQ(names(Select(config->entries, {})).size(), 3U);
  EXPECT_EQ(names(Select(config->entries, {{"job-*"}, {}})),
            std::vector<std::string>{"job-runner"});
  EXPECT_EQ(names(Select(config->entries, {{"prod/*"}, {}})),
            (std::vector<std::string>{"prod/dbt/admin", "job-runner"}));
  EXPECT_EQ(names(Select(config->entries, {{}, {"jobs", "admin"}})),
            (std::vector<std::string>{"prod/dbt/admin", "job-runner"}));
  EXPECT_EQ(names(Select(config->entries, {{"prod/*"}, {"jobs"}})),
            std::vector<std::string>{"job-runner"});
  EXPECT_TRUE(Select(config->entries, {{"nothing"}, {}}).empty());
}

}  // namespace
}  // namespace dbtrotate::fleet

namespace dbtrotate::fleet {
namespace {

TEST(FleetConfigTest, TheExampleFileIsValid) {
  auto config = LoadFleetConfig(DBTROTATE_SOURCE_DIR "/examples/fleet.yaml");
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->entries.size(), 4U);
  EXPECT_EQ(config->entries[1].rotate.connection.manager_secret_id, "prod/dbt/admin");
  EXPECT_EQ(config->entries[3].aws.region, "eu-west-1");
  EXPECT_EQ(config->entries[3].rotate.connection.account_id, 67890);
}

}  // namespace
}  // namespace dbtrotate::fleet
