#ifndef DBTROTATE_AWS_CREDENTIALS_CREDENTIALS_JSON_H_
#define DBTROTATE_AWS_CREDENTIALS_CREDENTIALS_JSON_H_

// The JSON credential documents of IMDS, the container endpoint and credential_process
// (reference §5.6–5.8). They differ only in the token field's name and in what is required.

#include <string>
#include <string_view>

#include "aws/credentials/credentials.h"
#include "core/result.h"

namespace dbtrotate::aws {

struct CredentialsJsonShape {
  std::string_view what;         // "the container credentials endpoint", for messages
  std::string_view token_field;  // "Token" (IMDS, container) or "SessionToken" (process)
  bool token_required = false;
  bool expiration_required = false;
  /// credential_process: "Version" must be the number 1.
  bool require_version_1 = false;
  /// IMDS: a "Code" other than "Success" is an error even with HTTP 200.
  bool check_code = false;
};

/// Parses and validates the document. Messages name missing or mistyped fields, never values.
/// The caller keeps `body` and wipes it; string values copied out of the parse tree are wiped.
Result<Credentials, std::string> ParseCredentialsJson(std::string_view body,
                                                      const CredentialsJsonShape& shape);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_CREDENTIALS_JSON_H_
