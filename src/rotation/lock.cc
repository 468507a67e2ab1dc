#include "rotation/lock.h"

#include <fmt/format.h>

#include <algorithm>

#include "rotation/secret_state.h"

namespace dbtrotate::rotation::internal {

aws::AwsResult<std::string> PutVersion(RunContext& context, const std::string& secret_id,
                                       const SecretString& value, std::vector<std::string> stages) {
  aws::PutSecretValueRequest request;
  request.secret_id = secret_id;
  request.client_request_token = context.random().UuidV4();
  request.version_stages = std::move(stages);
  constexpr int kAttempts = 2;
  for (int attempt = 1;; ++attempt) {
    request.secret_string = value.Clone();
    auto result = context.sm().PutSecretValue(request);
    if (result) return result->version_id;
    if (attempt >= kAttempts || !MaybeTransient(result.error())) return Fail(result.error());
  }
}

Flow<std::string> AcquireLock(RunContext& context, const std::string& secret_id,
                              const SecretString& value,
                              const std::optional<std::string>& expected_holder) {
  auto step = context.Begin("take rotation lock (AWSPENDING)");
  auto version = PutVersion(context, secret_id, value, {kStagedLabel});
  if (!version) {
    step.Failed(Describe(version.error()));
    return StopWith(Outcome::kFailedSafely,
                    fmt::format("could not write to secret '{}': {}; nothing else was changed",
                                secret_id, Describe(version.error())));
  }
  aws::UpdateSecretVersionStageRequest move;
  move.secret_id = secret_id;
  move.version_stage = aws::kStagePending;
  move.move_to_version_id = *version;
  move.remove_from_version_id = expected_holder;
  auto moved = context.sm().UpdateSecretVersionStage(move);
  if (moved) {
    step.Ok(fmt::format("version {}", *version));
    return *version;
  }
  // Did it land before the reply was lost? Only DescribeSecret can say.
  auto description = context.sm().DescribeSecret(secret_id);
  if (description && description->VersionWithStage(aws::kStagePending) == *version) {
    step.Ok(fmt::format("version {} (confirmed after: {})", *version, Describe(moved.error())));
    return *version;
  }
  step.Failed(Describe(moved.error()));
  // Refused because the label sits elsewhere (or sat there a moment ago): someone else's lock.
  const bool refused = moved.error().code == aws::ErrorCode::kInvalidParameter ||
                       moved.error().code == aws::ErrorCode::kInvalidRequest;
  const auto holder = description ? description->VersionWithStage(aws::kStagePending)
                                  : std::optional<std::string>();
  if (refused || (description && holder != expected_holder)) {
    return StopWith(Outcome::kFailedSafely,
                    fmt::format("another run took the rotation lock first (AWSPENDING is now on "
                                "{}); that run rotates this secret, this run changed nothing",
                                holder ? "version " + *holder : "no version: that run finished"));
  }
  return StopWith(Outcome::kFailedSafely,
                  fmt::format("could not take the rotation lock: {}; nothing else was changed",
                              Describe(moved.error())));
}

bool ReleaseLock(RunContext& context, const std::string& secret_id,
                 const std::vector<std::string>& ours) {
  if (ours.empty()) return false;
  auto step = context.Begin("release rotation lock");
  aws::UpdateSecretVersionStageRequest remove;
  remove.secret_id = secret_id;
  remove.version_stage = aws::kStagePending;
  remove.remove_from_version_id = ours.front();
  auto removed = context.sm().UpdateSecretVersionStage(remove);
  if (removed) {
    step.Ok(fmt::format("from version {}", ours.front()));
    return true;
  }
  auto description = context.sm().DescribeSecret(secret_id);
  if (!description) {
    step.Failed(Describe(description.error()));
    return false;
  }
  const auto holder = description->VersionWithStage(aws::kStagePending);
  if (!holder || std::find(ours.begin(), ours.end(), *holder) == ours.end()) {
    step.Ok(holder ? fmt::format("already held by version {}", *holder) : "already released");
    return true;
  }
  remove.remove_from_version_id = *holder;
  removed = context.sm().UpdateSecretVersionStage(remove);
  if (!removed) {
    step.Failed(Describe(removed.error()));
    return false;
  }
  step.Ok(fmt::format("from version {}", *holder));
  return true;
}

Promotion Promote(RunContext& context, const std::string& secret_id, const std::string& to,
                  const std::string& from, std::string& why) {
  aws::UpdateSecretVersionStageRequest move;
  move.secret_id = secret_id;
  move.version_stage = aws::kStageCurrent;
  move.move_to_version_id = to;
  move.remove_from_version_id = from;
  constexpr int kAttempts = 2;
  for (int attempt = 1;; ++attempt) {
    auto moved = context.sm().UpdateSecretVersionStage(move);
    if (moved) return Promotion::kDone;
    why = Describe(moved.error());
    auto description = context.sm().DescribeSecret(secret_id);
    if (!description) return Promotion::kUnknown;
    const auto current = description->VersionWithStage(aws::kStageCurrent);
    if (current == to) return Promotion::kDone;
    if (current != from) return Promotion::kLost;
    // Still on `from`: the move did not happen. Once more if the error may pass.
    if (attempt >= kAttempts || !MaybeTransient(moved.error())) return Promotion::kLost;
  }
}

std::string RemoveLockCommand(const std::string& secret_id, const std::string& version) {
  return fmt::format(
      "aws secretsmanager update-secret-version-stage --secret-id '{}' --version-stage "
      "AWSPENDING --remove-from-version-id {}",
      secret_id, version);
}

}  // namespace dbtrotate::rotation::internal
