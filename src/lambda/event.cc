#include "lambda/event.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/json_limits.h"
#include "core/json_wipe.h"
#include "core/secret_string.h"

namespace dbtrotate::lambda {
namespace {

using Json = nlohmann::json;

Unexpected<EventError> Bad(std::string message) {
  return Fail(EventError{"malformed rotation event: " + std::move(message)});
}

bool IsRotationTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

}  // namespace

Result<rotation::StepRequest, EventError> ParseEvent(std::string_view body) {
  if (body.size() > kMaxEventBytes) return Bad("larger than 64 KiB");
  // The shared limits: bounded depth, and a key given twice ({"Step":"testSecret",
  // "Step":"finishSecret"}) is ambiguous, so refused. The parser's messages never quote input.
  // A refused event may still hold a RotationToken in its partial document.
  auto parsed = ParseJsonLimited<Json>(body, kMaxEventDepth, &WipeJsonStrings<Json>);
  if (!parsed) return Bad("it " + DescribeJsonError(parsed.error()));
  Json event = std::move(*parsed);
  if (!event.is_object()) return Bad("not a JSON object");
  auto string_field = [&](const char* key) -> const std::string* {
    const auto found = event.find(key);
    if (found == event.end() || !found->is_string()) return nullptr;
    return found->get_ptr<const std::string*>();
  };
  rotation::StepRequest request;
  const std::string* step = string_field("Step");
  if (!step) return Bad("'Step' is missing or not a string");
  auto parsed_step = rotation::ParseRotationStep(*step);
  if (!parsed_step) {
    return Bad("'Step' must be createSecret, setSecret, testSecret or finishSecret");
  }
  request.step = *parsed_step;
  const std::string* secret = string_field("SecretId");
  if (!secret || secret->empty() || secret->size() > 2048) {
    return Bad("'SecretId' must be a string of 1 to 2048 characters");
  }
  request.secret_id = *secret;
  const std::string* token = string_field("ClientRequestToken");
  if (!token || token->size() < 32 || token->size() > 64) {
    return Bad("'ClientRequestToken' must be a version id (32 to 64 characters)");
  }
  request.client_request_token = *token;
  if (const auto found = event.find("RotationToken"); found != event.end() && !found->is_null()) {
    std::string* rotation_token = found->get_ptr<std::string*>();
    if (!rotation_token || rotation_token->empty() || rotation_token->size() > 256 ||
        !std::all_of(rotation_token->begin(), rotation_token->end(), IsRotationTokenChar)) {
      return Bad("'RotationToken' must be 1 to 256 letters, digits or '-'");
    }
    request.rotation_token = SecretString(std::move(*rotation_token));  // wipes the copy
  }
  return request;
}

}  // namespace dbtrotate::lambda
