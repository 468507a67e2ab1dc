#ifndef DBTROTATE_AWS_SIGV4_AUTHORIZATION_H_
#define DBTROTATE_AWS_SIGV4_AUTHORIZATION_H_

// The `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header
// (reference §4.4): formatting for clients, parsing for servers that verify signatures.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dbtrotate::aws::sigv4 {

struct ParsedAuthorization {
  std::string access_key_id;
  std::string date;  // YYYYMMDD from the credential scope
  std::string region;
  std::string service;
  std::vector<std::string> signed_headers;  // as listed (lowercase, sorted by the signer)
  std::string signature;                    // 64 lowercase hex digits

  /// `date/region/service/aws4_request`.
  std::string Scope() const;
};

/// Parses the header value. Accepts the three parts in any order, with or without spaces after
/// the commas. Fails (message says which part) on another algorithm, a missing part, a scope
/// that is not `date/region/service/aws4_request`, or a signature that is not 64 hex digits —
/// AWS answers those with IncompleteSignature.
Result<ParsedAuthorization, std::string> ParseAuthorization(std::string_view header_value);

/// `AWS4-HMAC-SHA256 Credential=<akid>/<scope>, SignedHeaders=<list>, Signature=<hex>`.
std::string FormatAuthorization(std::string_view access_key_id, std::string_view scope,
                                std::string_view signed_headers, std::string_view signature);

}  // namespace dbtrotate::aws::sigv4

#endif  // DBTROTATE_AWS_SIGV4_AUTHORIZATION_H_
