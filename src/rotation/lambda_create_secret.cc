// createSecret: the rotation function's create, with the CLI's guarantees (intent before
// create, orphans of an interrupted attempt revoked, inherited grants, at most two live tokens).

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "dbtcloud/grants.h"
#include "rotation/grants.h"
#include "rotation/lambda_step_run.h"
#include "rotation/lock.h"
#include "rotation/rotation_basis.h"
#include "rotation/run_owner.h"
#include "rotation/previous_token.h"

namespace dbtrotate::rotation::internal {

Stop StepRun::CreateSecret() {
  auto stored = ReadStored();
  if (!stored) return stored.error();
  if (*stored) {
    // A retry after the value landed: the token is generated once and kept only there.
    report_.new_token_id = (*stored)->service_token_id;
    return Stop{Outcome::kNotDue,
                fmt::format("version {} already holds token {}; nothing to do",
                            request_.client_request_token, (*stored)->service_token_id)};
  }
  auto state = ReadState(context_, request_.secret_id, options_.connection);
  if (!state) return state.error();
  report_.old_token_id = state->current.service_token_id;
  auto acting = MakeActing(context_, *state);
  if (!acting) return acting.error();

  auto view = ReadDbt(*state, *acting);
  if (!view) return view.error();
  if (auto stop = CleanUpEarlierIntent(*state, *acting, view->tokens)) return *stop;
  if (auto stop = RevokeSuperseded(*state, *acting, view->tokens)) return *stop;
  return CreateAndStore(*state, *acting, *view);
}

Flow<StepRun::DbtView> StepRun::ReadDbt(const SecretState& state, const Acting& acting) {
  // The same reads and checks as `rotate`, the token binding proof included (§4.10).
  auto basis = ReadRotationBasis(context_, state, acting, options_.grants, request_.secret_id,
                                 kFunctionNames);
  if (!basis) return Fail(basis.error());
  DbtView view;
  view.name = basis->old_row.name;
  view.grants = std::move(basis->grants);
  view.tokens = std::move(basis->tokens);
  return view;
}

std::optional<Stop> StepRun::CleanUpEarlierIntent(
    const SecretState& state, const Acting& acting,
    const std::vector<dbtcloud::ServiceToken>& tokens) {
  if (!state.staged_version) return std::nullopt;
  auto step = context_.Begin("read earlier intent");
  auto value = context_.sm().GetSecretValue(
      aws::GetSecretValueRequest{request_.secret_id, *state.staged_version, std::nullopt});
  if (!value) {
    step.Failed(Describe(value.error()));
    return Stop{Outcome::kFailedSafely,
                fmt::format("reading the intent record (version {}): {}; nothing was changed",
                            *state.staged_version, Describe(value.error()))};
  }
  std::optional<Intent> intent;
  if (!value->is_binary && value->secret_string) {
    auto document = SecretJson::Parse(value->secret_string->expose());
    if (document && IsIntentDocument(document->doc())) {
      auto parsed = ParseIntent(document->doc(), "the DBTROTATE_STAGED version");
      if (parsed) intent = std::move(*parsed);
    }
  }
  // The CLI's intents are settled through AWSPENDING by the CLI; only a rotation function's
  // intent (it names its AWSPENDING version) may have left a token behind here.
  if (!intent || !intent->pending_version) {
    step.Ok("none from a rotation function");
    return std::nullopt;
  }
  step.Ok(fmt::format("version {} for rotation version {}", *state.staged_version,
                      *intent->pending_version));
  return RevokeOrphans(*intent, state, acting, tokens);
}

std::optional<Stop> StepRun::RevokeOrphans(const Intent& intent, const SecretState& state,
                                           const Acting& acting,
                                           const std::vector<dbtcloud::ServiceToken>& tokens) {
  auto step = context_.Begin("find and revoke orphans");
  std::set<std::int64_t> protected_ids{state.current.service_token_id};
  if (state.current.previous_service_token_id) {
    protected_ids.insert(*state.current.previous_service_token_id);
  }
  auto search = FindOrphans(intent, tokens, protected_ids, options_.clock_skew, options_.lease);
  if (!search.unresolved.empty()) {
    step.Failed("cannot attribute tokens");
    return Stop{Outcome::kNeedsAttention,
                fmt::format("{}. dbt-rotate revokes only tokens it can show it created. Revoke "
                            "whichever of them is not in use (dbt Cloud → Account settings → "
                            "Service tokens); the next attempt then goes on",
                            fmt::join(search.unresolved, "; "))};
  }
  for (std::int64_t id : search.orphans) {
    std::string error = Revoke(*acting.api, id);
    if (!error.empty()) {
      step.Failed(error);
      return Stop{Outcome::kFailedSafely,
                  fmt::format("could not revoke token {} left by an interrupted attempt: {}; "
                              "the retry tries again",
                              id, error)};
    }
    report_.orphans_revoked.push_back(id);
    report_.revoked_token_ids.push_back(id);
  }
  step.Ok(search.orphans.empty() ? std::string("none found")
                                 : fmt::format("revoked {}", fmt::join(search.orphans, ", ")));
  return std::nullopt;
}

std::optional<Stop> StepRun::RevokeSuperseded(const SecretState& state, const Acting& acting,
                                              const std::vector<dbtcloud::ServiceToken>& tokens) {
  // The token two rotations back, if an earlier rotation left it alive: at most two live.
  const auto& prev = state.current.previous_service_token_id;
  if (!prev || *prev == state.current.service_token_id) return std::nullopt;
  auto row = std::find_if(tokens.begin(), tokens.end(),
                          [&](const auto& t) { return t.id == *prev && t.active(); });
  if (row == tokens.end()) return std::nullopt;
  return RevokeSupersededBeforeCreate(context_, request_.secret_id, *acting.api, *row,
                                      report_.revoked_token_ids);
}

Stop StepRun::CreateAndStore(const SecretState& state, const Acting& acting, const DbtView& view) {
  if (auto stop = DeadlineNear("write the intent record")) return *stop;
  Intent intent;
  intent.rotation_id = TagRotationId(context_.random().UuidV4(), kRotationFunctionTag);
  intent.started_at = context_.Now();
  intent.pending_version = request_.client_request_token;
  std::vector<std::int64_t> same_name;
  for (const auto& token : view.tokens) {
    if (token.name == view.name) same_name.push_back(token.id);
  }
  intent.scans.push_back(OrphanScan{view.name, intent.started_at, same_name});
  {
    auto step = context_.Begin("write intent (DBTROTATE_STAGED)");
    auto version =
        PutVersion(context_, request_.secret_id, SerializeIntent(intent), {kStagedLabel});
    if (!version) {
      step.Failed(Describe(version.error()));
      return Stop{Outcome::kFailedSafely,
                  fmt::format("could not write the intent record: {}; nothing else was changed",
                              Describe(version.error()))};
    }
    step.Ok(fmt::format("version {}", *version));
  }

  if (auto stop = DeadlineNear("create the token")) return *stop;
  auto create = context_.Begin("create token");
  auto created = acting.api->CreateServiceToken(view.name, view.grants);
  if (!created) {
    create.Failed(Describe(created.error()));
    std::string message = fmt::format("creating the token: {}", Describe(created.error()));
    if (created.error().ambiguous) {
      // The reply was lost: a token may exist. Look for it exactly as the retry would.
      auto tokens = acting.api->ListServiceTokens(true);
      if (!tokens) return Stop{Outcome::kFailedSafely, message + "; the retry looks for it"};
      if (auto stop = RevokeOrphans(intent, state, acting, *tokens)) {
        stop->message = message + "; " + stop->message;
        return *stop;
      }
      return Stop{Outcome::kFailedSafely,
                  message +
                      ". Any token it created was found and revoked; the old token "
                      "stays current"};
    }
    if (created.error().code == dbtcloud::ErrorCode::kUnauthenticated ||
        created.error().code == dbtcloud::ErrorCode::kForbiddenOrNotFound) {
      return DbtStop(created.error(), acting, "creating the token");
    }
    return Stop{Outcome::kFailedSafely, message + "; the old token stays current"};
  }
  const std::int64_t new_id = created->token.id;
  report_.new_token_id = new_id;
  create.Ok(fmt::format("token {} '{}'", new_id, view.name));

  TokenSecret next = BuildNext(state, new_id, created->token_string);
  auto store = context_.Begin("store new token (AWSPENDING)");
  auto stored = StorePending(next);
  if (!stored) {
    store.Failed(Describe(stored.error()));
    return StoreFailed(acting, new_id, stored.error());
  }
  store.Ok(fmt::format("version {}", request_.client_request_token));
  return Stop{Outcome::kRotated, fmt::format("token {} created and stored in AWSPENDING version {}",
                                             new_id, request_.client_request_token)};
}

TokenSecret StepRun::BuildNext(const SecretState& state, std::int64_t token_id,
                               const SecretString& token) {
  // The value is written once, here: an overlap window starts at createSecret.
  return BuildNextValue(state, token_id, token, options_.overlap, context_.Now(),
                        TagRotationId(context_.random().UuidV4(), kRotationFunctionTag));
}

aws::AwsResult<aws::PutSecretValueResult> StepRun::StorePending(const TokenSecret& next) {
  aws::PutSecretValueRequest request;
  request.secret_id = request_.secret_id;
  request.client_request_token = request_.client_request_token;
  request.version_stages = {aws::kStagePending};
  const SecretString value = SerializeTokenSecret(next);
  constexpr int kAttempts = 2;
  for (int attempt = 1;; ++attempt) {
    // The same token and bytes again: a no-op if the first one landed.
    request.secret_string = value.Clone();
    if (request_.rotation_token) request.rotation_token = request_.rotation_token->Clone();
    auto result = context_.sm().PutSecretValue(request);
    if (result || attempt >= kAttempts || !MaybeTransient(result.error())) return result;
  }
}

Stop StepRun::StoreFailed(const Acting& acting, std::int64_t token_id, const aws::Error& error) {
  const std::string why = fmt::format("storing token {} failed: {}", token_id, Describe(error));
  auto value = context_.sm().GetSecretValue(aws::GetSecretValueRequest{
      request_.secret_id, request_.client_request_token, std::string(aws::kStagePending)});
  if (value) {
    auto parsed = ParseTokenSecret(*value, SecretRole::kRotated, "AWSPENDING");
    if (parsed && parsed->service_token_id == token_id) {
      return Stop{Outcome::kRotated,
                  fmt::format("token {} stored in AWSPENDING version {} (confirmed after: {})",
                              token_id, request_.client_request_token, Describe(error))};
    }
  } else if (value.error().code != aws::ErrorCode::kResourceNotFound) {
    // Cannot tell whether it landed: the retry either finds it stored or revokes it as this
    // intent's orphan.
    return Stop{Outcome::kFailedSafely, why + "; the retry finishes or undoes it"};
  }
  // Certainly not stored (or another attempt stored its own): this token is nobody's.
  auto step = context_.Begin("roll back");
  std::string revoke_error = Revoke(*acting.api, token_id);
  if (!revoke_error.empty()) {
    step.Failed(revoke_error);
    return Stop{Outcome::kFailedSafely,
                fmt::format("{}; revoking it failed too ({}): the retry revokes it as an "
                            "orphan",
                            why, revoke_error)};
  }
  report_.revoked_token_ids.push_back(token_id);
  step.Ok(fmt::format("token {} revoked", token_id));
  return Stop{Outcome::kFailedSafely, why + "; it was revoked and the old token stays current"};
}

}  // namespace dbtrotate::rotation::internal
