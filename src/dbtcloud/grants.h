#ifndef DBTROTATE_DBTCLOUD_GRANTS_H_
#define DBTROTATE_DBTCLOUD_GRANTS_H_

// Permission grants as sets: re-creating a token with exactly another token's permissions
// (GrantsFromPermissionRows, declared in api.h) and checking that a new token got exactly
// what was asked for.
//
// writable_environment_categories: dbt stores a permission row's categories as a list that
// defaults to [] (spec: ServiceTokenPermissionResponse), and the meaning of an omitted list in
// a create request is disputed (empty = read-only per the Terraform docs, "all environments"
// per the UI). So:
//  - GrantsFromPermissionRows always sends the row's list, [] included: an explicit [] can
//    never widen access, an omitted field might.
//  - Comparisons treat an absent list and [] as equal (what the server reports back for a
//    grant sent without the field is [] on every source we have), and compare categories as
//    sets (order and repeats do not matter).

#include <string>
#include <vector>

#include "dbtcloud/types.h"

namespace dbtrotate::dbtcloud {

/// The grant in its comparison form: categories present, sorted and unique.
PermissionGrant NormalizeGrant(const PermissionGrant& grant);

/// "developer on project 7, writable [development, staging]" (an empty list is not shown).
std::string DescribeGrant(const PermissionGrant& grant);

struct GrantDiff {
  std::vector<PermissionGrant> missing;     // expected but not in actual (normalised form)
  std::vector<PermissionGrant> unexpected;  // in actual but not expected (normalised form)
  bool empty() const { return missing.empty() && unexpected.empty(); }
  /// "missing: …; unexpected: …", or "" when equal.
  std::string Describe() const;
};

/// Multiset difference after NormalizeGrant: duplicates count.
GrantDiff DiffGrants(const std::vector<PermissionGrant>& expected,
                     const std::vector<PermissionGrant>& actual);

inline bool SameGrants(const std::vector<PermissionGrant>& a,
                       const std::vector<PermissionGrant>& b) {
  return DiffGrants(a, b).empty();
}

}  // namespace dbtrotate::dbtcloud

#endif  // DBTROTATE_DBTCLOUD_GRANTS_H_
