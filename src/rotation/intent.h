#ifndef DBTROTATE_ROTATION_INTENT_H_
#define DBTROTATE_ROTATION_INTENT_H_

// The intent record: what a run writes to AWSPENDING *before* it creates a dbt token, so that a
// run that dies between "create" and "store" leaves enough behind for the next run to find the
// token it created, and only that one (see README-design.md, "Orphans").

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/secret_string.h"
#include "dbtcloud/types.h"
#include "rotation/error.h"
#include "rotation/secret_json.h"

namespace dbtrotate::rotation {

/// The top-level key that marks a secret version as an intent record.
inline constexpr char kIntentKey[] = "dbt_rotate_intent";

/// "A token named `token_name`, created at or after `since`, that is not one of
/// `exclude_ids` (the same-named tokens that existed before), may be ours."
struct OrphanScan {
  std::string token_name;
  SystemTime since;
  std::vector<std::int64_t> exclude_ids;

  friend bool operator==(const OrphanScan&, const OrphanScan&) = default;
};

struct Intent {
  std::string rotation_id;
  SystemTime started_at;
  /// At most one create happens per scan (creates are never retried), so a scan matching
  /// more than one token cannot tell which is ours.
  std::vector<OrphanScan> scans;
  /// Tokens known to be ours and to be revoked (a stored token that failed verification);
  /// revoked while still active.
  std::vector<std::int64_t> revoke_token_ids;
  /// Rotation-function flow only: the AWSPENDING version (the event's ClientRequestToken) this
  /// intent creates a token for. The intent then lives in its own DBTROTATE_STAGED version,
  /// because that version's value is written once, with the token (README-design.md §9).
  std::optional<std::string> pending_version;

  friend bool operator==(const Intent&, const Intent&) = default;
};

/// Not a secret, but Secrets Manager takes a SecretString.
SecretString SerializeIntent(const Intent& intent);
bool IsIntentDocument(const Json& doc);
RotationResult<Intent> ParseIntent(const Json& doc, std::string_view where);

struct OrphanSearch {
  std::vector<std::int64_t> orphans;    // active tokens this intent shows are ours
  std::vector<std::string> unresolved;  // why some candidates could not be attributed
};

/// Applies the scans to a token list. A candidate must be active, carry the scan's name, be
/// created in [since - skew, since + lease + skew] (a run never creates after its lease), not
/// be excluded, and not be in `protected_ids` (what the current secret references). If a
/// scan matches more than one token, none of its matches is returned (we cannot show which
/// one is ours) and the ambiguity is described in `unresolved`.
OrphanSearch FindOrphans(const Intent& intent, const std::vector<dbtcloud::ServiceToken>& tokens,
                         const std::set<std::int64_t>& protected_ids, Duration clock_skew,
                         Duration lease);

}  // namespace dbtrotate::rotation

#endif  // DBTROTATE_ROTATION_INTENT_H_
