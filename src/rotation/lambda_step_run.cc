// The rotation function's steps: dispatch, setSecret and testSecret, and what they share.

#include "rotation/lambda_step_run.h"

#include <fmt/format.h>

#include "dbtcloud/grants.h"
#include "rotation/grants.h"
#include "rotation/iso_time.h"
#include "rotation/lock.h"
#include "rotation/rotation_basis.h"
#include "rotation/run_owner.h"

namespace dbtrotate::rotation {

std::optional<RotationStep> ParseRotationStep(std::string_view text) {
  for (auto step : {RotationStep::kCreateSecret, RotationStep::kSetSecret,
                    RotationStep::kTestSecret, RotationStep::kFinishSecret}) {
    if (text == RotationStepName(step)) return step;
  }
  return std::nullopt;
}

std::string_view RotationStepName(RotationStep step) {
  switch (step) {
    case RotationStep::kCreateSecret:
      return "createSecret";
    case RotationStep::kSetSecret:
      return "setSecret";
    case RotationStep::kTestSecret:
      return "testSecret";
    case RotationStep::kFinishSecret:
      return "finishSecret";
  }
  return "createSecret";
}

bool WrittenByRotationFunction(std::string_view rotation_id) {
  return OwnerTagOf(rotation_id) == std::optional<std::string>(kRotationFunctionTag);
}

Report RunRotationStep(const EngineDeps& deps, const StepRequest& request,
                       const StepOptions& options) {
  internal::RunContext context(deps, options.concurrent_requests);
  return internal::StepRun(context, request, options).Execute();
}

}  // namespace dbtrotate::rotation

