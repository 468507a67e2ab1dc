#include "aws/secretsmanager/error_mapping.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "core/json_limits.h"

namespace dbtrotate::aws {

namespace {

constexpr std::size_t kMaxMessage = 512;

bool OneOf(std::string_view code, std::initializer_list<std::string_view> codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// Keeps messages on one line and bounded: a proxy's HTML error page must not flood a log.
std::string Sanitize(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxMessage)) {
    out.push_back(std::iscntrl(static_cast<unsigned char>(c)) != 0 ? ' ' : c);
  }
  if (text.size() > kMaxMessage) out.append("...");
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string StringMember(const nlohmann::json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

}  // namespace

std::string StripErrorCode(std::string_view raw) {
  raw = raw.substr(0, raw.find(':'));
  if (const auto hash = raw.rfind('#'); hash != std::string_view::npos) {
    raw = raw.substr(hash + 1);
  }
  return std::string(raw);
}

AwsErrorBody ParseErrorResponse(const http::Response& response) {
  AwsErrorBody error;
  std::string raw_code;
  const auto parsed = ParseJsonLimited<nlohmann::json>(response.body);
  const nlohmann::json body = parsed ? *parsed : nlohmann::json();
  if (body.is_object()) {
    raw_code = StringMember(body, "__type");
    error.message = StringMember(body, "message");
    if (error.message.empty()) error.message = StringMember(body, "Message");
  } else if (!response.body.empty()) {
    error.message = response.body;
  }
  if (raw_code.empty()) raw_code = response.HeaderValue("x-amzn-ErrorType").value_or("");
  error.code = StripErrorCode(raw_code);
  if (error.code.empty()) error.code = std::to_string(response.status);
  error.message = Sanitize(error.message);
  return error;
}

bool IsThrottlingCode(std::string_view code) {
  return OneOf(
      code, {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
             "TooManyRequestsException", "ProvisionedThroughputExceededException",
             "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
             "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
             "EC2ThrottledException"});
}

bool IsTransientCode(std::string_view code) {
  return OneOf(code, {"InternalServiceError", "InternalFailure", "InternalServerError",
                      "ServiceUnavailable", "ServiceUnavailableException", "RequestTimeout",
                      "RequestTimeoutException", "PriorRequestNotComplete"});
}

bool IsExpiredTokenCode(std::string_view code) {
  return OneOf(code, {"ExpiredToken", "ExpiredTokenException"});
}

bool IsRetryableResponse(int http_status, std::string_view code) {
  if (code == "LimitExceededException") return false;
  if (IsThrottlingCode(code) || IsTransientCode(code)) return true;
  return http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504;
}

ErrorCode ClassifyErrorCode(std::string_view code, int http_status) {
  if (code == "ResourceNotFoundException") return ErrorCode::kResourceNotFound;
  if (OneOf(code, {"InvalidParameterException", "InvalidNextTokenException", "ValidationError",
                   "ValidationException", "SerializationException", "MissingParameter",
                   "InvalidParameterValue", "InvalidParameterCombination"})) {
    return ErrorCode::kInvalidParameter;
  }
  if (OneOf(code, {"InvalidRequestException", "MalformedPolicyDocumentException",
                   "PreconditionNotMetException", "PublicPolicyException", "InvalidAction",
                   "UnknownOperationException"})) {
    return ErrorCode::kInvalidRequest;
  }
  if (code == "ResourceExistsException") return ErrorCode::kResourceExists;
  if (OneOf(code, {"AccessDeniedException", "AccessDenied", "NotAuthorized", "OptInRequired"})) {
    return ErrorCode::kAccessDenied;
  }
  if (OneOf(code, {"InvalidSignatureException", "UnrecognizedClientException",
                   "IncompleteSignature", "IncompleteSignatureException", "InvalidClientTokenId",
                   "ExpiredToken", "ExpiredTokenException", "MissingAuthenticationToken",
                   "MissingAuthenticationTokenException", "RequestExpired", "SignatureDoesNotMatch",
                   "AuthFailure"})) {
    return ErrorCode::kAuthFailure;
  }
  if (code == "DecryptionFailure") return ErrorCode::kDecryptionFailure;
  if (code == "EncryptionFailure") return ErrorCode::kEncryptionFailure;
  if (code == "LimitExceededException") return ErrorCode::kLimitExceeded;
  if (IsThrottlingCode(code)) return ErrorCode::kThrottling;
  if (IsTransientCode(code)) return ErrorCode::kInternal;
  if (http_status >= 500) return ErrorCode::kInternal;
  if (http_status == 429) return ErrorCode::kThrottling;
  if (http_status == 401) return ErrorCode::kAuthFailure;
  if (http_status == 403) return ErrorCode::kAccessDenied;
  // A bare 404 is a wrong endpoint or path, never "secret not found": that always has a code.
  return ErrorCode::kOther;
}

}  // namespace dbtrotate::aws
