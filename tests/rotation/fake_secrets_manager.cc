#include "fake_secrets_manager.h"

#include <fmt/format.h>

#include <algorithm>

namespace dbtrotate::testing {
namespace {

aws::Error Err(aws::ErrorCode code, const char* aws_code, std::string message) {
  aws::Error error;
  error.code = code;
  error.aws_code = aws_code;
  error.message = std::move(message);
  error.http_status = 400;
  return error;
}

aws::Error SecretNotFound() {
  return Err(aws::ErrorCode::kResourceNotFound, "ResourceNotFoundException",
             "Secrets Manager can't find the specified secret.");
}

bool Has(const std::vector<std::string>& stages, const std::string& stage) {
  return std::find(stages.begin(), stages.end(), stage) != stages.end();
}

void Remove(std::vector<std::string>& stages, const std::string& stage) {
  stages.erase(std::remove(stages.begin(), stages.end(), stage), stages.end());
}

}  // namespace

FakeSecretsManager::FakeSecretsManager(Clock& clock, FakeSecretsManagerOptions options)
    : clock_(clock), options_(options) {}

FakeSecretsManager::Secret* FakeSecretsManager::Find(const std::string& id) {
  for (auto& [name, secret] : secrets_) {
    if (name == id || secret.arn == id) return &secret;
  }
  return nullptr;
}

FakeSecretsManager::Version* FakeSecretsManager::FindVersion(Secret& secret,
                                                             const std::string& id) {
  for (auto& version : secret.versions) {
    if (version.id == id) return &version;
  }
  return nullptr;
}

FakeSecretsManager::Version* FakeSecretsManager::WithStage(Secret& secret,
                                                           const std::string& stage) {
  for (auto& version : secret.versions) {
    if (Has(version.stages, stage)) return &version;
  }
  return nullptr;
}

void FakeSecretsManager::Attach(Secret& secret, Version& target, const std::string& stage) {
  if (Has(target.stages, stage)) return;
  Version* holder = WithStage(secret, stage);
  if (holder) Remove(holder->stages, stage);
  target.stages.push_back(stage);
  if (stage == aws::kStageCurrent && holder) {
    for (auto& version : secret.versions) Remove(version.stages, aws::kStagePrevious);
    holder->stages.push_back(aws::kStagePrevious);
  }
}

aws::AwsResult<aws::SecretValue> FakeSecretsManager::GetSecretValue(
    const aws::GetSecretValueRequest& request) {
  std::lock_guard lock(mutex_);
  Secret* secret = Find(request.secret_id);
  if (!secret) return Fail(SecretNotFound());
  if (secret->deleted) {
    return Fail(Err(aws::ErrorCode::kInvalidRequest, "InvalidRequestException",
                    "You can't perform this operation on the secret because it was marked for "
                    "deletion."));
  }
  Version* version = nullptr;
  if (request.version_id) {
    version = FindVersion(*secret, *request.version_id);
    if (!version) return Fail(SecretNotFound());
    if (request.version_stage && !Has(version->stages, *request.version_stage)) {
      return Fail(Err(aws::ErrorCode::kInvalidRequest, "InvalidRequestException",
                      "You provided a VersionStage that is not associated to the provided "
                      "VersionId."));
    }
  } else {
    version = WithStage(*secret, request.version_stage.value_or(aws::kStageCurrent));
    if (!version) return Fail(SecretNotFound());
  }
  if (!version->value) return Fail(SecretNotFound());  // a stub without a value
  aws::SecretValue out;
  out.arn = secret->arn;
  out.name = secret->name;
  out.version_id = version->id;
  out.version_stages = version->stages;
  out.is_binary = version->binary;
  if (!version->binary) out.secret_string = SecretString::CopyOf(*version->value);
  out.created_date = version->created;
  return out;
}

aws::AwsResult<aws::PutSecretValueResult> FakeSecretsManager::PutSecretValue(
    const aws::PutSecretValueRequest& request) {
  std::lock_guard lock(mutex_);
  Secret* secret = Find(request.secret_id);
  if (!secret) return Fail(SecretNotFound());
  if (secret->deleted) {
    return Fail(Err(aws::ErrorCode::kInvalidRequest, "InvalidRequestException",
                    "the secret is marked for deletion"));
  }
  const auto& token = request.client_request_token;
  if (token.size() < 32 || token.size() > 64) {
    return Fail(Err(aws::ErrorCode::kInvalidParameter, "InvalidParameterException",
                    "ClientRequestToken must be 32 to 64 characters"));
  }
  if (request.secret_string.empty()) {
    return Fail(Err(aws::ErrorCode::kInvalidParameter, "InvalidParameterException",
                    "SecretString must not be empty"));
  }
  const std::string value(request.secret_string.expose());
  if (Version* existing = FindVersion(*secret, token)) {
    if (existing->value && *existing->value == value && !existing->binary) {
      return aws::PutSecretValueResult{secret->arn, secret->name, existing->id, existing->stages};
    }
    if (existing->value) {
      return Fail(Err(aws::ErrorCode::kResourceExists, "ResourceExistsException",
                      fmt::format("You can't use ClientRequestToken {} because that value is "
                                  "already in use for a version of secret {}.",
                                  token, secret->name)));
    }
  }
  if (request.version_stages.size() > 20) {
    return Fail(Err(aws::ErrorCode::kInvalidParameter, "InvalidParameterException",
                    "too many VersionStages"));
  }
  ++writes_;
  std::vector<std::string> stages = request.version_stages;
  if (stages.empty() || secret->versions.empty()) {
    if (!Has(stages, aws::kStageCurrent)) stages.push_back(aws::kStageCurrent);
  }
  Version* target = FindVersion(*secret, token);  // a value-less stub gets filled
  if (!target) {
    secret->versions.push_back(Version{token, std::nullopt, false, {}, clock_.Now()});
    target = &secret->versions.back();
  }
  target->value = value;
  for (const auto& stage : stages) Attach(*secret, *target, stage);
  return aws::PutSecretValueResult{secret->arn, secret->name, target->id, target->stages};
}

aws::AwsResult<aws::SecretDescription> FakeSecretsManager::DescribeSecret(
    const std::string& secret_id) {
  std::lock_guard lock(mutex_);
  Secret* secret = Find(secret_id);
  if (!secret) return Fail(SecretNotFound());
  aws::SecretDescription out;
  out.arn = secret->arn;
  out.name = secret->name;
  out.deleted_date = secret->deleted;
  out.created_date = secret->created;
  for (const auto& version : secret->versions) {
    if (!version.stages.empty()) out.version_ids_to_stages[version.id] = version.stages;
  }
  return out;
}

aws::AwsResult<void> FakeSecretsManager::UpdateSecretVersionStage(
    const aws::UpdateSecretVersionStageRequest& request) {
  std::lock_guard lock(mutex_);
  Secret* secret = Find(request.secret_id);
  if (!secret) return Fail(SecretNotFound());
  if (request.version_stage.empty()) {
    return Fail(Err(aws::ErrorCode::kInvalidParameter, "InvalidParameterException",
                    "VersionStage is required"));
  }
  const std::string& stage = request.version_stage;
  Version* holder = WithStage(*secret, stage);
  Version* remove_from = nullptr;
  if (request.remove_from_version_id) {
    remove_from = FindVersion(*secret, *request.remove_from_version_id);
    if (!remove_from) return Fail(SecretNotFound());
  }
  if (!request.move_to_version_id) {
    if (!remove_from) {
      return Fail(Err(aws::ErrorCode::kInvalidParameter, "InvalidParameterException",
                      "give MoveToVersionId, RemoveFromVersionId or both"));
    }
    if (stage == aws::kStageCurrent) {
      return Fail(Err(aws::ErrorCode::kInvalidParameter, "InvalidParameterException",
                      "AWSCURRENT cannot be removed without moving it to another version"));
    }
    if (holder != remove_from) {
      return Fail(Err(
          aws::ErrorCode::kInvalidParameter, "InvalidParameterException",
          fmt::format("Version {} does not have the staging label {}", remove_from->id, stage)));
    }
    ++writes_;
    Remove(remove_from->stages, stage);
    return {};
  }
  Version* target = FindVersion(*secret, *request.move_to_version_id);
  if (!target) return Fail(SecretNotFound());
  if (holder == target) return {};  // already there
  if (holder && holder != remove_from) {
    return Fail(Err(aws::ErrorCode::kInvalidParameter, "InvalidParameterException",
                    fmt::format("The parameter RemoveFromVersionId can't be empty. Staging "
                                "label {} is currently attached to version {}, so you must "
                                "explicitly reference that version in RemoveFromVersionId.",
                                stage, holder->id)));
  }
  if (!holder && remove_from && !options_.lenient_remove_from) {
    return Fail(
        Err(aws::ErrorCode::kInvalidParameter, "InvalidParameterException",
            fmt::format("Version {} does not have the staging label {}", remove_from->id, stage)));
  }
  ++writes_;
  Attach(*secret, *target, stage);
  if (stage == aws::kStageCurrent && options_.current_move_clears_pending) {
    Remove(target->stages, aws::kStagePending);
  }
  return {};
}

aws::AwsResult<aws::CreateSecretResult> FakeSecretsManager::CreateSecret(
    const aws::CreateSecretRequest& request) {
  std::lock_guard lock(mutex_);
  const std::string value(request.secret_string.expose());
  if (Secret* existing = Find(request.name)) {
    Version* version = FindVersion(*existing, request.client_request_token);
    if (version && version->value == value) {
      return aws::CreateSecretResult{existing->arn, existing->name, version->id};
    }
    return Fail(Err(
        aws::ErrorCode::kResourceExists, "ResourceExistsException",
        fmt::format("The operation failed because the secret {} already exists.", request.name)));
  }
  if (request.client_request_token.size() < 32 || request.client_request_token.size() > 64) {
    return Fail(Err(aws::ErrorCode::kInvalidParameter, "InvalidParameterException",
                    "ClientRequestToken must be 32 to 64 characters"));
  }
  ++writes_;
  Secret secret;
  secret.name = request.name;
  secret.arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + request.name + "-AbCdEf";
  secret.created = clock_.Now();
  secret.versions.push_back(
      Version{request.client_request_token, value, false, {aws::kStageCurrent}, clock_.Now()});
  auto& stored = secrets_[request.name] = std::move(secret);
  return aws::CreateSecretResult{stored.arn, stored.name, request.client_request_token};
}

aws::AwsResult<std::vector<aws::SecretVersion>> FakeSecretsManager::ListSecretVersionIds(
    const std::string& secret_id, bool include_deprecated) {
  std::lock_guard lock(mutex_);
  Secret* secret = Find(secret_id);
  if (!secret) return Fail(SecretNotFound());
  std::vector<aws::SecretVersion> out;
  for (const auto& version : secret->versions) {
    if (version.stages.empty() && !include_deprecated) continue;
    out.push_back(aws::SecretVersion{version.id, version.stages, version.created});
  }
  return out;
}

void FakeSecretsManager::CreateBinarySecret(const std::string& name, const std::string& bytes) {
  std::lock_guard lock(mutex_);
  Secret secret;
  secret.name = name;
  secret.arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-BiNaRy";
  secret.created = clock_.Now();
  secret.versions.push_back(Version{
      "00000000-0000-4000-8000-000000000001", bytes, true, {aws::kStageCurrent}, clock_.Now()});
  secrets_[name] = std::move(secret);
}

void FakeSecretsManager::MarkForDeletion(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (Secret* secret = Find(name)) secret->deleted = clock_.Now();
}

int FakeSecretsManager::writes() const {
  std::lock_guard lock(mutex_);
  return writes_;
}

}  // namespace dbtrotate::testing
