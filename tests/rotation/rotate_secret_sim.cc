#include "rotate_secret_sim.h"

#include <algorithm>

namespace dbtrotate::testing {
namespace {

aws::Error Err(aws::ErrorCode code, std::string aws_code, std::string message) {
  aws::Error error;
  error.code = code;
  error.aws_code = std::move(aws_code);
  error.message = std::move(message);
  error.http_status = 400;
  return error;
}

bool Has(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

std::string RotationSimSecretsManager::Key(const std::string& secret_id) {
  auto description = inner_.DescribeSecret(secret_id);
  return description ? description->arn : secret_id;
}

void RotationSimSecretsManager::SetRotationEnabled(const std::string& secret_id, bool enabled) {
  const std::string key = Key(secret_id);
  std::lock_guard lock(mutex_);
  states_[key].rotation_enabled = enabled;
}

aws::AwsResult<void> RotationSimSecretsManager::RotateSecret(const std::string& secret_id,
                                                             const std::string& token) {
  auto description = inner_.DescribeSecret(secret_id);
  if (!description) return Fail(description.error());
  std::lock_guard lock(mutex_);
  State& state = states_[description->arn];
  const auto pending = description->VersionWithStage(aws::kStagePending);
  const auto current = description->VersionWithStage(aws::kStageCurrent);
  if (state.stub || (pending && pending != current)) {
    return Fail(Err(aws::ErrorCode::kInvalidRequest, "InvalidRequestException",
                    "A previous rotation isn't complete. That rotation will be reattempted."));
  }
  if (pending) {
    aws::UpdateSecretVersionStageRequest remove;
    remove.secret_id = secret_id;
    remove.version_stage = aws::kStagePending;
    remove.remove_from_version_id = *pending;
    auto removed = inner_.UpdateSecretVersionStage(remove);
    if (!removed) return Fail(removed.error());
  }
  state.stub = token;
  state.rotation_enabled = true;
  return {};
}

aws::AwsResult<aws::SecretValue> RotationSimSecretsManager::GetSecretValue(
    const aws::GetSecretValueRequest& r) {
  const std::string key = Key(r.secret_id);
  {
    std::lock_guard lock(mutex_);
    const auto& stub = states_[key].stub;
    if (stub && (r.version_id == stub ||
                 (!r.version_id && r.version_stage == std::string(aws::kStagePending)))) {
      return Fail(Err(aws::ErrorCode::kResourceNotFound, "ResourceNotFoundException",
                      "Secrets Manager can't find the specified secret value for VersionId"));
    }
  }
  return inner_.GetSecretValue(r);
}

aws::AwsResult<aws::PutSecretValueResult> RotationSimSecretsManager::PutSecretValue(
    const aws::PutSecretValueRequest& r) {
  const std::string key = Key(r.secret_id);
  {
    std::lock_guard lock(mutex_);
    if (r.rotation_token) rotation_tokens_.emplace_back(r.rotation_token->expose());
  }
  auto result = inner_.PutSecretValue(r);
  if (result) {
    std::lock_guard lock(mutex_);
    auto& stub = states_[key].stub;
    // Filled, or AWSPENDING moved off it onto the new version.
    if (stub && (*stub == r.client_request_token || Has(r.version_stages, aws::kStagePending))) {
      stub.reset();
    }
  }
  return result;
}

aws::AwsResult<aws::SecretDescription> RotationSimSecretsManager::DescribeSecret(
    const std::string& id) {
  auto description = inner_.DescribeSecret(id);
  if (!description) return description;
  std::lock_guard lock(mutex_);
  const State& state = states_[description->arn];
  description->rotation_enabled = state.rotation_enabled;
  if (state.stub) {
    for (auto& [version, stages] : description->version_ids_to_stages) {
      stages.erase(std::remove(stages.begin(), stages.end(), aws::kStagePending), stages.end());
    }
    description->version_ids_to_stages[*state.stub] = {aws::kStagePending};
  }
  return description;
}

aws::AwsResult<void> RotationSimSecretsManager::UpdateSecretVersionStage(
    const aws::UpdateSecretVersionStageRequest& r) {
  const std::string key = Key(r.secret_id);
  std::unique_lock lock(mutex_);
  auto& stub = states_[key].stub;
  if (stub && r.move_to_version_id == stub) {
    return Fail(Err(aws::ErrorCode::kInvalidRequest, "InvalidRequestException",
                    "the version has no value"));
  }
  if (!stub || r.version_stage != aws::kStagePending) {
    lock.unlock();
    return inner_.UpdateSecretVersionStage(r);
  }
  if (r.remove_from_version_id != stub) {
    if (r.move_to_version_id) {
      return Fail(Err(aws::ErrorCode::kInvalidParameter, "InvalidParameterException",
                      "Staging label AWSPENDING is currently attached to version " + *stub +
                          ", so you must explicitly reference that version in "
                          "RemoveFromVersionId."));
    }
    lock.unlock();
    return inner_.UpdateSecretVersionStage(r);
  }
  stub.reset();
  if (!r.move_to_version_id) return {};
  lock.unlock();
  aws::UpdateSecretVersionStageRequest move = r;
  move.remove_from_version_id.reset();
  return inner_.UpdateSecretVersionStage(move);
}

aws::AwsResult<std::vector<aws::SecretVersion>> RotationSimSecretsManager::ListSecretVersionIds(
    const std::string& id, bool include_deprecated) {
  auto versions = inner_.ListSecretVersionIds(id, include_deprecated);
  if (!versions) return versions;
  const std::string key = Key(id);
  std::lock_guard lock(mutex_);
  if (const auto& stub = states_[key].stub) {
    for (auto& version : *versions) {
      auto& stages = version.version_stages;
      stages.erase(std::remove(stages.begin(), stages.end(), aws::kStagePending), stages.end());
    }
    versions->push_back(aws::SecretVersion{*stub, {aws::kStagePending}, std::nullopt});
  }
  return versions;
}

std::vector<std::string> RotationSimSecretsManager::rotation_tokens_seen() const {
  std::lock_guard lock(mutex_);
  return rotation_tokens_;
}

}  // namespace dbtrotate::testing
