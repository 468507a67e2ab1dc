#include "dbtcloud/grants.h"

#include <gtest/gtest.h>

#include "dbtcloud/api.h"

namespace dbtrotate::dbtcloud {
namespace {

using Categories = std::vector<std::string>;

PermissionRow Row(std::int64_t id, std::string set, std::optional<std::int64_t> project,
                  Categories categories = {}, int state = kStateActive) {
  PermissionRow row;
  row.id = id;
  row.service_token_id = 7;
  row.permission_set = std::move(set);
  row.project_id = project;
  row.all_projects = !project.has_value();
  row.state = state;
  row.writable_environment_categories = std::move(categories);
  return row;
}

PermissionGrant Grant(std::string set, std::optional<std::int64_t> project = std::nullopt,
                      std::optional<Categories> categories = std::nullopt) {
  return PermissionGrant{std::move(set), project, std::move(categories)};
}

TEST(GrantsFromPermissionRowsTest, ConvertsFaithfully) {
  const std::vector<PermissionRow> rows = {
      Row(1, "job_admin", 10),
      Row(2, "account_viewer", std::nullopt),
      Row(3, "developer", 11, {"development", "staging"}),
      Row(4, "job_admin", 12, {}, kStateDeleted),  // deleted row: skipped
      Row(5, "job_admin", 10),                     // exact duplicate of 1: dropped
      Row(6, "future_permission_set", 13),         // unknown set: passes through
      Row(7, "developer", 11, {"production"}),     // same set+project, other categories: kept
  };
  const auto grants = GrantsFromPermissionRows(rows);
  const std::vector<PermissionGrant> expected = {
      Grant("job_admin", 10, Categories{}),
      Grant("account_viewer", std::nullopt, Categories{}),
      Grant("developer", 11, Categories{"development", "staging"}),
      Grant("future_permission_set", 13, Categories{}),
      Grant("developer", 11, Categories{"production"}),
  };
  EXPECT_EQ(grants, expected);
}

TEST(GrantsFromPermissionRowsTest, AllProjectsWinsOverAStrayProjectId) {
  PermissionRow row = Row(1, "admin", 99);
  row.all_projects = true;
  const auto grants = GrantsFromPermissionRows({row});
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_FALSE(grants[0].project_id.has_value());
}

TEST(GrantsFromPermissionRowsTest, EmptyAndAllDeletedGiveNoGrants) {
  EXPECT_TRUE(GrantsFromPermissionRows({}).empty());
  EXPECT_TRUE(
      GrantsFromPermissionRows({Row(1, "admin", 1, {}, 2), Row(2, "admin", 2, {}, 0)}).empty());
}

TEST(DiffGrantsTest, TreatsAbsentAndEmptyCategoriesAlikeAndIgnoresOrder) {
  const std::vector<PermissionGrant> expected = {
      Grant("job_admin", 10), Grant("developer", 11, Categories{"staging", "development"})};
  const std::vector<PermissionGrant> actual = {
      Grant("developer", 11, Categories{"development", "staging", "staging"}),
      Grant("job_admin", 10, Categories{})};
  EXPECT_TRUE(SameGrants(expected, actual)) << DiffGrants(expected, actual).Describe();
  EXPECT_EQ(DiffGrants(expected, actual).Describe(), "");
}

TEST(DiffGrantsTest, ComparesAsMultisets) {
  const std::vector<PermissionGrant> one = {Grant("job_admin", 10)};
  const std::vector<PermissionGrant> two = {Grant("job_admin", 10), Grant("job_admin", 10)};
  EXPECT_FALSE(SameGrants(one, two));
  const auto diff = DiffGrants(one, two);
  EXPECT_TRUE(diff.missing.empty());
  ASSERT_EQ(diff.unexpected.size(), 1u);
}

TEST(DiffGrantsTest, ReportsEveryDifference) {
  const std::vector<PermissionGrant> expected = {Grant("job_admin", 10),
                                                 Grant("developer", 11, Categories{"development"}),
                                                 Grant("account_viewer")};
  const std::vector<PermissionGrant> actual = {
      Grant("job_admin", 12), Grant("developer", 11, Categories{"development", "production"}),
      Grant("account_viewer")};
  const auto diff = DiffGrants(expected, actual);
  EXPECT_FALSE(diff.empty());
  EXPECT_EQ(diff.missing.size(), 2u);
  EXPECT_EQ(diff.unexpected.size(), 2u);
  EXPECT_EQ(diff.Describe(),
            "missing: developer on project 11, writable [development]; job_admin on project 10; "
            "unexpected: developer on project 11, writable [development, production]; job_admin "
            "on project 12");
  // A project grant is not an all-projects grant.
  EXPECT_FALSE(SameGrants({Grant("admin")}, {Grant("admin", 1)}));
}

TEST(DiffGrantsTest, RoundTripThroughRowsMatches) {
  const std::vector<PermissionRow> rows = {Row(1, "job_admin", 10), Row(2, "account_admin", {}),
                                           Row(3, "git_admin", 4, {"other", "all"})};
  const auto grants = GrantsFromPermissionRows(rows);
  // What dbt would report for the new token: same rows, new ids, another order.
  const std::vector<PermissionRow> reported = {Row(30, "git_admin", 4, {"all", "other"}),
                                               Row(10, "job_admin", 10),
                                               Row(20, "account_admin", {})};
  EXPECT_TRUE(SameGrants(grants, GrantsFromPermissionRows(reported)));
}

TEST(DescribeGrantTest, SaysScopeAndCategories) {
  EXPECT_EQ(DescribeGrant(Grant("account_admin")), "account_admin on all projects");
  EXPECT_EQ(DescribeGrant(Grant("developer", 3, Categories{})), "developer on project 3");
  EXPECT_EQ(DescribeGrant(Grant("developer", 3, Categories{"staging", "other"})),
            "developer on project 3, writable [staging, other]");
}

}  // namespace
}  // namespace dbtrotate::dbtcloud
