#ifndef DBTROTATE_EMULATORS_DBTCLOUD_STATE_H_
#define DBTROTATE_EMULATORS_DBTCLOUD_STATE_H_

// The data a dbt Cloud account holds about service tokens: tokens with their state, and the
// permission rows their grants became. Not thread-safe: DbtCloudService guards it. Token
// strings are never stored, only their SHA-256, as dbt stores only a hash ("token").

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/secret_string.h"

namespace dbtrotate::emulators {

inline constexpr int kDbtStateActive = 1;
inline constexpr int kDbtStateDeleted = 2;

/// One entry of `permission_grants` (create request and token view).
struct DbtGrant {
  std::string permission_set;
  std::optional<std::int64_t> project_id;  // absent = all projects
  /// Absent and [] are different requests; kept as sent.
  std::optional<std::vector<std::string>> writable_environment_categories;

  friend bool operator==(const DbtGrant&, const DbtGrant&) = default;
};

/// A row of GET …/service-tokens/{id}/permissions/.
struct DbtPermission {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  std::int64_t service_token_id = 0;
  std::optional<std::int64_t> project_id;  // null when all_projects
  bool all_projects = true;
  std::string permission_set;
  int state = kDbtStateActive;
  std::vector<std::string> writable_environment_categories;
  SystemTime created_at;
  SystemTime updated_at;
};

struct DbtToken {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  std::int64_t user_id = 0;  // the synthetic user row dbt keeps behind a service token
  std::string uid;
  std::string name;
  int state = kDbtStateActive;
  SystemTime created_at;
  SystemTime updated_at;
  std::optional<SystemTime> last_used;
  bool metadata_only = false;
  bool webhooks_only = false;
  std::vector<DbtGrant> grants;  // as granted at creation (or by the legacy POST)
  std::vector<DbtPermission> permissions;
  std::string token_hash;  // hex SHA-256 of the token string

  bool active() const { return state == kDbtStateActive; }
  /// An active, account-wide (no project) row with this permission set.
  bool HasAccountPermission(std::string_view permission_set) const;
};

struct DbtAccount {
  std::int64_t id = 0;
  std::string name;
  SystemTime created_at;
};

/// What the categories of a permission row are when the grant did not send the field; the
/// real default is undocumented (reference §12.6), so both are available.
enum class DbtDefaultCategories { kEmpty, kAll };

class DbtCloudState {
 public:
  DbtCloudState(Clock& clock, Random& random) : clock_(clock), random_(random) {}
  // by_account_ points into tokens_.
  DbtCloudState(const DbtCloudState&) = delete;
  DbtCloudState& operator=(const DbtCloudState&) = delete;

  /// id 0 picks the next free id.
  std::int64_t AddAccount(std::string name, std::int64_t id = 0);
  const DbtAccount* FindAccount(std::int64_t id) const;
  std::vector<DbtAccount> Accounts() const;

  struct Created {
    DbtToken token;
    SecretString token_string;
  };
  /// Creates a token with one permission row per grant. The account must exist.
  Created CreateToken(std::int64_t account_id, std::string name, std::vector<DbtGrant> grants,
                      bool metadata_only, bool webhooks_only, int state,
                      DbtDefaultCategories default_categories);

  /// The active token this string belongs to, or null; records last_used when `touch`.
  const DbtToken* Authenticate(std::string_view token_string, bool touch);

  DbtToken* FindToken(std::int64_t account_id, std::int64_t id);
  const DbtToken* FindTokenById(std::int64_t id) const;
  /// Every token of the account (all states), by id.
  std::vector<const DbtToken*> Tokens(std::int64_t account_id) const;

  void Rename(DbtToken& token, std::string name);
  /// Soft delete: state 2; the token stops authenticating. Permission rows are kept.
  void SoftDelete(DbtToken& token);
  /// Replaces the permission rows (legacy POST …/permissions/).
  void AssignPermissions(DbtToken& token, std::vector<DbtPermission> rows);

  SystemTime Now() { return clock_.Now(); }
  /// Whether new token strings embed their uid (DbtBehavior::uid_in_token_string).
  void set_uid_in_token_string(bool on) { uid_in_token_string_ = on; }

 private:
  DbtPermission MakeRow(const DbtToken& token, const DbtGrant& grant,
                        DbtDefaultCategories default_categories);

  Clock& clock_;
  Random& random_;
  std::map<std::int64_t, DbtAccount> accounts_;
  std::map<std::int64_t, DbtToken> tokens_;  // by id
  /// Each account's tokens in id order (ids only grow), so that listing one account of a big
  /// emulator does not walk every token of every account.
  std::map<std::int64_t, std::vector<const DbtToken*>> by_account_;
  std::map<std::string, std::int64_t> by_hash_;
  std::int64_t next_account_id_ = 1;
  std::int64_t next_token_id_ = 1001;
  std::int64_t next_permission_id_ = 5001;
  std::int64_t next_user_id_ = 70001;
  bool uid_in_token_string_ = true;
};

/// "dbtc_" followed by 50 characters of [A-Za-z0-9_-], from `random`.
SecretString GenerateDbtTokenString(Random& random);
/// The same, with `uid` as the first characters after "dbtc_".
SecretString GenerateDbtTokenString(Random& random, std::string_view uid);
/// Lower-case hex SHA-256.
std::string Sha256Hex(std::string_view data);

}  // namespace dbtrotate::emulators

#endif  // DBTROTATE_EMULATORS_DBTCLOUD_STATE_H_
