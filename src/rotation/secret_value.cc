#include "rotation/secret_value.h"

#include <fmt/format.h>

#include <cstdint>
#include <limits>

#include "dbtcloud/access_url.h"
#include "rotation/iso_time.h"

namespace dbtrotate::rotation {
namespace {

constexpr const char* kToolKeys[] = {
    kKeyTokenId,   kKeyToken,           kKeyLastRotated,         kKeyAccountId,
    kKeyAccessUrl, kKeyPreviousTokenId, kKeyPreviousRevokeAfter, kKeyRotationId};

Error Malformed(std::string_view where, std::string message) {
  return Error{ErrorCode::kMalformedSecret, fmt::format("{}: {}", where, message)};
}

const char* TypeName(const Json& value) {
  if (value.is_number_integer()) return "an integer";
  return value.type_name();
}

// A positive integer key; nullopt when absent or null.
RotationResult<std::optional<std::int64_t>> ReadId(const Json& doc, const char* key,
                                                   std::string_view where) {
  auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return std::optional<std::int64_t>{};
  if (!it->is_number_integer()) {
    return Fail(Malformed(
        where, fmt::format("key '{}' must be an integer id, found {}", key, TypeName(*it))));
  }
  if (it->is_number_unsigned() &&
      it->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return Fail(Malformed(where, fmt::format("key '{}' is out of range", key)));
  }
  const auto value = it->get<std::int64_t>();
  if (value <= 0) {
    return Fail(Malformed(where, fmt::format("key '{}' must be a positive id", key)));
  }
  return std::optional<std::int64_t>{value};
}

RotationResult<std::optional<std::string>> ReadString(const Json& doc, const char* key,
                                                      std::string_view where) {
  auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return std::optional<std::string>{};
  if (!it->is_string()) {
    return Fail(
        Malformed(where, fmt::format("key '{}' must be a string, found {}", key, TypeName(*it))));
  }
  const std::string* text = it->get_ptr<const std::string*>();
  if (text == nullptr || text->empty()) {
    return Fail(Malformed(where, fmt::format("key '{}' is empty", key)));
  }
  return std::optional<std::string>{*text};
}

RotationResult<std::optional<SystemTime>> ReadTime(const Json& doc, const char* key,
                                                   std::string_view where) {
  auto text = ReadString(doc, key, where);
  if (!text) return Fail(std::move(text).error());
  if (!text->has_value()) return std::optional<SystemTime>{};
  auto time = ParseIsoTime(**text);
  if (!time) {
    return Fail(Malformed(where, fmt::format("key '{}' is not an ISO 8601 date-time (e.g. "
                                             "2025-02-24T18:03:12.123456+00:00)",
                                             key)));
  }
  return std::optional<SystemTime>{*time};
}

// A token is sent in an HTTP header: whitespace or control characters (a pasted newline)
// would make dbt reject it, so say so here rather than as a confusing 401 later.
bool PlausibleToken(std::string_view token) {
  for (char c : token) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return false;
  }
  return true;
}

// Generous upper bounds for what a rotation writes: dbt's tokens are 55 characters today,
// an owner-tagged rotation id is a UUID plus host, boot id, pid and start time.
constexpr std::size_t kLongestToken = 512;
constexpr std::size_t kLongestRotationId = 512;

}  // namespace

TokenSecret TokenSecret::Clone() const {
  TokenSecret copy;
  copy.service_token_id = service_token_id;
  copy.service_token = service_token.Clone();
  copy.last_rotated = last_rotated;
  copy.account_id = account_id;
  copy.access_url = access_url;
  copy.previous_service_token_id = previous_service_token_id;
  copy.previous_revoke_after = previous_revoke_after;
  copy.rotation_id = rotation_id;
  copy.document = document.Clone();
  return copy;
}

RotationResult<TokenSecret> ParseTokenSecret(const aws::SecretValue& value, SecretRole role,
                                             std::string_view where) {
  if (value.is_binary) {
    return Fail(Malformed(where,
                          "holds a binary value (SecretBinary); dbt-rotate needs a JSON "
                          "SecretString with service_token_id and service_token"));
  }
  if (!value.secret_string) {
    return Fail(Malformed(where,
                          "has no value (neither SecretString nor SecretBinary); dbt-rotate needs "
                          "a JSON SecretString with service_token_id and service_token"));
  }
  auto document = SecretJson::Parse(value.secret_string->expose());
  if (!document) {
    return Fail(Malformed(where, fmt::format("{}; expected a JSON object like "
                                             "{{\"service_token_id\": …, \"service_token\": …}}",
                                             DescribeJsonError(document.error()))));
  }
  return ParseTokenSecret(std::move(*document), role, where);
}

