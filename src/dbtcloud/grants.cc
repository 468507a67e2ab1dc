#include "dbtcloud/grants.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iterator>
#include <tuple>

#include "dbtcloud/api.h"

namespace dbtrotate::dbtcloud {

namespace {

// A strict weak order on normalised grants, so multisets can be compared by sorting.
bool GrantLess(const PermissionGrant& a, const PermissionGrant& b) {
  return std::tie(a.permission_set, a.project_id, a.writable_environment_categories) <
         std::tie(b.permission_set, b.project_id, b.writable_environment_categories);
}

std::vector<PermissionGrant> SortedNormalized(const std::vector<PermissionGrant>& grants) {
  std::vector<PermissionGrant> out;
  out.reserve(grants.size());
  for (const auto& grant : grants) out.push_back(NormalizeGrant(grant));
  std::sort(out.begin(), out.end(), GrantLess);
  return out;
}

std::string DescribeList(const std::vector<PermissionGrant>& grants) {
  std::string out;
  for (const auto& grant : grants) {
    if (!out.empty()) out += "; ";
    out += DescribeGrant(grant);
  }
  return out;
}

}  // namespace

std::vector<PermissionGrant> GrantsFromPermissionRows(const std::vector<PermissionRow>& rows) {
  std::vector<PermissionGrant> grants;
  for (const auto& row : rows) {
    if (row.state != kStateActive) continue;
    PermissionGrant grant;
    grant.permission_set = row.permission_set;
    // all_projects wins over a stray project_id: that is how dbt reads the row.
    if (!row.all_projects) grant.project_id = row.project_id;
    grant.writable_environment_categories = row.writable_environment_categories;
    if (std::find(grants.begin(), grants.end(), grant) == grants.end()) {
      grants.push_back(std::move(grant));
    }
  }
  return grants;
}

PermissionGrant NormalizeGrant(const PermissionGrant& grant) {
  PermissionGrant out = grant;
  std::vector<std::string> categories =
      grant.writable_environment_categories.value_or(std::vector<std::string>{});
  std::sort(categories.begin(), categories.end());
  categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
  out.writable_environment_categories = std::move(categories);
  return out;
}

std::string DescribeGrant(const PermissionGrant& grant) {
  std::string out = grant.permission_set;
  out += grant.project_id ? fmt::format(" on project {}", *grant.project_id) : " on all projects";
  // An empty list reads like an absent one: they compare equal (see grants.h).
  if (grant.writable_environment_categories && !grant.writable_environment_categories->empty()) {
    out += fmt::format(", writable [{}]", fmt::join(*grant.writable_environment_categories, ", "));
  }
  return out;
}

std::string GrantDiff::Describe() const {
  std::string out;
  if (!missing.empty()) out += "missing: " + DescribeList(missing);
  if (!unexpected.empty()) {
    if (!out.empty()) out += "; ";
    out += "unexpected: " + DescribeList(unexpected);
  }
  return out;
}

GrantDiff DiffGrants(const std::vector<PermissionGrant>& expected,
                     const std::vector<PermissionGrant>& actual) {
  const auto want = SortedNormalized(expected);
  const auto have = SortedNormalized(actual);
  GrantDiff diff;
  std::set_difference(want.begin(), want.end(), have.begin(), have.end(),
                      std::back_inserter(diff.missing), GrantLess);
  std::set_difference(have.begin(), have.end(), want.begin(), want.end(),
                      std::back_inserter(diff.unexpected), GrantLess);
  return diff;
}

}  // namespace dbtrotate::dbtcloud
