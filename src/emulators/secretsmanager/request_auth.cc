#include "emulators/secretsmanager/request_auth.h"

#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <optional>
#include <utility>

#include "aws/sigv4/canonical.h"
#include "aws/sigv4/crypto.h"
#include "aws/sigv4/verifier.h"
#include "core/ascii.h"

namespace dbtrotate::emulators::secretsmanager {
namespace {

namespace sigv4 = aws::sigv4;

constexpr char kService[] = "secretsmanager";
constexpr auto kMaxSkew = std::chrono::minutes(15);
constexpr char kInvalidToken[] = "The security token included in the request is invalid.";
constexpr char kSignatureMismatch[] =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

std::optional<std::string> FindHeader(const std::vector<http::Header>* headers,
                                      std::string_view lower_name) {
  if (headers == nullptr) return std::nullopt;
  for (const http::Header& header : *headers) {
    if (AsciiLower(header.name) == lower_name) return header.value;
  }
  return std::nullopt;
}

bool IsSigned(const sigv4::ParsedAuthorization& authorization, std::string_view name) {
  for (const std::string& signed_name : authorization.signed_headers) {
    if (signed_name == name) return true;
  }
  return false;
}

ApiError Err(ApiErrorCode code, std::string message) { return ApiError{code, std::move(message)}; }

}  // namespace

RequestAuthenticator::RequestAuthenticator(std::string region, Clock& clock)
    : region_(std::move(region)), clock_(clock) {}

void RequestAuthenticator::AddCredentials(const aws::Credentials& credentials) {
  std::lock_guard lock(mutex_);
  credentials_.insert_or_assign(credentials.access_key_id,
                                Entry{credentials.secret_access_key.Clone(),
                                      credentials.session_token.Clone(), credentials.expiration});
}

void RequestAuthenticator::RemoveCredentials(std::string_view access_key_id) {
  std::lock_guard lock(mutex_);
  if (auto it = credentials_.find(access_key_id); it != credentials_.end()) credentials_.erase(it);
}

ApiResult<void> RequestAuthenticator::Authenticate(const ReceivedRequest& request) {
  const sigv4::RequestView view{request.method, request.path, request.query, request.headers,
                                request.body};
  auto parsed = sigv4::ParseRequestAuthorization(view);
  if (!parsed) {
    if (parsed.error().failure == sigv4::VerifyFailure::kMissingAuthorization) {
      return Fail(Err(ApiErrorCode::kMissingAuthenticationToken,
                      "Request is missing Authentication Token"));
    }
    return Fail(Err(ApiErrorCode::kIncompleteSignature, parsed.error().message));
  }
  const sigv4::ParsedAuthorization& authorization = *parsed;

  const std::optional<std::string> amz_date = FindHeader(request.headers, "x-amz-date");
  if (!amz_date) {
    return Fail(Err(ApiErrorCode::kIncompleteSignature,
                    "Authorization header requires existence of either a 'X-Amz-Date' or a "
                    "'Date' header."));
  }
  const std::optional<SystemTime> signed_at = sigv4::ParseAmzDate(*amz_date);
  if (!signed_at) {
    return Fail(Err(ApiErrorCode::kIncompleteSignature,
                    fmt::format("X-Amz-Date '{}' is not in ISO 8601 basic format "
                                "(YYYYMMDD'T'HHMMSS'Z').",
                                *amz_date)));
  }
  if (!IsSigned(authorization, "host")) {
    return Fail(Err(ApiErrorCode::kIncompleteSignature,
                    "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."));
  }
  if (!IsSigned(authorization, "x-amz-date")) {
    return Fail(Err(ApiErrorCode::kIncompleteSignature,
                    "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization."));
  }
  if (authorization.date != amz_date->substr(0, 8)) {
    return Fail(Err(ApiErrorCode::kInvalidSignature,
                    fmt::format("Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                                "version of date from HTTP: '{}' != '{}', from 'X-Amz-Date'.",
                                authorization.date, amz_date->substr(0, 8))));
  }
  if (authorization.region != region_) {
    return Fail(Err(ApiErrorCode::kInvalidSignature,
                    fmt::format("Credential should be scoped to a valid region, not '{}'. ",
                                authorization.region)));
  }
  if (authorization.service != kService) {
    return Fail(
        Err(ApiErrorCode::kInvalidSignature,
            fmt::format("Credential should be scoped to correct service: '{}'. ", kService)));
  }
  const SystemTime now = clock_.Now();
  if (*signed_at < now - kMaxSkew) {
    return Fail(
        Err(ApiErrorCode::kInvalidSignature,
            fmt::format("Signature expired: {} is now earlier than {} ({} - 15 min.)", *amz_date,
                        sigv4::FormatAmzDate(now - kMaxSkew), sigv4::FormatAmzDate(now))));
  }
  if (*signed_at > now + kMaxSkew) {
    return Fail(Err(
        ApiErrorCode::kInvalidSignature,
        fmt::format("Signature not yet current: {} is still later than {} ({} + 15 "
                    "min.)",
                    *amz_date, sigv4::FormatAmzDate(now + kMaxSkew), sigv4::FormatAmzDate(now))));
  }

  std::lock_guard lock(mutex_);
  const auto entry = credentials_.find(authorization.access_key_id);
  if (entry == credentials_.end()) {
    return Fail(Err(ApiErrorCode::kUnrecognizedClient, kInvalidToken));
  }
  // Temporary credentials are only valid with their session token, and only until they expire.
  const std::optional<std::string> token = FindHeader(request.headers, "x-amz-security-token");
  if (entry->second.session_token.empty()) {
    if (token) return Fail(Err(ApiErrorCode::kUnrecognizedClient, kInvalidToken));
  } else if (!token || !sigv4::ConstantTimeEquals(*token, entry->second.session_token.expose())) {
    return Fail(Err(ApiErrorCode::kUnrecognizedClient, kInvalidToken));
  }
  if (entry->second.expiration && now >= *entry->second.expiration) {
    return Fail(
        Err(ApiErrorCode::kExpiredToken, "The security token included in the request is expired"));
  }

  sigv4::VerifyOptions options;
  options.region = region_;
  options.service = kService;
  options.now = now;
  options.max_skew = std::chrono::duration_cast<std::chrono::seconds>(kMaxSkew);
  options.require_amz_headers_signed = require_amz_headers_signed_;
  auto verified = sigv4::VerifySignature(view, authorization,
                                         entry->second.secret_access_key.expose(), options);
  if (!verified) {
    switch (verified.error().failure) {
      case sigv4::VerifyFailure::kSignatureMismatch:
        return Fail(Err(ApiErrorCode::kInvalidSignature, kSignatureMismatch));
      case sigv4::VerifyFailure::kHeaderNotSigned:
        return Fail(Err(ApiErrorCode::kIncompleteSignature,
                        verified.error().message + " in the AWS Authorization."));
      case sigv4::VerifyFailure::kMalformed:
        return Fail(Err(ApiErrorCode::kIncompleteSignature, verified.error().message));
      default:
        return Fail(Err(ApiErrorCode::kInvalidSignature, verified.error().message));
    }
  }
  return {};
}

}  // namespace dbtrotate::emulators::secretsmanager
