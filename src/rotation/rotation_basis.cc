#include "rotation/rotation_basis.h"

#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <memory>

#include "rotation/grants.h"
#include "rotation/secret_value.h"
#include "rotation/token_binding.h"

namespace dbtrotate::rotation::internal {
namespace {

using Tokens = std::vector<dbtcloud::ServiceToken>;
using Rows = std::vector<dbtcloud::PermissionRow>;

struct Answers {
  dbtcloud::DbtResult<Tokens> tokens;
  std::optional<dbtcloud::DbtResult<Rows>> rows;
  std::optional<dbtcloud::DbtResult<dbtcloud::ServiceToken>> own;
};

Answers ReadConcurrently(RunContext& context, const SecretState& state, const Acting& acting,
                         bool read_rows) {
  const std::int64_t old_id = state.current.service_token_id;
  std::future<dbtcloud::DbtResult<Rows>> rows_future;
  if (read_rows) rows_future = context.Start([&] { return acting.api->ListPermissions(old_id); });
  // With a manager nothing else is sent with the secret's string: one request shows that it is
  // a live token, which the binding proof needs (a string forged from a listed uid is not).
  std::unique_ptr<dbtcloud::ServiceTokenApi> own;
  std::future<dbtcloud::DbtResult<dbtcloud::ServiceToken>> own_future;
  if (!acting.self) {
    own = acting.api->WithToken(state.current.service_token.Clone());
    own_future = context.Start([&] { return own->GetServiceToken(old_id); });
  }
  // Active tokens only: deleted ones can be neither the old token nor an orphan, and an account
  // that rotates often holds many more deleted tokens than live ones (pages to read).
  Answers answers{context.StartHere([&] { return acting.api->ListServiceTokens(true); }).get(),
                  std::nullopt, std::nullopt};
  if (rows_future.valid()) answers.rows.emplace(rows_future.get());
  if (own_future.valid()) answers.own.emplace(own_future.get());
  return answers;
}

// The list holds active tokens only: an old token missing from it is read on its own, to say
// whether it was revoked or never existed (an error path: no request on the normal one).
std::optional<Stop> OldTokenUnusable(const SecretState& state, const Acting& acting,
                                     const Tokens& active) {
  const std::int64_t old_id = state.current.service_token_id;
  if (std::any_of(active.begin(), active.end(), [&](const auto& t) { return t.id == old_id; })) {
    return std::nullopt;
  }
  auto row = acting.api->GetServiceToken(old_id);
  if (row && !row->active()) {
    return Stop{Outcome::kNeedsAttention,
                fmt::format("token {} is revoked in dbt Cloud (state {}), so consumers of this "
                            "secret are already failing. Create a token and store it with "
                            "`dbt-rotate init --force`",
                            old_id, row->state)};
  }
  if (row || row.error().code != dbtcloud::ErrorCode::kForbiddenOrNotFound) {
    return Stop{Outcome::kFailedSafely,
                fmt::format("token {} is missing from the account's list of active tokens but "
                            "{}; nothing was changed, retry later",
                            old_id,
                            row ? std::string("reads as active")
                                : "could not be read: " + Describe(row.error()))};
  }
  return Stop{Outcome::kNeedsAttention,
              fmt::format("token {} (the secret's {}) does not exist in account {} (it was "
                          "revoked, or never existed): the secret does not match dbt Cloud. "
                          "Store a working token with `dbt-rotate init --force`",
                          old_id, kKeyTokenId, state.connection.account_id)};
}

std::optional<Stop> GrantsUnusable(const std::vector<dbtcloud::PermissionGrant>& grants,
                                   const Acting& acting, std::int64_t old_id, ConfigNames names) {
  if (grants.empty()) {
    return Stop{Outcome::kInvalidInput,
                fmt::format("token {} has no active permissions to copy; give the new token's "
                            "grants with {}",
                            old_id, names.permissions)};
  }
  if (acting.self && !HasAccountAdmin(grants)) {
    return Stop{Outcome::kInvalidInput,
                fmt::format("self-rotation: the new token would lack account_admin on all "
                            "projects, so it could not rotate itself next time. Add it to {}, or "
                            "rotate with an admin token from another secret ({})",
                            names.permissions, names.manager)};
  }
  return std::nullopt;
}

}  // namespace

Flow<RotationBasis> ReadRotationBasis(
    RunContext& context, const SecretState& state, const Acting& acting,
    const std::optional<std::vector<dbtcloud::PermissionGrant>>& configured,
    const std::string& secret_id, ConfigNames names) {
  const std::int64_t old_id = state.current.service_token_id;
  const std::string what = fmt::format("secret '{}' (AWSCURRENT)", secret_id);
  // A value that cannot grow by the keys a rotation adds would fail only after the create.
  if (auto fits = CheckNextValueFits(state.current, state.connection.access_url, what); !fits) {
    return StopWith(Outcome::kInvalidInput, fits.error().message);
  }
  auto read = context.Begin("read dbt Cloud");
  Answers answers = ReadConcurrently(context, state, acting, !configured);
  auto stop = [&](std::string why, Stop end) {
    read.Failed(why);
    return Fail(std::move(end));
  };
  if (!answers.tokens) {
    return stop(Describe(answers.tokens.error()),
                DbtStop(answers.tokens.error(), acting, "listing service tokens"));
  }
  // Before the permissions' answer: a missing token's permissions read fails too, and would
  // read as a manager without rights.
  if (auto unusable = OldTokenUnusable(state, acting, *answers.tokens)) {
    return stop(fmt::format("token {} missing or revoked", old_id), *unusable);
  }
  if (answers.rows && !*answers.rows) {
    return stop(Describe(answers.rows->error()),
                DbtStop(answers.rows->error(), acting,
                        fmt::format("reading the permissions of token {}", old_id)));
  }
  // Hostile review, finding 1: never copy grants from, or revoke, a token that the secret's
  // string was not shown to be.
  if (answers.own) {
    if (auto dead = UnlessLive(*answers.own, secret_id)) {
      return stop("the secret's token is not live", *dead);
    }
  }
  RotationBasis basis;
  basis.old_row = *std::find_if(answers.tokens->begin(), answers.tokens->end(),
                                [&](const auto& t) { return t.id == old_id; });
  if (auto unbound = UnlessBound(state, basis.old_row, *answers.tokens, secret_id)) {
    return stop("token id and string do not match", *unbound);
  }
  basis.grants = configured ? *configured : dbtcloud::GrantsFromPermissionRows(**answers.rows);
  if (auto unusable = GrantsUnusable(basis.grants, acting, old_id, names)) {
    return stop("no usable grants", *unusable);
  }
  basis.tokens = std::move(*answers.tokens);
  read.Ok(
      fmt::format("{} tokens; new grants: {}", basis.tokens.size(), DescribeGrants(basis.grants)));
  return basis;
}

TokenSecret BuildNextValue(const SecretState& state, std::int64_t token_id,
                           const SecretString& token, const OverlapPolicy& overlap, SystemTime now,
                           std::string rotation_id) {
  TokenSecret next = state.current.Clone();
  next.service_token_id = token_id;
  next.service_token = token.Clone();
  next.last_rotated = now;
  next.account_id = state.connection.account_id;
  next.access_url = state.connection.access_url;
  next.previous_service_token_id = state.current.service_token_id;
  switch (overlap.kind) {
    case OverlapKind::kNone:
      next.previous_revoke_after = now;
      break;
    case OverlapKind::kUntilNext:
      next.previous_revoke_after = std::nullopt;
      break;
    case OverlapKind::kDuration:
      next.previous_revoke_after = now + overlap.duration;
      break;
  }
  next.rotation_id = std::move(rotation_id);
  return next;
}

std::optional<Stop> UnlessBound(const SecretState& state, const dbtcloud::ServiceToken& row,
                                const std::vector<dbtcloud::ServiceToken>& known,
                                const std::string& secret_id) {
  auto check = CheckTokenBinding(state.current.service_token, row, known);
  if (check.binding == Binding::kProven) return std::nullopt;
  return Stop{Outcome::kNeedsAttention,
              BindingFailureMessage(check, fmt::format("secret '{}' (AWSCURRENT)", secret_id),
                                    state.current.service_token_id)};
}

std::optional<Stop> UnlessLive(const dbtcloud::DbtResult<dbtcloud::ServiceToken>& own_answer,
                               const std::string& secret_id) {
  if (own_answer || own_answer.error().code == dbtcloud::ErrorCode::kForbiddenOrNotFound) {
    return std::nullopt;
  }
  if (own_answer.error().code == dbtcloud::ErrorCode::kUnauthenticated) {
    return Stop{Outcome::kNeedsAttention,
                fmt::format("dbt Cloud rejects the token in secret '{}' ({}): consumers of the "
                            "secret are failing already. Create a token and store it with "
                            "`dbt-rotate init --force`. Nothing was created or revoked",
                            secret_id, Describe(own_answer.error()))};
  }
  return Stop{Outcome::kFailedSafely,
              fmt::format("could not check that the token in secret '{}' is live ({}); nothing "
                          "was changed, retry later",
                          secret_id, Describe(own_answer.error()))};
}

std::optional<Stop> ProveCurrentBinding(RunContext& context, const SecretState& state,
                                        const Acting& acting, const std::string& secret_id) {
  // Finishing revokes the current token and derives the new one's grants from it: the same
  // proof as a fresh rotation, since a stored value is no more trusted than the secret.
  auto step = context.Begin("check current token");
  const std::int64_t id = state.current.service_token_id;
  auto row = acting.api->GetServiceToken(id);
  if (!row) {
    step.Failed(Describe(row.error()));
    return DbtStop(row.error(), acting, fmt::format("reading token {}", id));
  }
  if (!acting.self) {
    auto own = acting.api->WithToken(state.current.service_token.Clone());
    if (auto dead = UnlessLive(own->GetServiceToken(id), secret_id)) {
      step.Failed("the secret's token is not live");
      return dead;
    }
  }
  if (auto unbound = UnlessBound(state, *row, {}, secret_id)) {
    step.Failed("token id and string do not match");
    return unbound;
  }
  step.Ok(fmt::format("token {} is the secret's string", id));
  return std::nullopt;
}

}  // namespace dbtrotate::rotation::internal
