#include "emulators/secretsmanager/json_api.h"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "core/secret_string.h"
#include "emulators/secretsmanager/base64.h"
#include "emulators/secretsmanager/validation.h"

namespace dbtrotate::emulators::secretsmanager {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 10> kOperations = {
    "CreateSecret",
    "PutSecretValue",
    "GetSecretValue",
    "DescribeSecret",
    "UpdateSecretVersionStage",
    "ListSecretVersionIds",
    "DeleteSecret",
    "RestoreSecret",
    "RotateSecret",
    "CancelRotateSecret",
};

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The lowerCamel member name AWS uses in validation messages ("SecretId" → "secretId").
std::string MemberPath(std::string_view name) {
  std::string out(name);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z')
    out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

// Reads members of a request object, recording the first type error (SerializationException)
// and every missing required member (ValidationException). JSON null counts as absent.
class MemberReader {
 public:
  explicit MemberReader(json& object) : object_(object) {}

  std::optional<std::string> String(const char* name) {
    json* value = Find(name);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) return TypeError(name, "a string");
    return value->get<std::string>();
  }

  std::string RequiredString(const char* name) {
    std::optional<std::string> value = String(name);
    if (!value && !Present(name)) validator_.Missing(MemberPath(name));
    return value.value_or("");
  }

  // Takes a secret member out of the parsed document and wipes the copy left there.
  std::optional<SecretString> Secret(const char* name) {
    json* value = Find(name);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) return TypeError(name, "a string");
    return SecretString(std::move(value->get_ref<std::string&>()));
  }

  std::optional<SecretString> Blob(const char* name) {
    std::optional<SecretString> encoded = Secret(name);
    if (!encoded) return std::nullopt;
    std::optional<std::string> decoded = Base64Decode(encoded->expose());
    if (!decoded) {
      if (!error_) {
        error_ = ApiError{ApiErrorCode::kSerialization,
                          fmt::format("Member '{}' is not valid base64.", name)};
      }
      return std::nullopt;
    }
    return SecretString(std::move(*decoded));
  }

