#include "emulators/secretsmanager/api_error.h"

#include <nlohmann/json.hpp>

namespace dbtrotate::emulators::secretsmanager {

std::string_view ErrorCodeName(ApiErrorCode code) {
  switch (code) {
    case ApiErrorCode::kResourceNotFound:
      return "ResourceNotFoundException";
    case ApiErrorCode::kInvalidParameter:
      return "InvalidParameterException";
    case ApiErrorCode::kInvalidRequest:
      return "InvalidRequestException";
    case ApiErrorCode::kResourceExists:
      return "ResourceExistsException";
    case ApiErrorCode::kLimitExceeded:
      return "LimitExceededException";
    case ApiErrorCode::kInvalidNextToken:
      return "InvalidNextTokenException";
    case ApiErrorCode::kDecryptionFailure:
      return "DecryptionFailure";
    case ApiErrorCode::kEncryptionFailure:
      return "EncryptionFailure";
    case ApiErrorCode::kInternalServiceError:
      return "InternalServiceError";
    case ApiErrorCode::kValidation:
      return "ValidationException";
    case ApiErrorCode::kSerialization:
      return "SerializationException";
    case ApiErrorCode::kUnknownOperation:
      return "UnknownOperationException";
    case ApiErrorCode::kMissingAuthenticationToken:
      return "MissingAuthenticationTokenException";
    case ApiErrorCode::kIncompleteSignature:
      return "IncompleteSignatureException";
    case ApiErrorCode::kInvalidSignature:
      return "InvalidSignatureException";
    case ApiErrorCode::kUnrecognizedClient:
      return "UnrecognizedClientException";
    case ApiErrorCode::kExpiredToken:
      return "ExpiredTokenException";
    case ApiErrorCode::kAccessDenied:
      return "AccessDeniedException";
    case ApiErrorCode::kThrottling:
      return "ThrottlingException";
  }
  return "InternalServiceError";
}

bool UsesLowercaseMessage(ApiErrorCode code) {
  switch (code) {
    case ApiErrorCode::kValidation:
    case ApiErrorCode::kSerialization:
    case ApiErrorCode::kUnknownOperation:
    case ApiErrorCode::kMissingAuthenticationToken:
    case ApiErrorCode::kIncompleteSignature:
    case ApiErrorCode::kInvalidSignature:
    case ApiErrorCode::kUnrecognizedClient:
    case ApiErrorCode::kExpiredToken:
    case ApiErrorCode::kAccessDenied:
    case ApiErrorCode::kThrottling:
      return true;
    default:
      return false;
  }
}

std::string WireErrorType(ApiErrorCode code) {
  std::string name(ErrorCodeName(code));
  if (code == ApiErrorCode::kValidation) return "com.amazon.coral.validate#" + name;
  if (UsesLowercaseMessage(code)) return "com.amazon.coral.service#" + name;
  return name;
}

int HttpStatusFor(ApiErrorCode code) {
  return code == ApiErrorCode::kInternalServiceError ? 500 : 400;
}

std::string ErrorBody(const ApiError& error) {
  nlohmann::json body = nlohmann::json::object();
  body["__type"] = WireErrorType(error.code);
  body[UsesLowercaseMessage(error.code) ? "message" : "Message"] = error.message;
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dbtrotate::emulators::secretsmanager
