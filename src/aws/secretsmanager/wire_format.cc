#include "aws/secretsmanager/wire_format.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <utility>

#include "core/json_limits.h"
#include "core/secret_string.h"

namespace dbtrotate::aws {

namespace {

using nlohmann::json;

bool ToStringList(const json& array, std::vector<std::string>& out) {
  if (!array.is_array()) return false;
  for (const auto& item : array) {
    if (!item.is_string()) return false;
    out.push_back(item.get<std::string>());
  }
  return true;
}

// Reads optional members of one JSON object; the first type error wins and names the member.
class Reader {
 public:
  Reader(const json& object, std::string context) : object_(object), context_(std::move(context)) {
    if (!object_.is_object()) Fail("is not a JSON object");
  }

  void String(const char* name, std::string& out) {
    if (const json* value = Find(name, &json::is_string, "a string"))
      out = value->get<std::string>();
  }
  void String(const char* name, std::optional<std::string>& out) {
    if (const json* value = Find(name, &json::is_string, "a string"))
      out = value->get<std::string>();
  }
  void Bool(const char* name, bool& out) {
    if (const json* value = Find(name, &json::is_boolean, "a boolean")) out = value->get<bool>();
  }
  void Int(const char* name, std::optional<int>& out) {
    if (const json* value = Find(name, &json::is_number_integer, "an integer")) {
      out = value->get<int>();
    }
  }
  void StringList(const char* name, std::vector<std::string>& out) {
    const json* value = Find(name, &json::is_array, "an array");
    if (value != nullptr && !ToStringList(*value, out)) {
      Fail(std::string("member ") + name + " has a non-string item");
    }
  }
  void Date(const char* name, std::optional<SystemTime>& out) {
    const json* value = Member(name);
    if (value == nullptr) return;
    out = ParseEpochSeconds(*value);
    if (!out) Fail(std::string("member ") + name + " is not epoch seconds");
  }
  /// Whether the member is present with the right type (records a type error otherwise).
  bool Check(const char* name, bool (json::*is_type)() const noexcept, const char* type_name) {
    return Find(name, is_type, type_name) != nullptr;
  }
  /// The member if it is an object; nullptr if absent (or a type error was recorded).
  const json* Object(const char* name) { return Find(name, &json::is_object, "an object"); }
  const json* Array(const char* name) { return Find(name, &json::is_array, "an array"); }

  void Fail(const std::string& what) {
    if (error_.empty()) error_ = context_ + " " + what;
  }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  const json* Find(const char* name, bool (json::*is_type)() const noexcept,
                   const char* type_name) {
    const json* value = Member(name);
    if (value == nullptr) return nullptr;
    if (!(value->*is_type)()) {
      Fail(std::string("member ") + name + " is not " + type_name);
      return nullptr;
    }
    return value;
  }

  // The member, or nullptr when absent or null (both mean "not set" on the wire).
  const json* Member(const char* name) const {
    if (!ok() || !object_.is_object()) return nullptr;
    const auto& members = object_.get_ref<const json::object_t&>();
    const auto it = members.find(name);
    if (it == members.end() || it->second.is_null()) return nullptr;
    return &it->second;
  }

  const json& object_;
  std::string context_;
  std::string error_;
};

json StringArray(const std::vector<std::string>& items) {
  json array = json::array();
  for (const auto& item : items) array.push_back(item);
  return array;
}

// An error type from the body goes into a message: printable and bounded.
std::string SanitizeErrorType(const std::string& type) {
  std::string out;
  for (const char c : type.substr(0, 100)) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u >= 0x7f) ? '?' : c;
  }
  return out;
}

// Moves a string member into a SecretString, wiping the copy in the document.
std::optional<SecretString> TakeSecret(json& document, const char* name) {
  const auto it = document.find(name);
  if (it == document.end() || !it->is_string()) return std::nullopt;
  return SecretString(std::move(it->get_ref<std::string&>()));
}

}  // namespace

json EncodeGetSecretValue(const GetSecretValueRequest& request) {
  json body = json::object();
  body["SecretId"] = request.secret_id;
  if (request.version_id) body["VersionId"] = *request.version_id;
  if (request.version_stage) body["VersionStage"] = *request.version_stage;
  return body;
}

