#ifndef DBTROTATE_EMULATORS_SECRETSMANAGER_JSON_API_H_
#define DBTROTATE_EMULATORS_SECRETSMANAGER_JSON_API_H_

// The AWS JSON 1.1 face of the store (reference §1): decodes an operation's request body,
// runs it, encodes the answer or the error. No sockets here, so every wire rule is unit-tested.

#include <optional>
#include <string>
#include <string_view>

#include "emulators/secretsmanager/api_error.h"
#include "emulators/secretsmanager/rotation_runner.h"
#include "emulators/secretsmanager/secret_store.h"

namespace dbtrotate::emulators::secretsmanager {

inline constexpr char kJsonContentType[] = "application/x-amz-json-1.1";
inline constexpr char kTargetPrefix[] = "secretsmanager.";

struct JsonResponse {
  int status = 200;
  std::string body;
};

/// "secretsmanager.GetSecretValue" → "GetSecretValue"; nullopt for another prefix or no name.
std::optional<std::string> OperationFromTarget(std::string_view target);

/// The operations this emulator implements.
bool IsSupportedOperation(std::string_view operation);

/// Runs one operation. Errors: SerializationException for a body that is not a JSON object or
/// a member of the wrong type (or SecretBinary that is not base64), ValidationException for
/// missing required members, UnknownOperationException for an operation not implemented, and
/// whatever the store answers. RotateSecret needs `rotation` (the emulator always passes it).
JsonResponse HandleOperation(SecretStore& store, std::string_view operation, std::string_view body,
                             RotationRunner* rotation = nullptr);

/// Status and `{"__type","Message"|"message"}` body for an error.
JsonResponse ErrorResponse(const ApiError& error);

/// Epoch seconds with millisecond fractions, as SM writes timestamps (1523477145.713).
double EpochSeconds(SystemTime time);

}  // namespace dbtrotate::emulators::secretsmanager

#endif  // DBTROTATE_EMULATORS_SECRETSMANAGER_JSON_API_H_
