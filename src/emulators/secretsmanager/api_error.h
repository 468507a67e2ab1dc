#ifndef DBTROTATE_EMULATORS_SECRETSMANAGER_API_ERROR_H_
#define DBTROTATE_EMULATORS_SECRETSMANAGER_API_ERROR_H_

// The errors the emulated Secrets Manager answers with (reference §1.2). Service-modelled
// errors carry `Message`; the front end (validation, serialization, authentication) answers with
// a `com.amazon.coral...#Code` type and a lowercase `message`, as real AWS JSON services do.

#include <string>
#include <string_view>

#include "core/result.h"

namespace dbtrotate::emulators::secretsmanager {

enum class ApiErrorCode {
  // Modelled by Secrets Manager (shape member `Message`).
  kResourceNotFound,
  kInvalidParameter,
  kInvalidRequest,
  kResourceExists,
  kLimitExceeded,
  kInvalidNextToken,
  kDecryptionFailure,
  kEncryptionFailure,
  kInternalServiceError,
  // Front end (lowercase `message`).
  kValidation,
  kSerialization,
  kUnknownOperation,
  kMissingAuthenticationToken,
  kIncompleteSignature,
  kInvalidSignature,
  kUnrecognizedClient,
  kExpiredToken,
  kAccessDenied,
  kThrottling,
};

struct ApiError {
  ApiErrorCode code = ApiErrorCode::kInternalServiceError;
  std::string message;  // never contains a secret value or key material
};

template <class T>
using ApiResult = Result<T, ApiError>;

/// The bare code as clients see it after stripping, e.g. "ResourceNotFoundException".
std::string_view ErrorCodeName(ApiErrorCode code);

/// The `__type` written on the wire: the bare code for modelled errors,
/// "com.amazon.coral.service#Code" / "com.amazon.coral.validate#ValidationException" otherwise.
std::string WireErrorType(ApiErrorCode code);

/// 500 for InternalServiceError, 400 for everything else (reference §1.2, CommonErrors).
int HttpStatusFor(ApiErrorCode code);

/// True for front-end errors, whose body member is `message` rather than `Message`.
bool UsesLowercaseMessage(ApiErrorCode code);

/// `{"__type":…,"Message"|"message":…}`.
std::string ErrorBody(const ApiError& error);

}  // namespace dbtrotate::emulators::secretsmanager

#endif  // DBTROTATE_EMULATORS_SECRETSMANAGER_API_ERROR_H_
