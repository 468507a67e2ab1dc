#ifndef DBTROTATE_AWS_SIGV4_CANONICAL_H_
#define DBTROTATE_AWS_SIGV4_CANONICAL_H_

// The canonical request and string to sign of SigV4 (reference §4.1, §4.2), for non-S3 services.
// Each step is exposed so tests can check it against the AWS suite and a server can rebuild the
// exact bytes a client signed.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "http/client.h"

namespace dbtrotate::aws::sigv4 {

inline constexpr char kAlgorithm[] = "AWS4-HMAC-SHA256";
inline constexpr char kEmptyPayloadHash[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The parts of a request that are signed. Views only: the caller keeps the data alive.
struct RequestView {
  std::string_view method;                             // "GET", "POST", …
  std::string_view path;                               // raw, as on the wire ("/" if empty)
  std::string_view query;                              // raw, without '?'
  const std::vector<http::Header>* headers = nullptr;  // any case, repeats allowed
  std::string_view body;
};

/// RFC 3986 dot-segment removal plus collapsing of repeated '/', keeping a trailing '/'
/// (botocore `remove_dot_segments`; suite normalize-path/*).
std::string NormalizePath(std::string_view path);

/// NormalizePath, then UriEncode with '/' kept. A path that is already percent-encoded is encoded
/// again (`%20` → `%2520`), as every non-S3 service expects.
std::string CanonicalUri(std::string_view raw_path);

/// Decodes each name and value, re-encodes them with UriEncode, sorts by name then value and
/// joins `k=v` with '&' (a name without '=' gets an empty value).
std::string CanonicalQueryString(std::string_view raw_query);

/// Trims and collapses every run of whitespace (including folded line breaks) to one space.
std::string TrimAndCollapse(std::string_view value);

/// The lowercase, sorted, unique names a signer signs: every header present except hop-by-hop
/// ones, `authorization`, `user-agent`, `content-length`, `expect`, `x-amzn-trace-id` (botocore's
/// list, plus what the transport may rewrite).
std::vector<std::string> HeadersToSign(const std::vector<http::Header>& headers);

/// `name:value\n` for every name in `signed_names` (lowercase, sorted), repeated headers' values
/// joined with ',' in the order received. Fails if a name is not among `headers`.
Result<std::string, std::string> CanonicalHeaders(const std::vector<http::Header>& headers,
                                                  const std::vector<std::string>& signed_names);

/// `a;b;c`.
std::string JoinSignedHeaders(const std::vector<std::string>& signed_names);

/// METHOD \n URI \n QUERY \n HEADERS \n SIGNED \n HexLower(SHA256(body)).
Result<std::string, std::string> CanonicalRequest(const RequestView& request,
                                                  const std::vector<std::string>& signed_names);

/// YYYYMMDD'T'HHMMSS'Z' in UTC.
std::string FormatAmzDate(SystemTime time);

/// The inverse of FormatAmzDate; nullopt unless the text has exactly that shape and is a real date.
std::optional<SystemTime> ParseAmzDate(std::string_view text);

/// `YYYYMMDD/region/service/aws4_request`.
std::string CredentialScope(std::string_view date, std::string_view region,
                            std::string_view service);

/// AWS4-HMAC-SHA256 \n amz_date \n scope \n HexLower(SHA256(canonical_request)), no final newline.
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);

}  // namespace dbtrotate::aws::sigv4

#endif  // DBTROTATE_AWS_SIGV4_CANONICAL_H_
