#ifndef DBTROTATE_AWS_SIGV4_CRYPTO_H_
#define DBTROTATE_AWS_SIGV4_CRYPTO_H_

// The hashing primitives of SigV4, all on OpenSSL (reference §4.3). Keys are raw 32-byte
// strings; callers wipe the ones derived from a secret access key (WipeString).

#include <string>
#include <string_view>

namespace dbtrotate::aws::sigv4 {

/// Lowercase hex of arbitrary bytes.
std::string HexEncode(std::string_view bytes);

/// Raw 32-byte SHA-256 digest.
std::string Sha256(std::string_view data);

/// HexLower(SHA-256(data)); the payload hash and the hash of the canonical request.
std::string Sha256Hex(std::string_view data);

/// Raw 32-byte HMAC-SHA256(key, data).
std::string HmacSha256(std::string_view key, std::string_view data);

/// kSigning = HMAC chain over ("AWS4" + secret, date YYYYMMDD, region, service, "aws4_request").
/// Raw bytes; wipe it after use.
std::string DeriveSigningKey(std::string_view secret_access_key, std::string_view date,
                             std::string_view region, std::string_view service);

/// Constant-time comparison of two equal-length strings (false if lengths differ).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace dbtrotate::aws::sigv4

#endif  // DBTROTATE_AWS_SIGV4_CRYPTO_H_