namespace dbtrotate::rotation::internal {

Report StepRun::Execute() {
  report_.secret_id = request_.secret_id;
  Stop end = Run();
  return context_.Finish(std::move(report_), std::move(end));
}

std::optional<Stop> StepRun::Validate() const {
  auto bad = [](std::string message) {
    return std::optional<Stop>(Stop{Outcome::kInvalidInput, std::move(message)});
  };
  if (request_.secret_id.empty()) return bad("the event has no SecretId");
  // Secrets Manager's own bounds for a ClientRequestToken / VersionId.
  if (request_.client_request_token.size() < 32 || request_.client_request_token.size() > 64) {
    return bad("the event's ClientRequestToken is not a version id (32 to 64 characters)");
  }
  if (options_.grants && options_.grants->empty()) return bad("the configured grants are empty");
  if (options_.connection.manager_secret_id &&
      *options_.connection.manager_secret_id == request_.secret_id) {
    return bad(
        "the manager secret is the rotated secret itself; leave it unset for "
        "self-rotation");
  }
  return std::nullopt;
}

Stop StepRun::Run() {
  if (auto bad = Validate()) return *bad;
  auto check = CheckRotationEvent(context_, request_);
  if (!check) return check.error();
  if (request_.step == RotationStep::kFinishSecret) return FinishSecret(check->already_current);
  if (check->already_current) {
    return Stop{Outcome::kNotDue,
                fmt::format("version {} is already AWSCURRENT: the rotation is finished, "
                            "nothing to do",
                            request_.client_request_token)};
  }
  switch (request_.step) {
    case RotationStep::kCreateSecret:
      return CreateSecret();
    case RotationStep::kSetSecret:
      return SetSecret();
    case RotationStep::kTestSecret:
      return TestSecret();
    case RotationStep::kFinishSecret:
      break;
  }
  return FinishSecret(false);
}

Flow<std::optional<TokenSecret>> StepRun::ReadStored() {
  auto step = context_.Begin("read pending value");
  auto value = context_.sm().GetSecretValue(aws::GetSecretValueRequest{
      request_.secret_id, request_.client_request_token, std::string(aws::kStagePending)});
  if (!value) {
    if (value.error().code == aws::ErrorCode::kResourceNotFound) {
      step.Ok(fmt::format("version {} has no value yet", request_.client_request_token));
      return std::optional<TokenSecret>();
    }
    step.Failed(Describe(value.error()));
    return StopWith(Outcome::kFailedSafely,
                    fmt::format("reading AWSPENDING version {}: {}; nothing was changed",
                                request_.client_request_token, Describe(value.error())));
  }
  auto parsed = ParseTokenSecret(*value, SecretRole::kRotated,
                                 fmt::format("secret '{}' AWSPENDING version {}",
                                             request_.secret_id, request_.client_request_token));
  if (!parsed) {
    step.Failed("not a dbt-rotate value");
    return StopWith(Outcome::kNeedsAttention,
                    parsed.error().message +
                        "; this rotation's pending value was not written by dbt-rotate. Cancel "
                        "the rotation and remove the label: " +
                        RemoveLockCommand(request_.secret_id, request_.client_request_token));
  }
  step.Ok(fmt::format("token {}", parsed->service_token_id));
  return std::optional<TokenSecret>(std::move(*parsed));
}

std::optional<Stop> StepRun::CheckBuiltOnCurrent(const TokenSecret& stored,
                                                 const SecretState& state) {
  if (stored.previous_service_token_id == state.current.service_token_id) return std::nullopt;
  return Stop{Outcome::kNeedsAttention,
              fmt::format("AWSPENDING version {} (token {}) was built on another AWSCURRENT: "
                          "the secret now holds token {}. Promoting it would lose that change; "
                          "nothing was changed. Cancel this rotation and remove the label: {}",
                          request_.client_request_token, stored.service_token_id,
                          state.current.service_token_id,
                          RemoveLockCommand(request_.secret_id, request_.client_request_token))};
}

Flow<std::vector<dbtcloud::PermissionGrant>> StepRun::ExpectedGrants(const SecretState& state,
                                                                     const Acting& acting) {
  if (options_.grants) return *options_.grants;
  auto step = context_.Begin("read old token's permissions");
  auto rows = acting.api->ListPermissions(state.current.service_token_id);
  if (!rows) {
    step.Failed(Describe(rows.error()));
    return Fail(DbtStop(
        rows.error(), acting,
        fmt::format("reading the permissions of token {}", state.current.service_token_id)));
  }
  auto grants = dbtcloud::GrantsFromPermissionRows(*rows);
  step.Ok(DescribeGrants(grants));
  return grants;
}

Flow<Verification> StepRun::VerifyStored(const TokenSecret& stored, const SecretState& state,
                                         const Acting& acting) {
  auto expected = ExpectedGrants(state, acting);
  if (!expected) return Fail(expected.error());
  auto step = context_.Begin("verify pending token");
  auto verdict =
      VerifyToken(context_, acting, stored.service_token_id, stored.service_token, *expected,
                  VerifySettings{options_.verify_attempts, options_.verify_backoff});
  if (verdict.verdict == Verdict::kAccepted) {
    step.Ok(verdict.detail);
  } else {
    step.Failed(verdict.detail);
  }
  return verdict;
}

Stop StepRun::RollBackStored(const TokenSecret& stored, const Acting& acting,
                             const std::string& why) {
  // The token is this rotation's own and nothing uses it yet (AWSCURRENT is re-read first).
  auto step = context_.Begin("roll back");
  auto current = context_.sm().GetSecretValue(aws::GetSecretValueRequest{
      request_.secret_id, std::nullopt, std::string(aws::kStageCurrent)});
  std::optional<TokenSecret> now;
  if (current) {
    if (auto parsed = ParseTokenSecret(*current, SecretRole::kRotated, "AWSCURRENT")) {
      now = std::move(*parsed);
    }
  }
  if (!now || now->service_token_id == stored.service_token_id ||
      now->previous_service_token_id == stored.service_token_id) {
    step.Failed("AWSCURRENT unreadable or referencing the token; kept");
    return Stop{Outcome::kFailedSafely,
                fmt::format("{}; token {} was kept (AWSCURRENT could not be checked or "
                            "references it). The old token stays current",
                            why, stored.service_token_id)};
  }
  std::string error = Revoke(*acting.api, stored.service_token_id);
  if (!error.empty()) {
    step.Failed(error);
    return Stop{Outcome::kFailedSafely,
                fmt::format("{}; token {} could not be revoked yet ({}); the old token stays "
                            "current and the retry tries again",
                            why, stored.service_token_id, error)};
  }
  report_.revoked_token_ids.push_back(stored.service_token_id);
  // Without AWSPENDING on it, this rotation is over; the next RotateSecret starts afresh.
  aws::UpdateSecretVersionStageRequest remove;
  remove.secret_id = request_.secret_id;
  remove.version_stage = aws::kStagePending;
  remove.remove_from_version_id = request_.client_request_token;
  auto removed = context_.sm().UpdateSecretVersionStage(remove);
  if (!removed)
    report_.warnings.push_back("could not remove AWSPENDING: " + Describe(removed.error()));
  step.Ok(fmt::format("token {} revoked", stored.service_token_id));
  return Stop{Outcome::kFailedSafely,
              fmt::format("{}; rolled back: token {} was revoked and the old token stays current",
                          why, stored.service_token_id)};
}

Stop StepRun::SetSecret() {
  auto stored = ReadStored();
  if (!stored) return stored.error();
  if (!*stored) {
    return Stop{Outcome::kFailedSafely,
                fmt::format("version {} has no value: createSecret has not stored the new "
                            "token yet; nothing was changed",
                            request_.client_request_token)};
  }
  report_.new_token_id = (*stored)->service_token_id;
  auto step = context_.Begin("set secret");
  step.Ok("nothing to push: a dbt Cloud service token is live once created");
  return Stop{Outcome::kRotated,
              fmt::format("nothing to push to dbt Cloud: token {} is live since createSecret",
                          (*stored)->service_token_id)};
}

Stop StepRun::TestSecret() {
  auto stored = ReadStored();
  if (!stored) return stored.error();
  // RotateSecret(RotateImmediately=false) tests the configuration against a value-less
  // AWSPENDING version: check what the next rotation will need instead.
  if (!*stored) return CheckConfiguration();
  report_.new_token_id = (*stored)->service_token_id;
  auto state = ReadState(context_, request_.secret_id, options_.connection);
  if (!state) return state.error();
  report_.old_token_id = state->current.service_token_id;
  if (auto stop = CheckBuiltOnCurrent(**stored, *state)) return *stop;
  auto acting = MakeActing(context_, *state);
  if (!acting) return acting.error();
  auto verdict = VerifyStored(**stored, *state, *acting);
  if (!verdict) return verdict.error();
  switch (verdict->verdict) {
    case Verdict::kAccepted:
      return Stop{Outcome::kRotated, verdict->detail};
    case Verdict::kInconclusive:
      return Stop{Outcome::kFailedSafely,
                  fmt::format("cannot verify token {} now ({}); nothing was changed, the retry "
                              "verifies again",
                              (*stored)->service_token_id, verdict->detail)};
    case Verdict::kRejected:
      break;
  }
  return RollBackStored(**stored, *acting,
                        "the pending token failed verification: " + verdict->detail);
}

Stop StepRun::CheckConfiguration() {
  auto state = ReadState(context_, request_.secret_id, options_.connection);
  if (!state) return state.error();
  report_.old_token_id = state->current.service_token_id;
  auto acting = MakeActing(context_, *state);
  if (!acting) return acting.error();
  auto step = context_.Begin("check configuration");
  auto row = acting->api->GetServiceToken(state->current.service_token_id);
  if (!row) {
    step.Failed(Describe(row.error()));
    return DbtStop(row.error(), *acting,
                   fmt::format("reading token {}", state->current.service_token_id));
  }
  if (!row->active()) {
    step.Failed("token not active");
    return Stop{Outcome::kNeedsAttention,
                fmt::format("token {} in AWSCURRENT is revoked in dbt Cloud; store a working "
                            "token with `dbt-rotate init --force`",
                            row->id)};
  }
  step.Ok(fmt::format("token {} active; the acting token can read it", row->id));
  // The first rotation would stop here too: a configuration test should say so now.
  if (auto unbound = ProveCurrentBinding(context_, *state, *acting, request_.secret_id)) {
    return *unbound;
  }
  return Stop{Outcome::kRotated,
              fmt::format("no pending value to test (RotateImmediately=false?): the "
                          "configuration works, token {} is current and readable",
                          row->id)};
}

std::optional<Stop> StepRun::DeadlineNear(std::string_view before_what) {
  if (!options_.deadline || context_.Now() + options_.reserve < *options_.deadline) {
    return std::nullopt;
  }
  return Stop{Outcome::kFailedSafely,
              fmt::format("the invocation's deadline ({}) is too close to {}; stopped with a "
                          "resumable state, the retry continues",
                          FormatIsoTime(*options_.deadline), before_what)};
}

}  // namespace dbtrotate::rotation::internal
