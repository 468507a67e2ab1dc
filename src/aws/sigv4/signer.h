#ifndef DBTROTATE_AWS_SIGV4_SIGNER_H_
#define DBTROTATE_AWS_SIGV4_SIGNER_H_

// Client-side SigV4 signing of an http::Request (reference §4). For the pieces (canonical
// request, string to sign, keys) see canonical.h, crypto.h; for servers see verifier.h.

#include <string>
#include <string_view>

#include "aws/credentials/credentials.h"
#include "core/clock.h"
#include "core/result.h"
#include "http/client.h"

namespace dbtrotate::aws::sigv4 {

struct SigningParams {
  std::string region;   // e.g. "us-east-1"; the signing region, also for custom endpoints
  std::string service;  // e.g. "secretsmanager", "sts"
  SystemTime time;      // becomes X-Amz-Date
};

/// HexLower(HMAC(kSigning, string_to_sign)) with kSigning derived from the secret key.
std::string ComputeSignature(std::string_view secret_access_key, std::string_view date,
                             std::string_view region, std::string_view service,
                             std::string_view string_to_sign);

/// Signs `request` in place. Adds Host (from the URL, with a non-default port) if absent;
/// replaces any earlier X-Amz-Date, X-Amz-Security-Token and Authorization (so re-signing a
/// retried request is safe); adds X-Amz-Security-Token when credentials.session_token is set and
/// signs it; signs every other header present except those HeadersToSign() skips (User-Agent,
/// Content-Length, hop-by-hop). Sign after the body and all headers are final.
/// Fails on an unparsable URL or empty key/region/service; messages never contain key material.
Result<void, std::string> SignRequest(http::Request& request, const Credentials& credentials,
                                      const SigningParams& params);

}  // namespace dbtrotate::aws::sigv4

#endif  // DBTROTATE_AWS_SIGV4_SIGNER_H_
