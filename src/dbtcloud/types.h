#ifndef DBTROTATE_DBTCLOUD_TYPES_H_
#define DBTROTATE_DBTCLOUD_TYPES_H_

// The service-token data model of dbt Cloud's Admin API v3
// (see shared/reference/dbt-cloud-service-token-api.md §4–§5).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/secret_string.h"

namespace dbtrotate::dbtcloud {

inline constexpr int kStateActive = 1;
inline constexpr int kStateDeleted = 2;

/// One entry of `permission_grants` in a create request. Permission sets are free strings:
/// dbt's enum grows, and unknown sets must pass through unchanged.
struct PermissionGrant {
  std::string permission_set;
  std::optional<std::int64_t> project_id;  // absent = all projects
  /// Absent = field not sent; present but empty = sent as [] (dbt treats them differently).
  std::optional<std::vector<std::string>> writable_environment_categories;

  friend bool operator==(const PermissionGrant&, const PermissionGrant&) = default;
};

/// One row of GET …/service-tokens/{id}/permissions/.
struct PermissionRow {
  std::int64_t id = 0;
  std::int64_t service_token_id = 0;
  std::optional<std::int64_t> project_id;
  bool all_projects = false;
  std::string permission_set;
  int state = kStateActive;
  std::vector<std::string> writable_environment_categories;
};

struct ServiceToken {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  std::string uid;
  std::string name;
  int state = kStateActive;
  std::string created_at;  // ISO 8601 as dbt sends it
  std::string updated_at;
  std::optional<std::string> last_used;
  /// Filled when the server includes `permission_grants` (retrieve since 2026-02).
  std::optional<std::vector<PermissionGrant>> permission_grants;

  bool active() const { return state == kStateActive; }
};

/// The create response: the only time dbt ever reveals the token string.
struct CreatedToken {
  ServiceToken token;
  SecretString token_string;
};

}  // namespace dbtrotate::dbtcloud

#endif  // DBTROTATE_DBTCLOUD_TYPES_H_
