#ifndef DBTROTATE_ROTATION_ROTATION_BASIS_H_
#define DBTROTATE_ROTATION_ROTATION_BASIS_H_

// What a new token is made from, read and checked the same way by `rotate` and by the rotation
// function's createSecret (internal): the account's tokens, the old token's grants, and the
// proof that the secret's string is the token its id names (README-design.md §4.10).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dbtcloud/types.h"
#include "rotation/options.h"
#include "rotation/secret_state.h"

namespace dbtrotate::rotation::internal {

/// How a caller's configuration is named in messages: flags for the CLI, variables for the
/// rotation function.
struct ConfigNames {
  std::string_view permissions;
  std::string_view manager;
};
inline constexpr ConfigNames kCliNames{"--permissions FILE", "--manager-secret"};
inline constexpr ConfigNames kFunctionNames{"DBT_ROTATE_PERMISSIONS",
                                            "DBT_ROTATE_MANAGER_SECRET_ID"};

struct RotationBasis {
  std::vector<dbtcloud::ServiceToken> tokens;     // every token of the account, all states
  dbtcloud::ServiceToken old_row;                 // the secret's current token, active
  std::vector<dbtcloud::PermissionGrant> grants;  // what the new token gets
};

/// One round of concurrent reads (token list, the old token's permissions unless `configured`,
/// and with a manager one request made with the secret's string), then the checks: the value
/// can grow by a rotation's keys, the old token exists and is active, the string is live and
/// proven to be that token, there are grants, and self-rotation keeps account_admin.
Flow<RotationBasis> ReadRotationBasis(
    RunContext& context, const SecretState& state, const Acting& acting,
    const std::optional<std::vector<dbtcloud::PermissionGrant>>& configured,
    const std::string& secret_id, ConfigNames names);

/// The value that replaces AWSCURRENT: today's value (the user's keys kept) with the new token,
/// the old one recorded as previous with its revoke time from `overlap`, and `rotation_id`.
TokenSecret BuildNextValue(const SecretState& state, std::int64_t token_id,
                           const SecretString& token, const OverlapPolicy& overlap, SystemTime now,
                           std::string rotation_id);

/// needs_attention unless the secret's string is proven to be the token `row` describes;
/// `known` (the account's tokens) lets the message name the string's real token.
std::optional<Stop> UnlessBound(const SecretState& state, const dbtcloud::ServiceToken& row,
                                const std::vector<dbtcloud::ServiceToken>& known,
                                const std::string& secret_id);

/// Stops unless the answer to a request made with the secret's string came from a live token
/// (any answer but 401: a non-admin token may not read itself).
std::optional<Stop> UnlessLive(const dbtcloud::DbtResult<dbtcloud::ServiceToken>& own_answer,
                               const std::string& secret_id);

/// For a stored rotation about to be finished: reads the current token's row (and with a
/// manager, checks the string is live) and proves the binding.
std::optional<Stop> ProveCurrentBinding(RunContext& context, const SecretState& state,
                                        const Acting& acting, const std::string& secret_id);

}  // namespace dbtrotate::rotation::internal

#endif  // DBTROTATE_ROTATION_ROTATION_BASIS_H_
