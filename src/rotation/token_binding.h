#ifndef DBTROTATE_ROTATION_TOKEN_BINDING_H_
#define DBTROTATE_ROTATION_TOKEN_BINDING_H_

// Proof that a secret's `service_token` string really is the token its `service_token_id`
// names. Without it, a secret that pairs a low-privilege string with an admin token's id would
// make a rotation copy the admin's grants and revoke the admin token (README-design.md §4.10).
//
// The proof is dbt's `uid`: "the UID of the service token (part of the token secret)"
// (terraform-provider-dbtcloud). A token string carries its own token's uid and no other, so
// a row whose uid appears in the string is that string's token. Anything less fails closed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/secret_string.h"
#include "dbtcloud/types.h"

namespace dbtrotate::rotation {

/// Shorter uids prove nothing: they could occur in another token's string by chance.
inline constexpr std::size_t kMinProofUidLength = 8;

enum class Binding {
  kProven,      // the claimed token's uid is part of the string
  kMismatch,    // the string carries another token's uid: the id is not the string's
  kUnprovable,  // no usable uid, or none of the known tokens' uids is in the string
};

struct BindingCheck {
  Binding binding = Binding::kUnprovable;
  /// With kMismatch: the token whose uid the string does carry.
  std::optional<std::int64_t> actual_id;
  std::optional<std::string> actual_name;
};

/// Whether `token` is the token `claimed` describes. `known` (e.g. the account's token list)
/// lets a mismatch name the string's real token; it may be empty. Never reads the string
/// beyond a substring search; never returns any part of it.
BindingCheck CheckTokenBinding(const SecretString& token, const dbtcloud::ServiceToken& claimed,
                               const std::vector<dbtcloud::ServiceToken>& known);

/// The message for a failed check (exit 3): what is wrong, that nothing was changed, and what
/// to do. `what` names the pair, e.g. "secret 'x' (AWSCURRENT)". Never contains the string or a
/// uid (uids are part of token strings).
std::string BindingFailureMessage(const BindingCheck& check, const std::string& what,
                                  std::int64_t claimed_id);

}  // namespace dbtrotate::rotation

#endif  // DBTROTATE_ROTATION_TOKEN_BINDING_H_