  std::optional<std::int64_t> Integer(const char* name) {
    json* value = Find(name);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number_integer()) return TypeError(name, "an integer");
    return value->get<std::int64_t>();
  }

  std::optional<bool> Boolean(const char* name) {
    json* value = Find(name);
    if (value == nullptr) return std::nullopt;
    if (!value->is_boolean()) return TypeError(name, "a boolean");
    return value->get<bool>();
  }

  std::optional<std::vector<std::string>> StringList(const char* name) {
    json* value = Find(name);
    if (value == nullptr) return std::nullopt;
    if (!value->is_array()) return TypeError(name, "a list of strings");
    std::vector<std::string> out;
    for (const json& item : *value) {
      if (!item.is_string()) return TypeError(name, "a list of strings");
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  std::vector<Tag> Tags(const char* name) {
    json* value = Find(name);
    if (value == nullptr) return {};
    std::vector<Tag> out;
    if (!value->is_array()) {
      TypeError(name, "a list of {Key, Value}");
      return out;
    }
    for (const json& item : *value) {
      if (!item.is_object() || (item.contains("Key") && !item["Key"].is_string()) ||
          (item.contains("Value") && !item["Value"].is_string())) {
        TypeError(name, "a list of {Key, Value}");
        return {};
      }
      out.push_back(Tag{item.value("Key", ""), item.value("Value", "")});
    }
    return out;
  }

  // RotationRules: {AutomaticallyAfterDays?, ScheduleExpression?, Duration?}.
  std::optional<RotationRules> Rules(const char* name) {
    json* value = Find(name);
    if (value == nullptr) return std::nullopt;
    if (!value->is_object()) return TypeError(name, "an object");
    MemberReader inner(*value);
    RotationRules rules;
    rules.automatically_after_days = inner.Integer("AutomaticallyAfterDays");
    rules.schedule_expression = inner.String("ScheduleExpression");
    rules.duration = inner.String("Duration");
    if (auto error = inner.Error(); error && !error_) error_ = error;
    return rules;
  }

  std::optional<ApiError> Error() const {
    if (error_) return error_;
    return validator_.Error();
  }

 private:
  json* Find(const char* name) {
    auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  bool Present(const char* name) { return Find(name) != nullptr; }

  std::nullopt_t TypeError(const char* name, const char* expected) {
    if (!error_) {
      error_ = ApiError{ApiErrorCode::kSerialization,
                        fmt::format("Member '{}' must be {}.", name, expected)};
    }
    return std::nullopt;
  }

  json& object_;
  Validator validator_;
  std::optional<ApiError> error_;
};

void PutDate(json& out, const char* name, const std::optional<SystemTime>& time) {
  if (time) out[name] = EpochSeconds(*time);
}

json RefJson(const std::string& arn, const std::string& name) {
  return json{{"ARN", arn}, {"Name", name}};
}

template <class T>
JsonResponse Answer(ApiResult<T> result, json (*encode)(T&)) {
  if (!result) return ErrorResponse(result.error());
  json out = encode(*result);
  JsonResponse response{200, Dump(out)};
  for (const char* secret_member : {"SecretString", "SecretBinary"}) {
    auto it = out.find(secret_member);
    if (it != out.end() && it->is_string()) WipeString(it->template get_ref<std::string&>());
  }
  return response;
}

json EncodeCreate(CreateSecretOutput& out) {
  json body = RefJson(out.arn, out.name);
  if (out.version_id) body["VersionId"] = *out.version_id;
  return body;
}

json EncodePut(PutSecretValueOutput& out) {
  json body = RefJson(out.arn, out.name);
  body["VersionId"] = out.version_id;
  body["VersionStages"] = out.version_stages;
  return body;
}

json EncodeGet(GetSecretValueOutput& out) {
  json body = RefJson(out.arn, out.name);
  body["VersionId"] = out.version_id;
  if (out.secret_string) body["SecretString"] = std::string(out.secret_string->expose());
  if (out.secret_binary) body["SecretBinary"] = Base64Encode(out.secret_binary->expose());
  body["VersionStages"] = out.version_stages;
  body["CreatedDate"] = EpochSeconds(out.created_date);
  return body;
}

json EncodeDescribe(DescribeSecretOutput& out) {
  json body = RefJson(out.arn, out.name);
  if (out.description) body["Description"] = *out.description;
  if (out.kms_key_id) body["KmsKeyId"] = *out.kms_key_id;
  if (out.rotation_enabled) body["RotationEnabled"] = *out.rotation_enabled;
  if (out.rotation_lambda_arn) body["RotationLambdaARN"] = *out.rotation_lambda_arn;
  json rules = json::object();
  if (out.rotation_automatically_after_days)
    rules["AutomaticallyAfterDays"] = *out.rotation_automatically_after_days;
  if (out.rotation_schedule_expression)
    rules["ScheduleExpression"] = *out.rotation_schedule_expression;
  if (out.rotation_duration) rules["Duration"] = *out.rotation_duration;
  if (!rules.empty()) body["RotationRules"] = std::move(rules);
  PutDate(body, "NextRotationDate", out.next_rotation_date);
  PutDate(body, "LastRotatedDate", out.last_rotated_date);
  PutDate(body, "LastChangedDate", out.last_changed_date);
  PutDate(body, "LastAccessedDate", out.last_accessed_date);
  PutDate(body, "DeletedDate", out.deleted_date);
  if (!out.tags.empty()) {
    json tags = json::array();
    for (const Tag& tag : out.tags) tags.push_back(json{{"Key", tag.key}, {"Value", tag.value}});
    body["Tags"] = std::move(tags);
  }
  if (!out.version_ids_to_stages.empty()) {
    json stages = json::object();
    for (const auto& [id, labels] : out.version_ids_to_stages) stages[id] = labels;
    body["VersionIdsToStages"] = std::move(stages);
  }
  body["CreatedDate"] = EpochSeconds(out.created_date);
  return body;
}

json EncodeRef(SecretRef& out) { return RefJson(out.arn, out.name); }

json EncodeList(ListSecretVersionIdsOutput& out) {
  json versions = json::array();
  for (const VersionListEntry& entry : out.versions) {
    json version{{"VersionId", entry.version_id}};
    if (!entry.version_stages.empty()) version["VersionStages"] = entry.version_stages;
    PutDate(version, "LastAccessedDate", entry.last_accessed_date);
    version["CreatedDate"] = EpochSeconds(entry.created_date);
    versions.push_back(std::move(version));
  }
  json body{{"Versions", std::move(versions)}};
  if (out.next_token) body["NextToken"] = *out.next_token;
  body["ARN"] = out.arn;
  body["Name"] = out.name;
  return body;
}

json EncodeDelete(DeleteSecretOutput& out) {
  json body = RefJson(out.arn, out.name);
  body["DeletionDate"] = EpochSeconds(out.deletion_date);
  return body;
}

json EncodePlan(RotationPlan& out) {
  json body = RefJson(out.arn, out.name);
  body["VersionId"] = out.version_id;
  return body;
}

json EncodeCancel(CancelRotateSecretOutput& out) {
  json body = RefJson(out.arn, out.name);
  if (out.version_id) body["VersionId"] = *out.version_id;
  return body;
}

JsonResponse DispatchRotation(SecretStore& store, RotationRunner* rotation,
                              std::string_view operation, MemberReader& in) {
  if (operation == "RotateSecret") {
    RotateSecretInput input;
    input.secret_id = in.RequiredString("SecretId");
    input.client_request_token = in.String("ClientRequestToken");
    input.rotation_lambda_arn = in.String("RotationLambdaARN");
    input.rotation_rules = in.Rules("RotationRules");
    input.rotate_immediately = in.Boolean("RotateImmediately");
    if (auto error = in.Error()) return ErrorResponse(*error);
    if (rotation == nullptr) {
      return ErrorResponse(ApiError{ApiErrorCode::kInternalServiceError,
                                    "This Secrets Manager emulator has no rotation runner."});
    }
    return Answer(rotation->RotateSecret(input), &EncodePlan);
  }
  const std::string secret_id = in.RequiredString("SecretId");
  if (auto error = in.Error()) return ErrorResponse(*error);
  return Answer(store.CancelRotateSecret(secret_id), &EncodeCancel);
}

JsonResponse Dispatch(SecretStore& store, RotationRunner* rotation, std::string_view operation,
                      json& request) {
  MemberReader in(request);
  if (operation == "RotateSecret" || operation == "CancelRotateSecret") {
    return DispatchRotation(store, rotation, operation, in);
  }
  if (operation == "CreateSecret") {
    CreateSecretInput input;
    input.name = in.RequiredString("Name");
    input.client_request_token = in.String("ClientRequestToken");
    input.description = in.String("Description");
    input.kms_key_id = in.String("KmsKeyId");
    input.secret_string = in.Secret("SecretString");
    input.secret_binary = in.Blob("SecretBinary");
    input.tags = in.Tags("Tags");
    if (auto error = in.Error()) return ErrorResponse(*error);
    return Answer(store.CreateSecret(input), &EncodeCreate);
  }
  if (operation == "PutSecretValue") {
    PutSecretValueInput input;
    input.secret_id = in.RequiredString("SecretId");
    input.client_request_token = in.String("ClientRequestToken");
    input.secret_string = in.Secret("SecretString");
    input.secret_binary = in.Blob("SecretBinary");
    input.version_stages = in.StringList("VersionStages");
    input.rotation_token = in.String("RotationToken");
    if (auto error = in.Error()) return ErrorResponse(*error);
    return Answer(store.PutSecretValue(input), &EncodePut);
  }
  if (operation == "GetSecretValue") {
    GetSecretValueInput input;
    input.secret_id = in.RequiredString("SecretId");
    input.version_id = in.String("VersionId");
    input.version_stage = in.String("VersionStage");
    if (auto error = in.Error()) return ErrorResponse(*error);
    return Answer(store.GetSecretValue(input), &EncodeGet);
  }
  if (operation == "DescribeSecret") {
    const std::string secret_id = in.RequiredString("SecretId");
    if (auto error = in.Error()) return ErrorResponse(*error);
    return Answer(store.DescribeSecret(secret_id), &EncodeDescribe);
  }
  if (operation == "UpdateSecretVersionStage") {
    UpdateSecretVersionStageInput input;
    input.secret_id = in.RequiredString("SecretId");
    input.version_stage = in.RequiredString("VersionStage");
    input.move_to_version_id = in.String("MoveToVersionId");
    input.remove_from_version_id = in.String("RemoveFromVersionId");
    if (auto error = in.Error()) return ErrorResponse(*error);
    return Answer(store.UpdateSecretVersionStage(input), &EncodeRef);
  }
  if (operation == "ListSecretVersionIds") {
    ListSecretVersionIdsInput input;
    input.secret_id = in.RequiredString("SecretId");
    input.max_results = in.Integer("MaxResults");
    input.next_token = in.String("NextToken");
    input.include_deprecated = in.Boolean("IncludeDeprecated").value_or(false);
    if (auto error = in.Error()) return ErrorResponse(*error);
    return Answer(store.ListSecretVersionIds(input), &EncodeList);
  }
  if (operation == "DeleteSecret") {
    DeleteSecretInput input;
    input.secret_id = in.RequiredString("SecretId");
    input.recovery_window_in_days = in.Integer("RecoveryWindowInDays");
    input.force_delete_without_recovery = in.Boolean("ForceDeleteWithoutRecovery");
    if (auto error = in.Error()) return ErrorResponse(*error);
    return Answer(store.DeleteSecret(input), &EncodeDelete);
  }
  if (operation == "RestoreSecret") {
    const std::string secret_id = in.RequiredString("SecretId");
    if (auto error = in.Error()) return ErrorResponse(*error);
    return Answer(store.RestoreSecret(secret_id), &EncodeRef);
  }
  return ErrorResponse(ApiError{
      ApiErrorCode::kUnknownOperation,
      fmt::format("Operation {} is not implemented by this Secrets Manager emulator.", operation)});
}

}  // namespace

std::optional<std::string> OperationFromTarget(std::string_view target) {
  const std::string_view prefix = kTargetPrefix;
  if (target.size() <= prefix.size() || target.substr(0, prefix.size()) != prefix) {
    return std::nullopt;
  }
  return std::string(target.substr(prefix.size()));
}

bool IsSupportedOperation(std::string_view operation) {
  for (std::string_view known : kOperations) {
    if (known == operation) return true;
  }
  return false;
}

double EpochSeconds(SystemTime time) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  return static_cast<double>(ms) / 1000.0;
}

