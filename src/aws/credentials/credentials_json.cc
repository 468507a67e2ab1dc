#include "aws/credentials/credentials_json.h"

#include <nlohmann/json.hpp>

#include "aws/credentials/text_util.h"
#include "core/iso8601.h"
#include "core/json_limits.h"
#include "core/json_wipe.h"
#include "core/secret_string.h"

namespace dbtrotate::aws {

namespace {

class JsonWiper {
 public:
  explicit JsonWiper(nlohmann::json& value) : value_(value) {}
  ~JsonWiper() { WipeJsonStrings(value_); }
  JsonWiper(const JsonWiper&) = delete;
  JsonWiper& operator=(const JsonWiper&) = delete;

 private:
  nlohmann::json& value_;
};

}  // namespace

Result<Credentials, std::string> ParseCredentialsJson(std::string_view body,
                                                      const CredentialsJsonShape& shape) {
  const std::string what(shape.what);
  // Depth-limited, a repeated key refused (which SecretAccessKey is the real one?).
  auto body_json =
      ParseJsonLimited<nlohmann::json>(body, kMaxJsonDepth, &WipeJsonStrings<nlohmann::json>);
  if (!body_json) {
    return Fail(what + " returned a body that " + DescribeJsonError(body_json.error()));
  }
  nlohmann::json doc = std::move(*body_json);
  JsonWiper wiper(doc);
  if (!doc.is_object()) return Fail(what + " returned JSON that is not an object");

  if (shape.require_version_1) {
    auto version = doc.find("Version");
    if (version == doc.end()) return Fail(what + " returned JSON without \"Version\": 1");
    if (!version->is_number_integer() || version->get<long long>() != 1) {
      return Fail(what + " returned an unsupported \"Version\" (only 1 is supported)");
    }
  }
  if (shape.check_code) {
    auto code = doc.find("Code");
    if (code != doc.end() && (!code->is_string() || code->get<std::string>() != "Success")) {
      std::string detail = code->is_string() ? Printable(code->get<std::string>(), 100) : "?";
      auto message = doc.find("Message");
      if (message != doc.end() && message->is_string()) {
        detail += ": " + Printable(message->get<std::string>(), 300);
      }
      return Fail(what + " reported an error (Code " + detail + ")");
    }
  }

  auto string_field = [&](std::string_view name, bool required,
                          std::string* out) -> Result<bool, std::string> {
    auto it = doc.find(name);
    if (it == doc.end() || it->is_null()) {
      if (required) return Fail(what + " returned no " + std::string(name));
      return false;
    }
    if (!it->is_string())
      return Fail(what + " returned a " + std::string(name) + " that is not a string");
    *out = it->get<std::string>();
    if (out->empty()) {
      if (required) return Fail(what + " returned an empty " + std::string(name));
      return false;
    }
    return true;
  };

  Credentials credentials;
  std::string value;
  auto has = string_field("AccessKeyId", true, &credentials.access_key_id);
  if (!has) return Fail(std::move(has.error()));
  has = string_field("SecretAccessKey", true, &value);
  if (!has) return Fail(std::move(has.error()));
  credentials.secret_access_key = SecretString(std::move(value));
  has = string_field(shape.token_field, shape.token_required, &value);
  if (!has) return Fail(std::move(has.error()));
  if (*has) credentials.session_token = SecretString(std::move(value));

  std::string expiration;
  has = string_field("Expiration", shape.expiration_required, &expiration);
  if (!has) return Fail(std::move(has.error()));
  if (*has) {
    auto parsed = ParseIso8601(expiration);
    if (!parsed) {
      return Fail(what + " returned an Expiration that is not an ISO 8601 timestamp (\"" +
                  Printable(expiration, 40) + "\")");
    }
    credentials.expiration = *parsed;
  }
  return credentials;
}

}  // namespace dbtrotate::aws
