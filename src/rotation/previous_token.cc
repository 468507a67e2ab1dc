#include "rotation/previous_token.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "rotation/secret_value.h"
#include "rotation/token_binding.h"
#include "rotation/token_ops.h"

namespace dbtrotate::rotation::internal {
namespace {

enum class Evidence { kProves, kDoesNot, kUnreadable };

// Whether the version `request` names holds `row`'s string, proven by its uid.
Evidence VersionProves(RunContext& context, const aws::GetSecretValueRequest& request,
                       const dbtcloud::ServiceToken& row, std::string& error) {
  auto value = context.sm().GetSecretValue(request);
  if (!value) {
    if (value.error().code == aws::ErrorCode::kResourceNotFound) return Evidence::kDoesNot;
    error = Describe(value.error());
    return Evidence::kUnreadable;
  }
  if (!value->secret_string) return Evidence::kDoesNot;
  auto parsed = ParseTokenSecret(*value, SecretRole::kRotated, "a previous version");
  if (!parsed || parsed->service_token_id != row.id) return Evidence::kDoesNot;
  return CheckTokenBinding(parsed->service_token, row, {}).binding == Binding::kProven
             ? Evidence::kProves
             : Evidence::kDoesNot;
}

// kProves, kDoesNot after every version was tried, or kUnreadable with `error`.
Evidence FindProof(RunContext& context, const std::string& secret_id,
                   const dbtcloud::ServiceToken& row, std::string& error) {
  aws::GetSecretValueRequest previous{secret_id, std::nullopt, std::string(aws::kStagePrevious)};
  const Evidence first = VersionProves(context, previous, row, error);
  if (first != Evidence::kDoesNot) return first;
  // AWSPREVIOUS moves when someone stores a value by hand after a rotation: look further.
  auto versions = context.sm().ListSecretVersionIds(secret_id, /*include_deprecated=*/true);
  if (!versions) {
    error = Describe(versions.error());
    return Evidence::kUnreadable;
  }
  std::size_t searched = 0;
  for (const auto& version : *versions) {
    const auto& stages = version.version_stages;
    if (std::find(stages.begin(), stages.end(), aws::kStagePrevious) != stages.end()) continue;
    if (searched++ == kMaxVersionsSearched) break;
    aws::GetSecretValueRequest request{secret_id, version.version_id, std::nullopt};
    const Evidence evidence = VersionProves(context, request, row, error);
    if (evidence != Evidence::kDoesNot) return evidence;
  }
  return Evidence::kDoesNot;
}

}  // namespace

PreviousRevocation RevokeProvenPrevious(RunContext& context, const std::string& secret_id,
                                        dbtcloud::ServiceTokenApi& api, std::int64_t previous_id) {
  auto row = api.GetServiceToken(previous_id);
  if (!row) {
    if (row.error().code == dbtcloud::ErrorCode::kForbiddenOrNotFound) return {};  // gone
    return PreviousRevocation{false, Describe(row.error()), {}};
  }
  if (!row->active()) return {};
  return RevokeProvenPrevious(context, secret_id, api, *row);
}

PreviousRevocation RevokeProvenPrevious(RunContext& context, const std::string& secret_id,
                                        dbtcloud::ServiceTokenApi& api,
                                        const dbtcloud::ServiceToken& row) {
  PreviousRevocation result;
  std::string error;
  switch (FindProof(context, secret_id, row, error)) {
    case Evidence::kProves:
      break;
    case Evidence::kUnreadable:
      result.error = "cannot read the secret's versions to prove it: " + error;
      return result;
    case Evidence::kDoesNot:
      result.unproven = fmt::format(
          "previous token {} recorded in secret '{}' was not revoked: no version of the secret "
          "holds a string that dbt's uid proves to be that token, so the recorded id may not be "
          "this secret's (README-design.md §4.10). If token {} is this secret's old token, "
          "revoke it in dbt Cloud; then remove previous_service_token_id from the secret",
          row.id, secret_id, row.id);
      return result;
  }
  result.error = Revoke(api, row.id);
  result.revoked = result.error.empty();
  return result;
}

std::optional<Stop> RevokeSupersededBeforeCreate(RunContext& context, const std::string& secret_id,
                                                 dbtcloud::ServiceTokenApi& api,
                                                 const dbtcloud::ServiceToken& row,
                                                 std::vector<std::int64_t>& revoked) {
  auto step = context.Begin("revoke superseded previous token");
  auto revocation = RevokeProvenPrevious(context, secret_id, api, row);
  if (!revocation.unproven.empty()) {
    step.Failed("not proven to be this secret's token");
    return Stop{Outcome::kNeedsAttention, revocation.unproven + "; nothing was created"};
  }
  if (!revocation.error.empty()) {
    step.Failed(revocation.error);
    return Stop{Outcome::kFailedSafely,
                fmt::format("could not revoke token {} (the previous token, superseded by this "
                            "rotation): {}; nothing else was changed",
                            row.id, revocation.error)};
  }
  revoked.push_back(row.id);
  step.Ok(fmt::format("token {}", row.id));
  return std::nullopt;
}

}  // namespace dbtrotate::rotation::internal