json EncodePutSecretValue(const PutSecretValueRequest& request) {
  json body = json::object();
  body["SecretId"] = request.secret_id;
  body["ClientRequestToken"] = request.client_request_token;
  body["SecretString"] = std::string(request.secret_string.expose());
  if (!request.version_stages.empty()) body["VersionStages"] = StringArray(request.version_stages);
  if (request.rotation_token) body["RotationToken"] = std::string(request.rotation_token->expose());
  return body;
}

json EncodeDescribeSecret(const std::string& secret_id) {
  json body = json::object();
  body["SecretId"] = secret_id;
  return body;
}

json EncodeUpdateSecretVersionStage(const UpdateSecretVersionStageRequest& request) {
  json body = json::object();
  body["SecretId"] = request.secret_id;
  body["VersionStage"] = request.version_stage;
  if (request.move_to_version_id) body["MoveToVersionId"] = *request.move_to_version_id;
  if (request.remove_from_version_id) {
    body["RemoveFromVersionId"] = *request.remove_from_version_id;
  }
  return body;
}

json EncodeCreateSecret(const CreateSecretRequest& request) {
  json body = json::object();
  body["Name"] = request.name;
  if (!request.client_request_token.empty()) {
    body["ClientRequestToken"] = request.client_request_token;
  }
  if (!request.secret_string.empty()) {
    body["SecretString"] = std::string(request.secret_string.expose());
  }
  if (request.description) body["Description"] = *request.description;
  if (!request.tags.empty()) {
    json tags = json::array();
    for (const auto& [key, value] : request.tags) tags.push_back({{"Key", key}, {"Value", value}});
    body["Tags"] = std::move(tags);
  }
  return body;
}

json EncodeListSecretVersionIds(const std::string& secret_id, bool include_deprecated,
                                int max_results, const std::optional<std::string>& next_token) {
  json body = json::object();
  body["SecretId"] = secret_id;
  body["MaxResults"] = max_results;
  if (next_token) body["NextToken"] = *next_token;
  if (include_deprecated) body["IncludeDeprecated"] = true;
  return body;
}

void WipeJson(json& document) {
  WipeJsonStrings(document);
  document = nullptr;
}

Result<std::string, std::string> DumpAndWipe(json& document) {
  std::string text;
  bool failed = false;
  try {
    text = document.dump(-1, ' ', false, json::error_handler_t::strict);
  } catch (const json::exception&) {
    failed = true;  // e.what() may quote bytes of the offending string
  }
  WipeJson(document);
  if (failed) return Fail(std::string("a request string is not valid UTF-8"));
  return text;
}

Result<json, std::string> ParseBody(std::string_view body) {
  // Depth-limited, and a repeated key is an error (which SecretString is the secret?).
  auto parsed = ParseJsonLimited<json>(body, kMaxJsonDepth, &WipeJsonStrings<json>);
  if (!parsed) return Fail("the response body " + DescribeJsonError(parsed.error()));
  json document = std::move(*parsed);
  if (!document.is_object()) {
    WipeJson(document);
    return Fail(std::string("the response body is not a JSON object"));
  }
  return document;
}

std::optional<SystemTime> ParseEpochSeconds(const json& value) {
  double seconds = 0;
  if (value.is_number()) {
    seconds = value.get<double>();
  } else if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, seconds);
    if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  // Anything before 1970 or after ~2255 is not a Secrets Manager date (and past 2262 it would
  // overflow SystemTime's 64-bit nanosecond count).
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 9e9) return std::nullopt;
  const auto millis = std::chrono::milliseconds(std::llround(seconds * 1000.0));
  return SystemTime(std::chrono::duration_cast<SystemTime::duration>(millis));
}

