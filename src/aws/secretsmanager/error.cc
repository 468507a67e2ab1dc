#include "aws/secretsmanager/error.h"

namespace dbtrotate::aws {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kResourceNotFound:
      return "resource not found";
    case ErrorCode::kInvalidParameter:
      return "invalid parameter";
    case ErrorCode::kInvalidRequest:
      return "invalid request";
    case ErrorCode::kResourceExists:
      return "resource exists";
    case ErrorCode::kAccessDenied:
      return "access denied";
    case ErrorCode::kAuthFailure:
      return "authentication failure";
    case ErrorCode::kDecryptionFailure:
      return "KMS decryption failure";
    case ErrorCode::kEncryptionFailure:
      return "KMS encryption failure";
    case ErrorCode::kLimitExceeded:
      return "limit exceeded";
    case ErrorCode::kThrottling:
      return "throttled";
    case ErrorCode::kInternal:
      return "internal service error";
    case ErrorCode::kMalformedResponse:
      return "malformed response";
    case ErrorCode::kTransport:
      return "transport error";
    case ErrorCode::kNoCredentials:
      return "no credentials";
    case ErrorCode::kInvalidConfig:
      return "invalid configuration";
    case ErrorCode::kOther:
      return "error";
  }
  return "error";
}

}  // namespace dbtrotate::aws
