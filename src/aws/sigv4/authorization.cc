#include "aws/sigv4/authorization.h"

#include <cctype>
#include <optional>

#include "aws/sigv4/canonical.h"

namespace dbtrotate::aws::sigv4 {

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    out.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsDate(std::string_view text) {
  if (text.size() != 8) return false;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

}  // namespace

std::string ParsedAuthorization::Scope() const { return CredentialScope(date, region, service); }

Result<ParsedAuthorization, std::string> ParseAuthorization(std::string_view header_value) {
  std::string_view value = Trim(header_value);
  const std::string_view algorithm(kAlgorithm);
  if (value.substr(0, algorithm.size()) != algorithm ||
      (value.size() > algorithm.size() &&
       std::isspace(static_cast<unsigned char>(value[algorithm.size()])) == 0)) {
    return Fail(std::string("Authorization header does not use AWS4-HMAC-SHA256"));
  }
  value.remove_prefix(algorithm.size());

  std::optional<std::string_view> credential;
  std::optional<std::string_view> signed_headers;
  std::optional<std::string_view> signature;
  for (std::string_view part : Split(value, ',')) {
    part = Trim(part);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) {
      return Fail("Authorization header part '" + std::string(part.substr(0, 32)) +
                  "' is not key=value");
    }
    const std::string_view key = part.substr(0, eq);
    const std::string_view val = part.substr(eq + 1);
    std::optional<std::string_view>* slot = nullptr;
    if (key == "Credential") slot = &credential;
    if (key == "SignedHeaders") slot = &signed_headers;
    if (key == "Signature") slot = &signature;
    if (slot == nullptr) {
      return Fail("Authorization header has an unknown part '" + std::string(key.substr(0, 32)) +
                  "'");
    }
    if (slot->has_value()) {
      return Fail("Authorization header repeats '" + std::string(key) + "'");
    }
    *slot = val;
  }
  if (!credential) return Fail(std::string("Authorization header has no Credential"));
  if (!signed_headers) return Fail(std::string("Authorization header has no SignedHeaders"));
  if (!signature) return Fail(std::string("Authorization header has no Signature"));

  ParsedAuthorization parsed;
  const auto scope = Split(*credential, '/');
  if (scope.size() != 5 || scope[0].empty() || !IsDate(scope[1]) || scope[2].empty() ||
      scope[3].empty() || scope[4] != "aws4_request") {
    return Fail(std::string(
        "Authorization Credential is not <access key>/<YYYYMMDD>/<region>/<service>/aws4_request"));
  }
  parsed.access_key_id = std::string(scope[0]);
  parsed.date = std::string(scope[1]);
  parsed.region = std::string(scope[2]);
  parsed.service = std::string(scope[3]);

  for (std::string_view name : Split(*signed_headers, ';')) {
    if (name.empty()) return Fail(std::string("Authorization SignedHeaders has an empty name"));
    parsed.signed_headers.emplace_back(name);
  }
  if (signature->size() != 64 || !IsLowerHex(*signature)) {
    return Fail(std::string("Authorization Signature is not 64 lowercase hex digits"));
  }
  parsed.signature = std::string(*signature);
  return parsed;
}

std::string FormatAuthorization(std::string_view access_key_id, std::string_view scope,
                                std::string_view signed_headers, std::string_view signature) {
  std::string out(kAlgorithm);
  out.append(" Credential=")
      .append(access_key_id)
      .append("/")
      .append(scope)
      .append(", SignedHeaders=")
      .append(signed_headers)
      .append(", Signature=")
      .append(signature);
  return out;
}

}  // namespace dbtrotate::aws::sigv4
