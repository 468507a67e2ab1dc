#ifndef DBTROTATE_EMULATORS_DBTCLOUD_SERVICE_H_
#define DBTROTATE_EMULATORS_DBTCLOUD_SERVICE_H_

// dbt Cloud's service-token API as a transport-free, thread-safe service: a parsed request in,
// status + body out. It follows the reference (shared/reference/dbt-cloud-service-token-api.md,
// §9 above all), not any client's habits; where the real behaviour is unknown, DbtBehavior
// selects each variant so clients can be tested against all of them.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "core/secret_string.h"
#include "emulators/dbtcloud/json_views.h"
#include "emulators/dbtcloud/state.h"

namespace dbtrotate::emulators {

enum class DbtOperation {
  kListServiceTokens,
  kCreateServiceToken,
  kGetServiceToken,
  kUpdateServiceToken,
  kDeleteServiceToken,
  kListServiceTokenPermissions,
  kCreateServiceTokenPermissions,  // legacy POST …/permissions/ (not in the current spec)
  kGetAccount,
  kListAccounts,
  kMethodNotAllowed,  // a known path with a method it does not serve
};

/// "list_service_tokens", "create_service_token", … (FaultInjector operation names).
std::string_view DbtOperationName(DbtOperation operation);

struct DbtRequest {
  DbtOperation operation = DbtOperation::kListServiceTokens;
  std::string method = "GET";
  bool trailing_slash = true;
  std::int64_t account_id = 0;
  std::int64_t token_id = 0;
  std::multimap<std::string, std::string> query;
  std::string authorization;  // the raw header value, empty if absent
  std::string body;
};

struct DbtReply {
  int status = 200;
  std::string body;  // empty = no body
  std::vector<std::pair<std::string, std::string>> headers;

  DbtReply() = default;
  DbtReply(const DbtReply&) = default;
  DbtReply(DbtReply&&) noexcept = default;
  DbtReply& operator=(const DbtReply&) = default;
  DbtReply& operator=(DbtReply&&) noexcept = default;
  ~DbtReply();  // wipes the body: a create reply carries a token string
};

enum class DbtDeleteReply {
  kNoContent,   // 204, no body (the spec)
  kOkEnvelope,  // 200 with the success envelope (seen in a live run, reference §4.5)
  kOkEmpty,     // 200 with an empty body
};

/// How a token without the needed permission is refused (dbt often says 404, reference §6).
enum class DbtForbiddenReply { k403, k404 };

struct DbtRateLimit {
  int max_requests = 0;  // per account per window; 0 = unlimited
  Duration window = std::chrono::minutes(1);
  Duration cooldown = std::chrono::minutes(5);  // "five-minute cooldown" (reference §7)
  std::optional<int> retry_after_seconds;       // undocumented for the Admin API: off by default
};

struct DbtBehavior {
  DbtDeleteReply delete_reply = DbtDeleteReply::kNoContent;
  DbtForbiddenReply forbidden_reply = DbtForbiddenReply::k403;
  DbtPermissionKeys permission_keys = DbtPermissionKeys::kBoth;
  DbtDefaultCategories default_categories = DbtDefaultCategories::kEmpty;
  /// Every request of every account is refused as if from a blocked IP.
  bool ip_restricted = false;
  DbtRateLimit rate_limit;
  /// GET of a deleted (state 2) token: 200 with state 2 (default) or 404.
  bool get_deleted_returns_404 = false;
  /// PUT rename: allowed (spec) or refused with 400 (reference §4.4: maybe blocked since 2025).
  bool rename_allowed = true;
  /// DELETE of an already deleted token: answered like the first (default) or 404.
  bool redelete_returns_404 = false;
  /// Leave out members whose value is null in 2xx bodies (last_used, project_id, …). dbt's
  /// OpenAPI spec types them non-nullable; the live service probably sends null. The Prism
  /// contract test runs with this on, everything else with the (likely real) nulls.
  bool omit_null_fields = false;
  /// Token strings carry their uid ("part of the token secret", terraform-provider-dbtcloud):
  /// "dbtc_" + uid + secret. Off: strings unrelated to the uid (as tokens from before dbt's
  /// 2023-07 token change may be), which dbt-rotate must refuse to rotate (fail closed).
  bool uid_in_token_string = true;
};

struct DbtSeedToken {
  std::string name;
  std::vector<DbtGrant> grants;
  int state = kDbtStateActive;
  bool metadata_only = false;
};

struct DbtSeededToken {
  std::int64_t id = 0;
  SecretString token_string;
};

/// The grant list of an account admin token.
std::vector<DbtGrant> DbtAdminGrants();

class DbtCloudService {
 public:
  DbtCloudService(Clock& clock, Random& random);

  DbtReply Handle(const DbtRequest& request);

  void SetBehavior(const DbtBehavior& behavior);
  DbtBehavior behavior();

  // --- seeding ---------------------------------------------------------------------------
  /// id 0 picks the next free id.
  std::int64_t CreateAccount(std::string name = "Emulated Analytics", std::int64_t id = 0);
  /// The account must exist; the name must not be empty.
  Result<DbtSeededToken, std::string> AddServiceToken(std::int64_t account_id,
                                                      const DbtSeedToken& seed);

  // --- inspection ------------------------------------------------------------------------
  /// Every token of the account, all states, by id.
  std::vector<DbtToken> Tokens(std::int64_t account_id);
  std::vector<DbtToken> ActiveTokens(std::int64_t account_id);
  std::optional<DbtToken> Token(std::int64_t id);
  std::vector<DbtAccount> Accounts();
  /// Whether this string authenticates now (active token); does not touch last_used.
  bool Authenticates(const SecretString& token_string);

 private:
  struct RateWindow {
    SystemTime window_start{};
    int count = 0;
    SystemTime cooldown_until{};
  };

  DbtReply HandleLocked(const DbtRequest& request);
  std::optional<DbtReply> CheckRateLimit(std::int64_t account_id);
  DbtReply Forbidden() const;
  DbtReply ListTokens(const DbtRequest& request);
  DbtReply CreateToken(const DbtRequest& request, const DbtToken& caller);
  DbtReply GetToken(const DbtRequest& request);
  DbtReply UpdateToken(const DbtRequest& request);
  DbtReply DeleteToken(const DbtRequest& request);
  DbtReply ListPermissions(const DbtRequest& request);
  DbtReply AssignPermissions(const DbtRequest& request);

  std::mutex mutex_;
  Clock& clock_;
  DbtCloudState state_;
  DbtBehavior behavior_;
  std::map<std::int64_t, RateWindow> rate_windows_;
};

}  // namespace dbtrotate::emulators

#endif  // DBTROTATE_EMULATORS_DBTCLOUD_SERVICE_H_
