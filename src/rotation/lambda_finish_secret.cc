// finishSecret: promotion by compare-and-swap, then the overlap policy's revocation.

#include <fmt/format.h>

#include "rotation/iso_time.h"
#include "rotation/lambda_step_run.h"
#include "rotation/lock.h"
#include "rotation/previous_token.h"

namespace dbtrotate::rotation::internal {

Stop StepRun::FinishSecret(bool already_current) {
  if (already_current) return AlreadyFinished();
  auto stored = ReadStored();
  if (!stored) return stored.error();
  if (!*stored) {
    return Stop{Outcome::kFailedSafely,
                fmt::format("version {} has no value: createSecret has not stored the new "
                            "token; nothing was changed",
                            request_.client_request_token)};
  }
  const TokenSecret& next = **stored;
  report_.new_token_id = next.service_token_id;
  auto state = ReadState(context_, request_.secret_id, options_.connection);
  if (!state) return state.error();
  report_.old_token_id = state->current.service_token_id;
  if (auto stop = CheckBuiltOnCurrent(next, *state)) return *stop;
  auto acting = MakeActing(context_, *state);
  if (!acting) return acting.error();
  // Guarantee 1 does not rest on Secrets Manager having run testSecret first.
  auto verdict = VerifyStored(next, *state, *acting);
  if (!verdict) return verdict.error();
  if (verdict->verdict == Verdict::kInconclusive) {
    return Stop{Outcome::kFailedSafely,
                fmt::format("cannot verify token {} before promoting it ({}); nothing was "
                            "changed, the retry tries again",
                            next.service_token_id, verdict->detail)};
  }
  if (verdict->verdict == Verdict::kRejected) {
    return RollBackStored(next, *acting,
                          "the pending token failed verification: " + verdict->detail);
  }
  if (auto stop = DeadlineNear("promote the token")) return *stop;

  auto promote = context_.Begin("promote to AWSCURRENT");
  std::string why;
  switch (Promote(context_, request_.secret_id, request_.client_request_token, state->version_id,
                  why)) {
    case Promotion::kDone:
      promote.Ok(fmt::format("version {}", request_.client_request_token));
      break;
    case Promotion::kLost:
      promote.Failed(why);
      return Stop{Outcome::kFailedSafely,
                  fmt::format("AWSCURRENT moved elsewhere while this step ran ({}); version {} "
                              "was not promoted and the current token stays",
                              why, request_.client_request_token)};
    case Promotion::kUnknown:
      promote.Failed(why);
      return Stop{Outcome::kFailedSafely,
                  fmt::format("the promotion's result is unknown ({}): AWSCURRENT holds either "
                              "the old or the new token, both valid; the retry finishes",
                              why)};
  }
  ClearPendingLabel();
  return AfterPromotion(next, *state, *acting);
}

Stop StepRun::AfterPromotion(const TokenSecret& promoted, const SecretState& before,
                             const Acting& acting) {
  const std::int64_t old_id = before.current.service_token_id;
  std::string message =
      fmt::format("token {} replaced token {}", promoted.service_token_id, old_id);
  if (!promoted.previous_revoke_after) {
    return Stop{Outcome::kRotated,
                message + fmt::format("; token {} stays valid until the next rotation", old_id)};
  }
  if (*promoted.previous_revoke_after > context_.Now()) {
    return Stop{Outcome::kRotated,
                message + fmt::format("; token {} stays valid until {}", old_id,
                                      FormatIsoTime(*promoted.previous_revoke_after))};
  }
  auto step = context_.Begin("revoke old token");
  // Self-rotation: revoke with the new token, as the notebook does (it is the admin now).
  std::unique_ptr<dbtcloud::ServiceTokenApi> own;
  dbtcloud::ServiceTokenApi* api = acting.api.get();
  if (acting.self) {
    own = context_.Dbt(before.connection, promoted.service_token.Clone());
    if (own) api = own.get();
  }
  bool revoked = false;
  std::string error = RevokeIfActive(*api, old_id, revoked);
  if (!error.empty()) {
    step.Failed(error);
    // Failing the step makes Secrets Manager retry it; the retry (AWSCURRENT already on the
    // version) revokes the token. It is recorded in the secret for the CLI as well.
    return Stop{Outcome::kFailedSafely,
                fmt::format("{}, but the old token could not be revoked yet ({}); the retry "
                            "revokes it",
                            message, error)};
  }
  if (revoked) report_.revoked_token_ids.push_back(old_id);
  step.Ok(fmt::format("token {} {}", old_id, revoked ? "revoked" : "already revoked"));
  return Stop{Outcome::kRotated, message + fmt::format("; token {} revoked", old_id)};
}

Stop StepRun::AlreadyFinished() {
  // A retry after the promotion: finish what may not have happened (the revocation, the label).
  auto state = ReadState(context_, request_.secret_id, options_.connection);
  if (!state) return state.error();
  report_.new_token_id = state->current.service_token_id;
  ClearPendingLabel();
  const auto& current = state->current;
  if (current.previous_service_token_id &&
      *current.previous_service_token_id != current.service_token_id &&
      current.previous_revoke_after && *current.previous_revoke_after <= context_.Now()) {
    auto acting = MakeActing(context_, *state);
    if (!acting) return acting.error();
    auto step = context_.Begin("revoke old token");
    auto revocation = RevokeProvenPrevious(context_, request_.secret_id, *acting->api,
                                           *current.previous_service_token_id);
    if (!revocation.unproven.empty()) {
      step.Failed("not proven to be this secret's token");
      return Stop{Outcome::kNeedsAttention, revocation.unproven};
    }
    const bool revoked = revocation.revoked;
    const std::string& error = revocation.error;
    if (!error.empty()) {
      step.Failed(error);
      return Stop{
          Outcome::kFailedSafely,
          fmt::format("version {} is current, but the old token {} could not be "
                      "revoked: {}; the retry tries again",
                      request_.client_request_token, *current.previous_service_token_id, error)};
    }
    if (revoked) report_.revoked_token_ids.push_back(*current.previous_service_token_id);
    step.Ok(fmt::format("token {} {}", *current.previous_service_token_id,
                        revoked ? "revoked" : "already revoked"));
  }
  return Stop{Outcome::kNotDue, fmt::format("version {} is already AWSCURRENT; finished",
                                            request_.client_request_token)};
}

void StepRun::ClearPendingLabel() {
  // Both end states are valid on AWS (AWSPENDING on AWSCURRENT's version, or on none); removing
  // it leaves no doubt for the next RotateSecret and for stricter implementations.
  auto description = context_.sm().DescribeSecret(request_.secret_id);
  if (!description ||
      description->VersionWithStage(aws::kStagePending) != request_.client_request_token ||
      description->VersionWithStage(aws::kStageCurrent) != request_.client_request_token) {
    return;
  }
  auto step = context_.Begin("remove AWSPENDING");
  aws::UpdateSecretVersionStageRequest remove;
  remove.secret_id = request_.secret_id;
  remove.version_stage = aws::kStagePending;
  remove.remove_from_version_id = request_.client_request_token;
  auto removed = context_.sm().UpdateSecretVersionStage(remove);
  if (removed) {
    step.Ok(fmt::format("from version {}", request_.client_request_token));
  } else {
    step.Warn(Describe(removed.error()));
  }
}

}  // namespace dbtrotate::rotation::internal
