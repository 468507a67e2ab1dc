#include "rotation/grants.h"

#include <fmt/format.h>

#include <algorithm>

#include "dbtcloud/grants.h"

namespace dbtrotate::rotation {

bool HasAccountAdmin(const std::vector<dbtcloud::PermissionGrant>& grants) {
  return std::any_of(grants.begin(), grants.end(), [](const auto& g) {
    return g.permission_set == "account_admin" && !g.project_id;
  });
}

std::string DescribeGrants(const std::vector<dbtcloud::PermissionGrant>& grants) {
  if (grants.empty()) return "(none)";
  std::vector<std::string> parts;
  for (const auto& grant : grants) parts.push_back(dbtcloud::DescribeGrant(grant));
  std::sort(parts.begin(), parts.end());
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace dbtrotate::rotation
