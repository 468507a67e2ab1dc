#ifndef DBTROTATE_ROTATION_SECRET_VALUE_H_
#define DBTROTATE_ROTATION_SECRET_VALUE_H_

// The secret's value: the notebook's JSON
//   {"service_token_id": <int>, "service_token": "<string>", "last_rotated_datetime_utc": "<ISO>"}
// plus keys dbt-rotate adds, plus any keys the user keeps there (carried through untouched).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "aws/secretsmanager/types.h"
#include "core/clock.h"
#include "core/secret_string.h"
#include "rotation/error.h"
#include "rotation/secret_json.h"

namespace dbtrotate::rotation {

// The seed's keys.
inline constexpr char kKeyTokenId[] = "service_token_id";
inline constexpr char kKeyToken[] = "service_token";
inline constexpr char kKeyLastRotated[] = "last_rotated_datetime_utc";
// Keys dbt-rotate adds so later runs need fewer flags and can finish what a run started.
inline constexpr char kKeyAccountId[] = "account_id";
inline constexpr char kKeyAccessUrl[] = "access_url";
/// The token this secret held before the last rotation, still to be revoked…
inline constexpr char kKeyPreviousTokenId[] = "previous_service_token_id";
/// …on any run after this time; absent = at the next rotation (overlap "until-next").
inline constexpr char kKeyPreviousRevokeAfter[] = "previous_revoke_after";
/// The rotation that wrote this value; marks an AWSPENDING version as dbt-rotate's own.
inline constexpr char kKeyRotationId[] = "rotation_id";

struct TokenSecret {
  std::int64_t service_token_id = 0;  // 0 only for a manager secret that does not record it
  SecretString service_token;
  std::optional<SystemTime> last_rotated;
  std::optional<std::int64_t> account_id;
  std::optional<std::string> access_url;
  std::optional<std::int64_t> previous_service_token_id;
  std::optional<SystemTime> previous_revoke_after;
  std::optional<std::string> rotation_id;
  /// The whole parsed value, so keys we do not own survive every rotation.
  SecretJson document;

  TokenSecret Clone() const;
};

enum class SecretRole {
  kRotated,  // the secret being rotated: service_token_id is required
  kManager,  // an admin token used to act: only service_token is required
};

/// Parses and validates one version's value. `where` names it in errors
/// ("secret 'prod/dbt' AWSCURRENT"); errors name the key at fault and never quote a value.
RotationResult<TokenSecret> ParseTokenSecret(const aws::SecretValue& value, SecretRole role,
                                             std::string_view where);
/// The same, from a value that is already JSON.
RotationResult<TokenSecret> ParseTokenSecret(SecretJson document, SecretRole role,
                                             std::string_view where);

/// Secrets Manager's limit on a SecretString, in bytes.
inline constexpr std::size_t kMaxSecretStringBytes = 65536;

/// Refuses, before anything is written, a value whose next version would not fit in
/// Secrets Manager: `current` with every key a rotation writes at its longest (token, ids,
/// timestamps, rotation id) and `access_url`. The error names `where` and the sizes.
RotationResult<void> CheckNextValueFits(const TokenSecret& current, std::string_view access_url,
                                        std::string_view where);

/// The value to store: the document with every known field written over it (absent optional
/// tool keys removed), keys in their original order, new keys appended.
SecretString SerializeTokenSecret(const TokenSecret& secret);

}  // namespace dbtrotate::rotation

#endif  // DBTROTATE_ROTATION_SECRET_VALUE_H_
