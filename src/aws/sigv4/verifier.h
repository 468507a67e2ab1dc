#ifndef DBTROTATE_AWS_SIGV4_VERIFIER_H_
#define DBTROTATE_AWS_SIGV4_VERIFIER_H_

// Server-side SigV4 verification (for emulators and tests): rebuild the canonical request from
// what arrived (method, raw path, raw query, the headers named in SignedHeaders, body), recompute
// the signature with the caller's secret key and compare in constant time.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "aws/sigv4/authorization.h"
#include "aws/sigv4/canonical.h"
#include "core/clock.h"
#include "core/result.h"
#include "core/secret_string.h"

namespace dbtrotate::aws::sigv4 {

enum class VerifyFailure {
  kMissingAuthorization,  // no Authorization header          → AWS MissingAuthenticationToken
  kMalformed,             // unparsable header, no X-Amz-Date → AWS IncompleteSignature
  kUnknownAccessKey,      // lookup returned nothing          → UnrecognizedClient /
                          // InvalidClientTokenId
  kWrongScope,            // scope date/region/service wrong  → AWS InvalidSignature
  kRequestExpired,  // X-Amz-Date too far from now      → AWS InvalidSignature "Signature expired"
  kHeaderNotSigned,    // host / x-amz-* sent but unsigned → AWS InvalidSignature
  kSignatureMismatch,  // recomputed signature differs     → AWS InvalidSignature
};

std::string_view VerifyFailureName(VerifyFailure failure);

struct VerifyError {
  VerifyFailure failure = VerifyFailure::kMalformed;
  std::string message;  // names what is wrong; never contains the secret key or the signature
};

struct VerifyOptions {
  std::string region;   // expected signing region; empty = any
  std::string service;  // expected signing service; empty = any
  SystemTime now;       // the server's clock
  std::chrono::seconds max_skew{std::chrono::minutes(15)};
  /// Every x-amz-* header present must be signed (what botocore and we send).
  bool require_amz_headers_signed = true;
};

/// Finds and parses the request's Authorization header.
Result<ParsedAuthorization, VerifyError> ParseRequestAuthorization(const RequestView& request);

/// Checks X-Amz-Date (present, matches the scope date, within max_skew), the scope against
/// options, that `host` and `x-amz-date` (and x-amz-* when required) are signed, then recomputes
/// the signature with `secret_access_key` and compares it in constant time.
Result<void, VerifyError> VerifySignature(const RequestView& request,
                                          const ParsedAuthorization& authorization,
                                          std::string_view secret_access_key,
                                          const VerifyOptions& options);

/// Looks up the secret key of an access key id; nullptr when unknown.
using SecretKeyLookup = std::function<const SecretString*(std::string_view access_key_id)>;

/// ParseRequestAuthorization + lookup + VerifySignature; returns the parsed header on success so
/// the server knows who called.
Result<ParsedAuthorization, VerifyError> VerifyRequest(const RequestView& request,
                                                       const SecretKeyLookup& lookup,
                                                       const VerifyOptions& options);

}  // namespace dbtrotate::aws::sigv4

#endif  // DBTROTATE_AWS_SIGV4_VERIFIER_H_