JsonResponse ErrorResponse(const ApiError& error) {
  return JsonResponse{HttpStatusFor(error.code), ErrorBody(error)};
}

JsonResponse HandleOperation(SecretStore& store, std::string_view operation, std::string_view body,
                             RotationRunner* rotation) {
  if (!IsSupportedOperation(operation)) {
    return ErrorResponse(
        ApiError{ApiErrorCode::kUnknownOperation,
                 fmt::format("Operation {} is not implemented by this Secrets Manager emulator.",
                             operation)});
  }
  // botocore sends "{}" for an operation without input; treat an empty body the same way.
  json request = body.empty() ? json::object() : json::parse(body, nullptr, false);
  if (request.is_discarded() || !request.is_object()) {
    return ErrorResponse(
        ApiError{ApiErrorCode::kSerialization, "The request body is not a JSON object."});
  }
  JsonResponse response = Dispatch(store, rotation, operation, request);
  // The parsed request may still hold secret values (e.g. an unused member): wipe them.
  for (const char* secret_member : {"SecretString", "SecretBinary"}) {
    auto it = request.find(secret_member);
    if (it != request.end() && it->is_string()) WipeString(it->get_ref<std::string&>());
  }
  return response;
}

}  // namespace dbtrotate::emulators::secretsmanager
