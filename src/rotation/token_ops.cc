#include "rotation/token_ops.h"

#include <fmt/format.h>

#include <algorithm>

#include "dbtcloud/grants.h"

namespace dbtrotate::rotation::internal {
namespace {

bool AuthenticatedButNotPermitted(const dbtcloud::Error& error) {
  return error.code == dbtcloud::ErrorCode::kForbiddenOrNotFound ||
         error.code == dbtcloud::ErrorCode::kIpRestricted;
}

// Checks state and grants of a token row; reads the permissions endpoint when the row does not
// carry permission_grants.
Verification CheckRow(const dbtcloud::ServiceToken& row, dbtcloud::ServiceTokenApi& reader,
                      dbtcloud::ServiceTokenApi* fallback,
                      const std::vector<dbtcloud::PermissionGrant>& expected) {
  if (!row.active()) {
    return {Verdict::kRejected,
            fmt::format("dbt shows token {} in state {}, not active", row.id, row.state)};
  }
  std::vector<dbtcloud::PermissionGrant> actual;
  if (row.permission_grants) {
    actual = *row.permission_grants;
  } else {
    auto rows = reader.ListPermissions(row.id);
    if (!rows && fallback && AuthenticatedButNotPermitted(rows.error())) {
      rows = fallback->ListPermissions(row.id);
    }
    if (!rows) {
      return {Verdict::kInconclusive,
              fmt::format("reading the grants of token {}: {}", row.id, Describe(rows.error()))};
    }
    actual = dbtcloud::GrantsFromPermissionRows(*rows);
  }
  if (auto diff = dbtcloud::DiffGrants(expected, actual); !diff.empty()) {
    return {Verdict::kRejected, fmt::format("token {} does not have the expected grants ({})",
                                            row.id, diff.Describe())};
  }
  return {Verdict::kAccepted, fmt::format("token {} is active with the expected grants", row.id)};
}

Verification VerifyOnce(RunContext& context, const Acting& acting, std::int64_t token_id,
                        const SecretString& token,
                        const std::vector<dbtcloud::PermissionGrant>& expected) {
  auto own = acting.api->WithToken(token.Clone());
  if (!own) return {Verdict::kInconclusive, "could not build a client for the new token"};
  if (acting.self) {
    // An admin token reading itself answers everything in one call.
    auto row = own->GetServiceToken(token_id);
    if (row) return CheckRow(*row, *own, acting.api.get(), expected);
    if (row.error().code == dbtcloud::ErrorCode::kUnauthenticated) {
      return {
          Verdict::kRejected,
          fmt::format("a request with token {} was rejected: {}", token_id, Describe(row.error())),
          true};
    }
    if (!AuthenticatedButNotPermitted(row.error())) {
      return {Verdict::kInconclusive, Describe(row.error())};
    }
    auto seen = acting.api->GetServiceToken(token_id);
    if (!seen) return {Verdict::kInconclusive, Describe(seen.error())};
    return CheckRow(*seen, *acting.api, nullptr, expected);
  }
  auto seen_future = context.Start([&] { return acting.api->GetServiceToken(token_id); });
  auto own_future = context.Start([&] { return own->GetServiceToken(token_id); });
  auto seen = seen_future.get();
  auto own_call = own_future.get();
  if (!own_call) {
    if (own_call.error().code == dbtcloud::ErrorCode::kUnauthenticated) {
      return {Verdict::kRejected,
              fmt::format("a request with token {} was rejected: {}", token_id,
                          Describe(own_call.error())),
              true};
    }
    if (!AuthenticatedButNotPermitted(own_call.error())) {
      return {Verdict::kInconclusive, Describe(own_call.error())};
    }
  }
  if (!seen) {
    if (seen.error().code == dbtcloud::ErrorCode::kForbiddenOrNotFound) {
      return {Verdict::kRejected, fmt::format("dbt Cloud does not show token {}: {}", token_id,
                                              Describe(seen.error()))};
    }
    return {Verdict::kInconclusive, Describe(seen.error())};
  }
  return CheckRow(*seen, *acting.api, nullptr, expected);
}

}  // namespace

Verification VerifyToken(RunContext& context, const Acting& acting, std::int64_t token_id,
                         const SecretString& token,
                         const std::vector<dbtcloud::PermissionGrant>& expected,
                         const VerifySettings& settings) {
  Verification result;
  for (int attempt = 1; attempt <= std::max(1, settings.attempts); ++attempt) {
    result = VerifyOnce(context, acting, token_id, token, expected);
    if (!result.unauthenticated || attempt >= settings.attempts) break;
    context.clock().SleepFor(settings.backoff * attempt);
  }
  return result;
}

std::string Revoke(dbtcloud::ServiceTokenApi& api, std::int64_t token_id) {
  auto deleted = api.DeleteServiceToken(token_id);
  if (deleted) return {};
  return Describe(deleted.error());
}

std::string RevokeIfActive(dbtcloud::ServiceTokenApi& api, std::int64_t token_id, bool& revoked) {
  revoked = false;
  auto row = api.GetServiceToken(token_id);
  if (!row) {
    if (row.error().code == dbtcloud::ErrorCode::kForbiddenOrNotFound) return {};  // gone
    return Describe(row.error());
  }
  if (!row->active()) return {};
  std::string error = Revoke(api, token_id);
  revoked = error.empty();
  return error;
}

}  // namespace dbtrotate::rotation::internal
