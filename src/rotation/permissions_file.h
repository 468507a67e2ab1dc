#ifndef DBTROTATE_ROTATION_PERMISSIONS_FILE_H_
#define DBTROTATE_ROTATION_PERMISSIONS_FILE_H_

// `--permissions FILE`: the grants for the new token, overriding the old token's. YAML or JSON
// (yaml-cpp reads both). Either a list of grants or {"permission_grants": [...]}; a grant is
//   permission_set: developer          # required
//   project_id: 123                    # optional; absent or null = all projects
//   all_projects: false                # optional; must agree with project_id
//   writable_environment_categories: [development, staging]   # optional
// Validation catches what dbt would reject or silently ignore, naming the entry and its line.

#include <string>
#include <string_view>
#include <vector>

#include "dbtcloud/types.h"
#include "rotation/error.h"

namespace dbtrotate::rotation {

/// `source` names the input in errors (the file path).
RotationResult<std::vector<dbtcloud::PermissionGrant>> ParsePermissions(std::string_view text,
                                                                        std::string_view source);

/// A regular file of at most 1 MiB (a directory, FIFO or device is refused without reading).
RotationResult<std::vector<dbtcloud::PermissionGrant>> LoadPermissionsFile(const std::string& path);

}  // namespace dbtrotate::rotation

#endif  // DBTROTATE_ROTATION_PERMISSIONS_FILE_H_
