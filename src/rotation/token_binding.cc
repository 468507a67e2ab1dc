#include "rotation/token_binding.h"

#include <fmt/format.h>

namespace dbtrotate::rotation {
namespace {

bool CarriesUid(const SecretString& token, const std::string& uid) {
  return uid.size() >= kMinProofUidLength && token.expose().find(uid) != std::string_view::npos;
}

}  // namespace

BindingCheck CheckTokenBinding(const SecretString& token, const dbtcloud::ServiceToken& claimed,
                               const std::vector<dbtcloud::ServiceToken>& known) {
  if (CarriesUid(token, claimed.uid)) return BindingCheck{Binding::kProven, {}, {}};
  for (const auto& other : known) {
    if (other.id != claimed.id && CarriesUid(token, other.uid)) {
      return BindingCheck{Binding::kMismatch, other.id, other.name};
    }
  }
  return BindingCheck{Binding::kUnprovable, {}, {}};
}

std::string BindingFailureMessage(const BindingCheck& check, const std::string& what,
                                  std::int64_t claimed_id) {
  const std::string fix = fmt::format(
      "Nothing was created or revoked. Store the right pair with `dbt-rotate init --force "
      "--token-id ID` (the token string on standard input)");
  if (check.binding == Binding::kMismatch) {
    return fmt::format(
        "{}: service_token_id is {}, but the service_token string belongs to token {}{}: the id "
        "is wrong (a typo in `init --token-id`, or an edited secret). Rotating would copy token "
        "{}'s grants and revoke it. {}",
        what, claimed_id, check.actual_id.value_or(0),
        check.actual_name ? fmt::format(" ('{}')", *check.actual_name) : std::string(), claimed_id,
        fix);
  }
  return fmt::format(
      "{}: cannot prove that the service_token string is token {}: dbt's uid for token {} is "
      "not part of the string (a wrong id, a string of another account, or a token created "
      "before 2023-07-18, whose strings do not carry their uid). Rotating would copy token {}'s "
      "grants and revoke it without proof. {}; for an old token, create a new one in dbt Cloud "
      "and store it the same way",
      what, claimed_id, claimed_id, claimed_id, fix);
}

}  // namespace dbtrotate::rotation
