#include <fmt/format.h>

#include "rotation/iso_time.h"
#include "rotation/operations.h"
#include "rotation/secret_state.h"
#include "rotation/token_binding.h"

namespace dbtrotate::rotation::internal {
namespace {

StatusReport::Auth AuthOf(const dbtcloud::DbtResult<dbtcloud::ServiceToken>& result,
                          std::string& detail) {
  if (result) return StatusReport::Auth::kAccepted;
  detail = Describe(result.error());
  switch (result.error().code) {
    case dbtcloud::ErrorCode::kUnauthenticated:
      return StatusReport::Auth::kRejected;
    case dbtcloud::ErrorCode::kForbiddenOrNotFound:
    case dbtcloud::ErrorCode::kIpRestricted:
      detail = "authenticated; not permitted to read itself";
      return StatusReport::Auth::kAccepted;
    default:
      return StatusReport::Auth::kUnknown;
  }
}

}  // namespace

StatusReport RunStatus(RunContext& context, const StatusOptions& options) {
  StatusReport status;
  status.secret_id = options.secret_id;
  auto finish = [&](Outcome outcome, std::string message) {
    status.outcome = outcome;
    status.message = std::move(message);
    status.steps = context.TakeSteps();
    status.requests = context.Counts();
    return std::move(status);
  };
  if (options.secret_id.empty()) return finish(Outcome::kInvalidInput, "no secret id given");

  auto state = ReadState(context, options.secret_id, options.connection);
  if (!state) return finish(state.error().outcome, state.error().message);
  const TokenSecret& current = state->current;
  status.current_version_id = state->version_id;
  status.token_id = current.service_token_id;
  status.last_rotated = current.last_rotated;
  status.account_id = state->connection.account_id;
  status.access_url = state->connection.access_url;
  status.previous_token_id = current.previous_service_token_id;
  status.previous_revoke_after = current.previous_revoke_after;

  auto acting = MakeActing(context, *state);
  if (!acting) return finish(acting.error().outcome, acting.error().message);

  auto step = context.Begin("read token");
  const std::int64_t id = current.service_token_id;
  // The token's own request answers "does it authenticate"; the acting one (the same token
  // unless a manager acts) shows its row and grants.
  auto own_api = acting->self ? nullptr : acting->api->WithToken(current.service_token.Clone());
  auto row_future = context.Start([&] { return acting->api->GetServiceToken(id); });
  std::future<dbtcloud::DbtResult<dbtcloud::ServiceToken>> own_future;
  if (own_api) own_future = context.Start([&] { return own_api->GetServiceToken(id); });
  auto rows_future = context.StartHere([&] { return acting->api->ListPermissions(id); });
  auto row = row_future.get();
  auto rows = rows_future.get();
  status.authenticates = own_future.valid() ? AuthOf(own_future.get(), status.auth_detail)
                                            : AuthOf(row, status.auth_detail);
  if (row) {
    status.token_name = row->name;
    status.token_active = row->active();
    status.token_created_at = ParseIsoTime(row->created_at);
    auto binding = CheckTokenBinding(current.service_token, *row, {});
    if (binding.binding != Binding::kProven) {
      status.warnings.push_back(BindingFailureMessage(binding, "the secret", id));
    }
  } else if (!acting->self) {
    status.warnings.push_back("the manager token cannot read token " + std::to_string(id) + ": " +
                              Describe(row.error()));
  }
  if (rows) {
    status.grants = dbtcloud::GrantsFromPermissionRows(*rows);
  } else {
    status.warnings.push_back("cannot read the token's permissions: " + Describe(rows.error()));
  }
  if (status.last_rotated) {
    status.age = std::chrono::duration_cast<Duration>(context.Now() - *status.last_rotated);
  } else if (status.token_created_at) {
    status.age = std::chrono::duration_cast<Duration>(context.Now() - *status.token_created_at);
  }
  step.Ok(fmt::format("token {}", id));

  if (state->pending_version) {
    auto pending = ReadPending(context, options.secret_id, *state->pending_version, options.lease);
    if (!pending) return finish(pending.error().outcome, pending.error().message);
    status.pending = pending->info;
  }
  if (current.previous_service_token_id &&
      *current.previous_service_token_id != current.service_token_id) {
    auto previous_step = context.Begin("read previous token");
    auto previous = acting->api->GetServiceToken(*current.previous_service_token_id);
    if (previous) {
      status.previous_active = previous->active();
      previous_step.Ok(
          fmt::format("token {} {}", previous->id, previous->active() ? "active" : "revoked"));
    } else if (previous.error().code == dbtcloud::ErrorCode::kForbiddenOrNotFound) {
      status.previous_active = false;
      previous_step.Ok("not found (revoked)");
    } else {
      previous_step.Warn(Describe(previous.error()));
    }
  }

  if (status.authenticates == StatusReport::Auth::kRejected) {
    return finish(Outcome::kNeedsAttention,
                  fmt::format("dbt Cloud rejects the token in AWSCURRENT ({}); consumers of this "
                              "secret are failing. Store a working token with `dbt-rotate init "
                              "--force`",
                              status.auth_detail));
  }
  if (status.token_active && !*status.token_active) {
    return finish(Outcome::kNeedsAttention,
                  fmt::format("token {} in AWSCURRENT is revoked in dbt Cloud; store a working "
                              "token with `dbt-rotate init --force`",
                              id));
  }
  if (status.pending && status.pending->kind == PendingInfo::Kind::kForeign) {
    return finish(Outcome::kNeedsAttention,
                  DescribePending(*status.pending) + ": not dbt-rotate's; finish or cancel it");
  }
  if (status.authenticates == StatusReport::Auth::kUnknown) {
    return finish(Outcome::kFailedSafely,
                  "could not check whether the token authenticates: " + status.auth_detail);
  }
  return finish(Outcome::kReported, fmt::format("token {} is current", id));
}

}  // namespace dbtrotate::rotation::internal