Result<SecretValue, std::string> DecodeSecretValue(json& document) {
  SecretValue value;
  Reader reader(document, "GetSecretValue response");
  reader.String("ARN", value.arn);
  reader.String("Name", value.name);
  reader.String("VersionId", value.version_id);
  reader.StringList("VersionStages", value.version_stages);
  reader.Date("CreatedDate", value.created_date);
  // Only checked, never copied: the binary value is as secret as a string one.
  const bool has_binary = reader.Check("SecretBinary", &json::is_string, "a string");
  const bool has_string = reader.Check("SecretString", &json::is_string, "a string");
  if (!reader.ok()) return Fail(reader.error());
  if (!has_string && !has_binary) {
    // An error envelope sent with a success status is not "a secret without a value".
    const auto type = document.find("__type");
    if (type != document.end() && type->is_string()) {
      return Fail("GetSecretValue response is an error envelope (" +
                  SanitizeErrorType(type->get_ref<const std::string&>()) +
                  ") with a success status, not a secret value");
    }
  }
  if (has_string) value.secret_string = TakeSecret(document, "SecretString");
  value.is_binary = has_binary && !has_string;
  return value;
}

Result<PutSecretValueResult, std::string> DecodePutSecretValue(json& document) {
  PutSecretValueResult result;
  Reader reader(document, "PutSecretValue response");
  reader.String("ARN", result.arn);
  reader.String("Name", result.name);
  reader.String("VersionId", result.version_id);
  reader.StringList("VersionStages", result.version_stages);
  if (!reader.ok()) return Fail(reader.error());
  return result;
}

Result<SecretDescription, std::string> DecodeDescribeSecret(json& document) {
  SecretDescription d;
  Reader reader(document, "DescribeSecret response");
  reader.String("ARN", d.arn);
  reader.String("Name", d.name);
  reader.String("Description", d.description);
  reader.String("KmsKeyId", d.kms_key_id);
  reader.Bool("RotationEnabled", d.rotation_enabled);  // absent = never configured = false
  reader.String("RotationLambdaARN", d.rotation_lambda_arn);
  reader.Date("LastRotatedDate", d.last_rotated_date);
  reader.Date("LastChangedDate", d.last_changed_date);
  reader.Date("LastAccessedDate", d.last_accessed_date);
  reader.Date("DeletedDate", d.deleted_date);
  reader.Date("NextRotationDate", d.next_rotation_date);
  reader.Date("CreatedDate", d.created_date);
  if (const json* rules = reader.Object("RotationRules")) {
    RotationRules parsed;
    Reader rules_reader(*rules, "DescribeSecret RotationRules");
    rules_reader.Int("AutomaticallyAfterDays", parsed.automatically_after_days);
    rules_reader.String("Duration", parsed.duration);
    rules_reader.String("ScheduleExpression", parsed.schedule_expression);
    if (!rules_reader.ok()) return Fail(rules_reader.error());
    d.rotation_rules = std::move(parsed);
  }
  if (const json* stages = reader.Object("VersionIdsToStages")) {
    for (const auto& [version_id, labels] : stages->items()) {
      std::vector<std::string> list;
      if (!ToStringList(labels, list)) {
        return Fail("DescribeSecret response VersionIdsToStages['" + version_id +
                    "'] is not a list of strings");
      }
      d.version_ids_to_stages[version_id] = std::move(list);
    }
  }
  if (!reader.ok()) return Fail(reader.error());
  return d;
}

Result<CreateSecretResult, std::string> DecodeCreateSecret(json& document) {
  CreateSecretResult result;
  Reader reader(document, "CreateSecret response");
  reader.String("ARN", result.arn);
  reader.String("Name", result.name);
  reader.String("VersionId", result.version_id);
  if (!reader.ok()) return Fail(reader.error());
  return result;
}

Result<VersionsPage, std::string> DecodeVersionsPage(json& document) {
  VersionsPage page;
  Reader reader(document, "ListSecretVersionIds response");
  reader.String("NextToken", page.next_token);
  if (page.next_token && page.next_token->empty()) page.next_token.reset();
  if (const json* versions = reader.Array("Versions")) {
    for (const auto& item : *versions) {
      SecretVersion version;
      Reader item_reader(item, "ListSecretVersionIds Versions item");
      item_reader.String("VersionId", version.version_id);
      item_reader.StringList("VersionStages", version.version_stages);
      item_reader.Date("CreatedDate", version.created_date);
      if (item_reader.ok() && version.version_id.empty()) item_reader.Fail("has no VersionId");
      if (!item_reader.ok()) return Fail(item_reader.error());
      page.versions.push_back(std::move(version));
    }
  }
  if (!reader.ok()) return Fail(reader.error());
  return page;
}

}  // namespace dbtrotate::aws
