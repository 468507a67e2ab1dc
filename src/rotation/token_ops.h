#ifndef DBTROTATE_ROTATION_TOKEN_OPS_H_
#define DBTROTATE_ROTATION_TOKEN_OPS_H_

// The dbt Cloud side of a rotation (internal): verifying a new token and revoking tokens.

#include <cstdint>
#include <string>
#include <vector>

#include "dbtcloud/api.h"
#include "rotation/secret_state.h"

namespace dbtrotate::rotation::internal {

enum class Verdict {
  kAccepted,      // active, exactly the expected grants, and it authenticates
  kRejected,      // definitely not usable (401, deleted, other grants)
  kInconclusive,  // could not find out (transport, 5xx, 429)
};

struct Verification {
  Verdict verdict = Verdict::kInconclusive;
  std::string detail;
  bool unauthenticated = false;  // rejected with 401: worth another try shortly after create
};

struct VerifySettings {
  int attempts = 3;  // a 401 right after creation is retried (propagation)
  Duration backoff{2000};
};

/// Guarantee 1's check before promotion. The token's own call proves it authenticates: any
/// answer but 401 counts (a non-admin token may not read itself: 403/404 is fine). The acting
/// API shows it active with exactly `expected` grants. In self mode the new token is an admin,
/// so its own read usually answers both questions in one call.
Verification VerifyToken(RunContext& context, const Acting& acting, std::int64_t token_id,
                         const SecretString& token,
                         const std::vector<dbtcloud::PermissionGrant>& expected,
                         const VerifySettings& settings);

/// DELETE; "already gone" counts as done. Empty string on success, else why not.
std::string Revoke(dbtcloud::ServiceTokenApi& api, std::int64_t token_id);

/// GET then DELETE if still active (for ids whose state this run has not seen). Sets
/// `revoked` when it deleted something. Empty string on success.
std::string RevokeIfActive(dbtcloud::ServiceTokenApi& api, std::int64_t token_id, bool& revoked);

}  // namespace dbtrotate::rotation::internal

#endif  // DBTROTATE_ROTATION_TOKEN_OPS_H_
