#ifndef DBTROTATE_ROTATION_GRANTS_H_
#define DBTROTATE_ROTATION_GRANTS_H_

// What the rotation needs on top of dbtcloud/grants.h (comparison and single-grant text).

#include <string>
#include <vector>

#include "dbtcloud/types.h"

namespace dbtrotate::rotation {

/// Whether these grants let a token create and revoke service tokens (self-rotation).
bool HasAccountAdmin(const std::vector<dbtcloud::PermissionGrant>& grants);

/// All grants, "; "-separated, sorted: for steps and the dry-run plan.
std::string DescribeGrants(const std::vector<dbtcloud::PermissionGrant>& grants);

}  // namespace dbtrotate::rotation

#endif  // DBTROTATE_ROTATION_GRANTS_H_
