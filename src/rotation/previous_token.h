#ifndef DBTROTATE_ROTATION_PREVIOUS_TOKEN_H_
#define DBTROTATE_ROTATION_PREVIOUS_TOKEN_H_

// Revoking the token a rotation recorded as `previous_service_token_id` (overlap policies).
// The id is as writable as the rest of the secret, so a forged one could make a run revoke
// someone else's token. It is revoked only when a version of the secret (AWSPREVIOUS first,
// then the others) still holds a string that dbt's uid proves to be that token
// (token_binding.h); otherwise the token is left alone and the run needs attention.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dbtcloud/api.h"
#include "rotation/run_context.h"

namespace dbtrotate::rotation::internal {

/// Versions read, after AWSPREVIOUS, when looking for the previous token's string.
inline constexpr std::size_t kMaxVersionsSearched = 20;

struct PreviousRevocation {
  bool revoked = false;  // it was active and is now revoked
  std::string error;     // could not be done now (a failed request); the next run tries again
  std::string unproven;  // no version proves the id: not revoked, a human must look
};

/// GET the token; if still active, prove it through the secret's versions and DELETE it.
PreviousRevocation RevokeProvenPrevious(RunContext& context, const std::string& secret_id,
                                        dbtcloud::ServiceTokenApi& api, std::int64_t previous_id);
/// The same for an active token whose row this run has just read (no GET).
PreviousRevocation RevokeProvenPrevious(RunContext& context, const std::string& secret_id,
                                        dbtcloud::ServiceTokenApi& api,
                                        const dbtcloud::ServiceToken& row);

/// Before a rotation that supersedes `row` (the previous token, still active), as a step of its
/// own: revokes it when proven and appends its id to `revoked`; else a Stop (nothing created).
std::optional<Stop> RevokeSupersededBeforeCreate(RunContext& context, const std::string& secret_id,
                                                 dbtcloud::ServiceTokenApi& api,
                                                 const dbtcloud::ServiceToken& row,
                                                 std::vector<std::int64_t>& revoked);

}  // namespace dbtrotate::rotation::internal

#endif  // DBTROTATE_ROTATION_PREVIOUS_TOKEN_H_