RotationResult<TokenSecret> ParseTokenSecret(SecretJson document, SecretRole role,
                                             std::string_view where) {
  const Json& doc = document.doc();
  if (!doc.is_object()) {
    return Fail(
        Malformed(where, fmt::format("is JSON {} but must be a JSON object", TypeName(doc))));
  }
  for (const char* key : kToolKeys) {
    if (document.overflowed().count(key) > 0) {
      return Fail(
          Malformed(where, fmt::format("key '{}' holds a number too large for a double", key)));
    }
  }
  TokenSecret secret;
  auto id = ReadId(doc, kKeyTokenId, where);
  if (!id) return Fail(std::move(id).error());
  if (!id->has_value() && role == SecretRole::kRotated) {
    return Fail(Malformed(where, fmt::format("key '{}' is missing", kKeyTokenId)));
  }
  secret.service_token_id = id->value_or(0);

  auto token_it = doc.find(kKeyToken);
  if (token_it == doc.end() || token_it->is_null()) {
    return Fail(Malformed(where, fmt::format("key '{}' is missing", kKeyToken)));
  }
  if (!token_it->is_string()) {
    return Fail(Malformed(
        where, fmt::format("key '{}' must be a string, found {}", kKeyToken, TypeName(*token_it))));
  }
  const auto& token = token_it->get_ref<const std::string&>();
  if (token.empty()) return Fail(Malformed(where, fmt::format("key '{}' is empty", kKeyToken)));
  if (!PlausibleToken(token)) {
    return Fail(Malformed(where, fmt::format("key '{}' contains whitespace or control "
                                             "characters (a pasted newline?)",
                                             kKeyToken)));
  }
  secret.service_token = SecretString::CopyOf(token);

  auto last_rotated = ReadTime(doc, kKeyLastRotated, where);
  if (!last_rotated) return Fail(std::move(last_rotated).error());
  secret.last_rotated = *last_rotated;

  auto account_id = ReadId(doc, kKeyAccountId, where);
  if (!account_id) return Fail(std::move(account_id).error());
  secret.account_id = *account_id;

  auto access_url = ReadString(doc, kKeyAccessUrl, where);
  if (!access_url) return Fail(std::move(access_url).error());
  if (*access_url) {
    // Checked here like --access-url, so the reason is given and the URL (it may carry
    // user:password) is never echoed by a later "cannot reach" message.
    if (auto url = dbtcloud::ParseAccessUrl(**access_url); !url) {
      return Fail(
          Malformed(where, fmt::format("key '{}': {}", kKeyAccessUrl, url.error().message)));
    }
  }
  secret.access_url = *access_url;

  auto previous = ReadId(doc, kKeyPreviousTokenId, where);
  if (!previous) return Fail(std::move(previous).error());
  secret.previous_service_token_id = *previous;

  auto revoke_after = ReadTime(doc, kKeyPreviousRevokeAfter, where);
  if (!revoke_after) return Fail(std::move(revoke_after).error());
  secret.previous_revoke_after = *revoke_after;
  if (secret.previous_revoke_after && !secret.previous_service_token_id) {
    return Fail(Malformed(where, fmt::format("key '{}' is set but '{}' is missing",
                                             kKeyPreviousRevokeAfter, kKeyPreviousTokenId)));
  }

  auto rotation_id = ReadString(doc, kKeyRotationId, where);
  if (!rotation_id) return Fail(std::move(rotation_id).error());
  secret.rotation_id = *rotation_id;

  secret.document = std::move(document);
  return secret;
}

RotationResult<void> CheckNextValueFits(const TokenSecret& current, std::string_view access_url,
                                        std::string_view where) {
  TokenSecret next = current.Clone();
  const std::int64_t longest_id = std::numeric_limits<std::int64_t>::max();
  const SystemTime a_time{};  // every time is written in the same fixed-width format
  next.service_token_id = longest_id;
  next.service_token = SecretString(std::string(kLongestToken, 'x'));
  next.last_rotated = a_time;
  next.account_id = longest_id;
  next.access_url = std::string(access_url);
  next.previous_service_token_id = longest_id;
  next.previous_revoke_after = a_time;
  next.rotation_id = std::string(kLongestRotationId, 'x');
  const std::size_t size = SerializeTokenSecret(next).size();
  if (size <= kMaxSecretStringBytes) return {};
  return Fail(Malformed(
      where, fmt::format("is too large to rotate: with the keys dbt-rotate adds, the next value "
                         "could be {} bytes, and Secrets Manager allows 65,536. Move other keys "
                         "out of this secret ({} bytes now); nothing was changed",
                         size, current.document.Serialize().size())));
}

SecretString SerializeTokenSecret(const TokenSecret& secret) {
  SecretJson out = secret.document.Clone();
  for (const char* key : kToolKeys) out.ForgetOriginal(key);  // written from `secret` below
  Json& doc = out.doc();
  if (!doc.is_object()) doc = Json::object();
  auto set_or_erase = [&doc](const char* key, auto&& value, bool present) {
    if (present) {
      doc[key] = value;
    } else {
      doc.erase(key);
    }
  };
  if (secret.service_token_id > 0) doc[kKeyTokenId] = secret.service_token_id;
  {
    // Wipe the token being replaced before the document frees it, and our temporary after.
    auto old = doc.find(kKeyToken);
    if (old != doc.end() && old->is_string()) WipeString(old->get_ref<std::string&>());
    std::string token(secret.service_token.expose());
    doc[kKeyToken] = std::move(token);
    WipeString(token);  // NOLINT(bugprone-use-after-move): short strings copy, wipe what is left
  }
  set_or_erase(kKeyLastRotated,
               secret.last_rotated ? FormatIsoTime(*secret.last_rotated) : std::string(),
               secret.last_rotated.has_value());
  set_or_erase(kKeyAccountId, secret.account_id.value_or(0), secret.account_id.has_value());
  set_or_erase(kKeyAccessUrl, secret.access_url.value_or(""), secret.access_url.has_value());
  set_or_erase(kKeyPreviousTokenId, secret.previous_service_token_id.value_or(0),
               secret.previous_service_token_id.has_value());
  set_or_erase(
      kKeyPreviousRevokeAfter,
      secret.previous_revoke_after ? FormatIsoTime(*secret.previous_revoke_after) : std::string(),
      secret.previous_revoke_after.has_value());
  set_or_erase(kKeyRotationId, secret.rotation_id.value_or(""), secret.rotation_id.has_value());
  return out.Serialize();
}

}  // namespace dbtrotate::rotation
