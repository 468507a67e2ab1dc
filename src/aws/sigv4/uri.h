#ifndef DBTROTATE_AWS_SIGV4_URI_H_
#define DBTROTATE_AWS_SIGV4_URI_H_

// URL pieces as SigV4 sees them (reference §4.1). The encoder is written here rather than taken
// from libcurl because its exact escaping (RFC 3986 unreserved set, uppercase hex, `/` kept only
// in paths) is part of the signature.

#include <string>
#include <string_view>

#include "core/result.h"

namespace dbtrotate::aws::sigv4 {

/// UriEncode: every byte except A-Z a-z 0-9 - _ . ~ becomes %XY (uppercase hex); `/` is kept
/// when `keep_slash` (paths), encoded otherwise (query names and values).
std::string UriEncode(std::string_view bytes, bool keep_slash);

/// Decodes %XY escapes; anything else, including a stray `%` or `+`, is kept as it is.
std::string PercentDecode(std::string_view text);

/// A URL split the way a signer needs it. `path` and `query` are raw (as on the wire).
struct UrlParts {
  std::string scheme;  // lowercase
  std::string host;    // as written, IPv6 literals keep their brackets
  std::string port;    // empty when absent
  std::string path;    // "/" when empty
  std::string query;   // without '?'; fragment dropped

  /// The Host header value: host, plus ":port" unless it is the scheme's default.
  std::string HostHeader() const;
};

/// Splits "scheme://[userinfo@]host[:port][/path][?query][#fragment]". Lenient about the path
/// and query bytes (they are only encoded later); strict about the parts it needs.
Result<UrlParts, std::string> SplitUrl(std::string_view url);

}  // namespace dbtrotate::aws::sigv4

#endif  // DBTROTATE_AWS_SIGV4_URI_H_
