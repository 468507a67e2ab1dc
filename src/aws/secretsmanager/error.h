#ifndef DBTROTATE_AWS_SECRETSMANAGER_ERROR_H_
#define DBTROTATE_AWS_SECRETSMANAGER_ERROR_H_

#include <string>
#include <string_view>

#include "core/result.h"

namespace dbtrotate::aws {

enum class ErrorCode {
  kResourceNotFound,  // secret, version or stage not found (also: version without a value)
  kInvalidParameter,
  kInvalidRequest,  // wrong state: marked for deletion, stage/version mismatch, …
  kResourceExists,  // name exists, or ClientRequestToken reused with other data
  kAccessDenied,
  kAuthFailure,        // InvalidSignature, UnrecognizedClient, ExpiredToken, IncompleteSignature…
  kDecryptionFailure,  // KMS
  kEncryptionFailure,  // KMS
  kLimitExceeded,
  kThrottling,  // after retries
  kInternal,    // InternalServiceError / 5xx after retries
  kMalformedResponse,
  kTransport,      // no HTTP response
  kNoCredentials,  // the credential chain found nothing
  kInvalidConfig,  // region, endpoint, profile problems
  kOther,
};

std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kOther;
  std::string aws_code;    // `__type` after stripping, e.g. "ResourceNotFoundException"
  std::string message;     // AWS's message kept, plus where; never a secret value
  int http_status = 0;     // 0 when no response arrived
  std::string request_id;  // x-amzn-RequestId, for support cases
  /// The write may have been applied although the call failed (reply lost).
  bool ambiguous = false;
};

template <class T>
using AwsResult = Result<T, Error>;

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_SECRETSMANAGER_ERROR_H_
