#ifndef DBTROTATE_AWS_SECRETSMANAGER_ERROR_MAPPING_H_
#define DBTROTATE_AWS_SECRETSMANAGER_ERROR_MAPPING_H_

// How an AWS JSON 1.1 error response becomes an aws::Error (reference §1.2) and which ones are
// worth retrying (§6, standard retry mode).

#include <string>
#include <string_view>

#include "aws/secretsmanager/error.h"
#include "http/client.h"

namespace dbtrotate::aws {

struct AwsErrorBody {
  std::string code;     // stripped: after the last '#', before the first ':'
  std::string message;  // `message`, else `Message`, else a non-JSON body (shortened)
};

/// code = body `__type`, else header `x-amzn-ErrorType`, else the HTTP status as text.
AwsErrorBody ParseErrorResponse(const http::Response& response);

/// "com.amazon.coral.service#UnrecognizedClientException:http://…" → "UnrecognizedClientException".
std::string StripErrorCode(std::string_view raw);

/// The typed class of an AWS error code, falling back on the HTTP status.
ErrorCode ClassifyErrorCode(std::string_view aws_code, int http_status);

/// The standard-mode throttling codes (§6).
bool IsThrottlingCode(std::string_view aws_code);

/// Server-side transient failures retried whatever their status.
bool IsTransientCode(std::string_view aws_code);

/// ExpiredToken / ExpiredTokenException: refresh credentials, retry once.
bool IsExpiredTokenCode(std::string_view aws_code);

/// Standard mode: HTTP 500/502/503/504, throttling codes (except LimitExceededException, which for
/// Secrets Manager is a quota, so we fail fast as §6 recommends) and transient codes.
bool IsRetryableResponse(int http_status, std::string_view aws_code);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_SECRETSMANAGER_ERROR_MAPPING_H_
