#ifndef DBTROTATE_FLEET_AUDIT_H_
#define DBTROTATE_FLEET_AUDIT_H_

// `dbt-rotate audit`: every active service token of an account, who manages it (which secret
// holds it), and what a security review asks about: unmanaged, never used, unused for long,
// older than a maximum age, account-wide admin grants. Read-only.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aws/secretsmanager/api.h"
#include "core/clock.h"
#include "core/result.h"
#include "dbtcloud/api.h"

namespace dbtrotate::fleet {

struct AuditOptions {
  std::optional<Duration> max_age;     // created longer ago than this
  std::optional<Duration> unused_for;  // last used longer ago than this
  /// The manager token's id: it must be account_admin to create and revoke, so its admin grant
  /// is expected, not a finding (every other admin grant is one, self-rotating tokens too).
  std::optional<std::int64_t> manager_token_id;
};

struct AuditedToken {
  dbtcloud::ServiceToken token;
  std::vector<dbtcloud::PermissionGrant> grants;
  std::vector<std::string> managed_by;  // "secret-id", or "secret-id (previous)"
  std::vector<std::string> findings;    // "unmanaged", "never used", …
};

struct AuditReport {
  std::int64_t account_id = 0;
  std::vector<AuditedToken> tokens;   // by id
  std::vector<std::string> warnings;  // secrets that could not be read, …
  int FindingCount() const;
};

/// A secret to attribute tokens to, read through `api`.
struct ManagingSecret {
  std::string secret_id;
  aws::SecretsManagerApi* api = nullptr;
  bool manager = false;  // a manager secret: only service_token is required in it
};

/// Token id -> the secrets that hold it (AWSCURRENT's service_token_id, and a recorded
/// previous token still awaiting revocation). Secrets of another account (their recorded
/// account_id) are skipped; unreadable ones become warnings.
std::map<std::int64_t, std::vector<std::string>> ReadManagedTokenIds(
    const std::vector<ManagingSecret>& secrets, std::int64_t account_id,
    std::vector<std::string>& warnings);

/// Lists the account's active tokens and their grants (one request per token) and judges them.
Result<AuditReport, std::string> Audit(
    dbtcloud::ServiceTokenApi& api, std::int64_t account_id,
    const std::map<std::int64_t, std::vector<std::string>>& managed, SystemTime now,
    const AuditOptions& options);

}  // namespace dbtrotate::fleet

#endif  // DBTROTATE_FLEET_AUDIT_H_
