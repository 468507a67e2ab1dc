#ifndef DBTROTATE_DBTCLOUD_ERROR_H_
#define DBTROTATE_DBTCLOUD_ERROR_H_

#include <string>
#include <string_view>

#include "core/result.h"

namespace dbtrotate::dbtcloud {

enum class ErrorCode {
  kUnauthenticated,      // 401: token invalid, deleted, or wrong host for a cell-based account
  kForbiddenOrNotFound,  // 403/404: dbt often answers 404 when the token lacks permission
  kIpRestricted,         // 403 with data.account_access_denied
  kValidation,           // 400, with dbt's user_message
  kRateLimited,          // 429 after retries
  kServer,               // 5xx after retries
  kMalformedResponse,    // not the documented envelope, or a required field missing/mistyped
  kTransport,            // no HTTP response (see http::ErrorKind in the message)
  kInvalidConfig,        // bad access URL, account id, …
};

std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kTransport;
  int http_status = 0;  // 0 when no response arrived
  std::string message;  // what failed, where, and what to do; never a token
  /// The request may have been applied even though it failed: set for every failed create
  /// (any HTTP status, transport error or unreadable reply; a proxy can answer an error for a
  /// request dbt applied), never for other operations.
  bool ambiguous = false;
};

template <class T>
using DbtResult = Result<T, Error>;

}  // namespace dbtrotate::dbtcloud

#endif  // DBTROTATE_DBTCLOUD_ERROR_H_
