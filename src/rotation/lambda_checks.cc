#include "rotation/lambda_checks.h"

#include <fmt/format.h>

#include <algorithm>

#include "rotation/lock.h"
#include "rotation/run_owner.h"
#include "rotation/secret_state.h"

namespace dbtrotate::rotation::internal {
namespace {

bool HasStage(const std::vector<std::string>& stages, std::string_view stage) {
  return std::find(stages.begin(), stages.end(), stage) != stages.end();
}

}  // namespace

Flow<EventCheck> CheckRotationEvent(RunContext& context, const StepRequest& request) {
  auto step = context.Begin("check rotation event");
  auto description = context.sm().DescribeSecret(request.secret_id);
  if (!description) {
    step.Failed(Describe(description.error()));
    return Fail(
        AwsStop(description.error(), fmt::format("describing secret '{}'", request.secret_id)));
  }
  if (description->deleted_date) {
    step.Failed("scheduled for deletion");
    return StopWith(Outcome::kInvalidInput,
                    fmt::format("secret '{}' is scheduled for deletion; nothing was changed",
                                request.secret_id));
  }
  if (!description->rotation_enabled) {
    step.Failed("rotation not enabled");
    return StopWith(Outcome::kInvalidInput,
                    fmt::format("secret '{}' does not have rotation enabled (RotationEnabled is "
                                "false); nothing was changed",
                                request.secret_id));
  }
  const auto& versions = description->version_ids_to_stages;
  const auto found = versions.find(request.client_request_token);
  if (found == versions.end()) {
    step.Failed("not a staged version");
    return StopWith(Outcome::kInvalidInput,
                    fmt::format("secret '{}' has no staged version {} (the event's "
                                "ClientRequestToken): not a rotation of this secret; nothing "
                                "was changed",
                                request.secret_id, request.client_request_token));
  }
  EventCheck check;
  check.already_current = HasStage(found->second, aws::kStageCurrent);
  if (!check.already_current && !HasStage(found->second, aws::kStagePending)) {
    step.Failed("not AWSPENDING");
    return StopWith(Outcome::kInvalidInput,
                    fmt::format("version {} of secret '{}' is not AWSPENDING: that rotation is "
                                "over or was taken apart; nothing was changed",
                                request.client_request_token, request.secret_id));
  }
  step.Ok(fmt::format("version {} is {}", request.client_request_token,
                      check.already_current ? "AWSCURRENT already" : "AWSPENDING"));
  check.description = std::move(*description);
  return check;
}

std::string RotationInFlightMessage(const std::string& secret_id, const PendingInfo& pending) {
  return fmt::format(
      "{}. Its rotation function finishes it (Secrets Manager retries failed steps); this run "
      "changed nothing. Check it with `dbt-rotate status --secret-id '{}'`; if that rotation "
      "was cancelled, remove the label: {}",
      DescribePending(pending), secret_id, RemoveLockCommand(secret_id, pending.version_id));
}

}  // namespace dbtrotate::rotation::internal
