#ifndef DBTROTATE_EMULATORS_SECRETSMANAGER_BASE64_H_
#define DBTROTATE_EMULATORS_SECRETSMANAGER_BASE64_H_

// Standard, padded base64 (RFC 4648 §4) for the `blob` member SecretBinary (reference §1).

#include <optional>
#include <string>
#include <string_view>

namespace dbtrotate::emulators::secretsmanager {

std::string Base64Encode(std::string_view bytes);

/// Strict: only the standard alphabet, length a multiple of 4, '=' only as final padding.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace dbtrotate::emulators::secretsmanager

#endif  // DBTROTATE_EMULATORS_SECRETSMANAGER_BASE64_H_
