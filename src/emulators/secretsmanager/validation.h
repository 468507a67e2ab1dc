#ifndef DBTROTATE_EMULATORS_SECRETSMANAGER_VALIDATION_H_
#define DBTROTATE_EMULATORS_SECRETSMANAGER_VALIDATION_H_

// Model constraints (lengths, ranges, required members) checked the way the AWS front end does:
// every violation is collected into one ValidationException,
// "2 validation errors detected: Value at 'secretId' failed to satisfy constraint: …; …".
// Values are never echoed (some members are secrets).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulators/secretsmanager/api_error.h"

namespace dbtrotate::emulators::secretsmanager {

class Validator {
 public:
  /// A required member that is absent ("Member must not be null").
  void Missing(std::string_view member);
  /// Byte length within [min, max].
  void Length(std::string_view member, std::string_view value, std::size_t min, std::size_t max);
  void Value(std::string_view member, std::int64_t value, std::int64_t min, std::int64_t max);
  void ListSize(std::string_view member, std::size_t size, std::size_t min, std::size_t max);
  /// A free-form violation of `member`, e.g. a pattern.
  void Constraint(std::string_view member, std::string_view constraint);

  bool ok() const { return violations_.empty(); }
  /// The collected ValidationException, if any violation was recorded.
  std::optional<ApiError> Error() const;

 private:
  std::vector<std::string> violations_;
};

/// SecretId: 1–2048 characters.
void ValidateSecretId(Validator& validator, std::string_view secret_id);
/// A VersionId / ClientRequestToken member, when present: 32–64 characters.
void ValidateToken(Validator& validator, std::string_view member,
                   const std::optional<std::string>& token);
/// A SecretId that is not an ARN must look like a name (AWS answers ValidationException).
std::optional<ApiError> CheckSecretIdShape(std::string_view secret_id);

/// Secret names: ASCII letters, digits and /_+=.@- (reference §2).
bool IsValidSecretName(std::string_view name);

/// The message AWS gives for a name (or a SecretId that is not an ARN) with other characters.
inline constexpr char kInvalidNameMessage[] =
    "Invalid name. Must be a valid name containing alphanumeric characters, or any of the "
    "following: -/_+=.@!";

}  // namespace dbtrotate::emulators::secretsmanager

#endif  // DBTROTATE_EMULATORS_SECRETSMANAGER_VALIDATION_H_
