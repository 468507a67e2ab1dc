#ifndef DBTROTATE_DBTCLOUD_HTTP_ERRORS_H_
#define DBTROTATE_DBTCLOUD_HTTP_ERRORS_H_

// Turns an HTTP status or transport failure into a typed dbtcloud::Error whose message says
// which operation failed, on which path (no query, no headers), what dbt said, and what to do.

#include <string>
#include <string_view>

#include "dbtcloud/error.h"
#include "http/client.h"

namespace dbtrotate::dbtcloud {

struct RequestContext {
  std::string operation;  // "create service token"
  http::Method method = http::Method::kGet;
  std::string path;  // "/api/v3/accounts/1/service-tokens/"
  /// Not idempotent: a failure after the request may have arrived leaves the outcome unknown.
  bool create = false;
  /// The credential in use, only so that server text echoing it can be redacted.
  std::string_view secret;
};

/// For a non-2xx status.
Error ErrorFromStatus(const RequestContext& context, const http::Response& response);
/// For a failure without a response.
Error ErrorFromTransport(const RequestContext& context, const http::Error& error);
/// For a 2xx reply we could not read; ambiguous for a create (the token may exist).
Error MalformedResponse(const RequestContext& context, int status, std::string_view why);

/// Replaces `secret` (when at least 6 chars) and anything shaped like a dbt token
/// (dbtc_/dbtu_ + 8 or more token chars) with "<redacted>": the last line of defence against a
/// server that echoes a credential into an error message.
void RedactSecrets(std::string& message, std::string_view secret);

}  // namespace dbtrotate::dbtcloud

#endif  // DBTROTATE_DBTCLOUD_HTTP_ERRORS_H_
