#ifndef DBTROTATE_DBTCLOUD_API_H_
#define DBTROTATE_DBTCLOUD_API_H_

// The seam the rotation engine uses to talk to dbt Cloud. The real implementation is
// dbtcloud::Client (HTTP); tests use fakes or the emulator behind the real client.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/secret_string.h"
#include "dbtcloud/error.h"
#include "dbtcloud/types.h"

namespace dbtrotate::dbtcloud {

enum class DeleteOutcome {
  kDeleted,      // 204, or 200 with or without a body
  kAlreadyGone,  // 404: already deleted — or the caller lacks permission; verify if it matters
};

class ServiceTokenApi {
 public:
  virtual ~ServiceTokenApi() = default;

  /// Every token of the account, all pages. With active_only, asks for state=1 and still
  /// drops rows whose state is not 1 (deleted tokens are returned by the API).
  virtual DbtResult<std::vector<ServiceToken>> ListServiceTokens(bool active_only) = 0;
  /// Not idempotent and never retried: every failure after the request may have left is
  /// ambiguous (error.ambiguous: a lost reply, any error status, since a proxy can answer one
  /// for a request dbt applied, or an unreadable 2xx), and the caller must look for the token
  /// (ListServiceTokens + FindTokensCreatedSince, recovery.h) before trying again.
  virtual DbtResult<CreatedToken> CreateServiceToken(
      const std::string& name, const std::vector<PermissionGrant>& grants) = 0;
  virtual DbtResult<ServiceToken> GetServiceToken(std::int64_t id) = 0;
  virtual DbtResult<ServiceToken> RenameServiceToken(std::int64_t id, const std::string& name) = 0;
  virtual DbtResult<DeleteOutcome> DeleteServiceToken(std::int64_t id) = 0;
  /// Every permission row of a token, all pages.
  virtual DbtResult<std::vector<PermissionRow>> ListPermissions(std::int64_t token_id) = 0;

  /// The same account and connection, authenticating with another token (to verify a new
  /// token, or to act as a manager token).
  virtual std::unique_ptr<ServiceTokenApi> WithToken(SecretString token) const = 0;
};

/// The grants that re-create a token with exactly these permissions (rows with state != 1 are
/// skipped; all_projects rows carry no project_id; categories are copied as they are, [] sent
/// as []; exact duplicates dropped; first-seen order; unknown permission sets pass through).
/// Compare grant sets with SameGrants / DiffGrants (grants.h).
std::vector<PermissionGrant> GrantsFromPermissionRows(const std::vector<PermissionRow>& rows);

}  // namespace dbtrotate::dbtcloud

#endif  // DBTROTATE_DBTCLOUD_API_H_
