#include "template_function.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace dbtrotate::emulators::secretsmanager::smtest {
namespace {

lambda::InvokeOutcome Error(std::string message) {
  return {lambda::InvokeStatus::kFunctionError, "", "ValueError", std::move(message)};
}

bool Has(const std::vector<std::string>& stages, std::string_view stage) {
  return std::find(stages.begin(), stages.end(), stage) != stages.end();
}

}  // namespace

lambda::InvokeOutcome TemplateFunction::Invoke(std::string_view function_arn,
                                               const std::string& event_json) {
  const nlohmann::json event = nlohmann::json::parse(event_json, nullptr, false);
  ReceivedEvent received;
  if (event.is_object()) {
    received.step = event.value("Step", "");
    received.secret_id = event.value("SecretId", "");
    received.client_request_token = event.value("ClientRequestToken", "");
    received.rotation_token = event.value("RotationToken", "");
  }
  if (auto state = store_.Inspect(received.secret_id)) {
    const VersionState* pending = state->FindVersion(received.client_request_token);
    received.pending_had_value = pending != nullptr && pending->value.has_value();
  }
  {
    std::lock_guard lock(mutex_);
    events_.push_back(received);
    last_function_arn_ = std::string(function_arn);
    auto failure = failures_.find(received.step);
    if (failure != failures_.end() && failure->second > 0) {
      --failure->second;
      return Error("injected failure in " + received.step);
    }
  }
  return Handle(received);
}

lambda::InvokeOutcome TemplateFunction::Handle(const ReceivedEvent& event) {
  auto described = store_.DescribeSecret(event.secret_id);
  if (!described) return Error("DescribeSecret: " + described.error().message);
  if (!described->rotation_enabled.value_or(false)) return Error("rotation is not enabled");
  const auto& versions = described->version_ids_to_stages;
  auto token = std::find_if(versions.begin(), versions.end(), [&](const auto& entry) {
    return entry.first == event.client_request_token;
  });
  if (token == versions.end()) return Error("Secret version has no stage for rotation");
  if (Has(token->second, kAwsCurrent)) return {lambda::InvokeStatus::kSuccess, "null", "", ""};
  if (!Has(token->second, kAwsPending)) return Error("version not set as AWSPENDING");

  if (event.step == "createSecret") {
    auto current = store_.GetSecretValue({event.secret_id, std::nullopt, kAwsCurrent});
    if (!current) return Error("no AWSCURRENT");
    auto pending =
        store_.GetSecretValue({event.secret_id, event.client_request_token, kAwsPending});
    if (pending) return {lambda::InvokeStatus::kSuccess, "null", "", ""};
    PutSecretValueInput put;
    put.secret_id = event.secret_id;
    put.client_request_token = event.client_request_token;
    put.secret_string = SecretString("rotated-" + event.client_request_token);
    put.version_stages = std::vector<std::string>{kAwsPending};
    if (!event.rotation_token.empty()) put.rotation_token = event.rotation_token;
    auto stored = store_.PutSecretValue(put);
    if (!stored) return Error("PutSecretValue: " + stored.error().message);
  } else if (event.step == "setSecret") {
    // Nothing to push: the new credential is live once created (like a dbt token).
  } else if (event.step == "testSecret") {
    auto pending =
        store_.GetSecretValue({event.secret_id, event.client_request_token, kAwsPending});
    if (!pending) return Error("the pending value cannot be read");
  } else if (event.step == "finishSecret") {
    bool skip = false;
    {
      std::lock_guard lock(mutex_);
      skip = skip_promotion_;
    }
    if (skip) return {lambda::InvokeStatus::kSuccess, "null", "", ""};
    std::optional<std::string> current;
    for (const auto& [id, stages] : versions) {
      if (Has(stages, kAwsCurrent)) current = id;
    }
    auto moved = store_.UpdateSecretVersionStage(
        {event.secret_id, kAwsCurrent, event.client_request_token, current});
    if (!moved) return Error("UpdateSecretVersionStage: " + moved.error().message);
  } else {
    return Error("Invalid step parameter");
  }
  return {lambda::InvokeStatus::kSuccess, "null", "", ""};
}

void TemplateFunction::FailStep(const std::string& step, int times) {
  std::lock_guard lock(mutex_);
  failures_[step] = times;
}

void TemplateFunction::SkipPromotion(bool skip) {
  std::lock_guard lock(mutex_);
  skip_promotion_ = skip;
}

std::vector<ReceivedEvent> TemplateFunction::Events() {
  std::lock_guard lock(mutex_);
  return events_;
}

std::vector<std::string> TemplateFunction::Steps() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> steps;
  for (const ReceivedEvent& event : events_) steps.push_back(event.step);
  return steps;
}

std::string TemplateFunction::last_function_arn() {
  std::lock_guard lock(mutex_);
  return last_function_arn_;
}

}  // namespace dbtrotate::emulators::secretsmanager::smtest
