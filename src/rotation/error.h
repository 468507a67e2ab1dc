#ifndef DBTROTATE_ROTATION_ERROR_H_
#define DBTROTATE_ROTATION_ERROR_H_

// Input errors of the rotation module: a bad secret value, a bad permissions file, a bad
// duration. They are found before anything is written, so they never leave damage behind.

#include <string>
#include <string_view>

#include "core/result.h"

namespace dbtrotate::rotation {

enum class ErrorCode {
  kMalformedSecret,  // the secret value is not the JSON dbt-rotate (or the notebook) writes
  kBadPermissions,   // a --permissions file that cannot be used
  kBadDuration,      // "--overlap 3x", "--min-age -1d", …
};

std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kMalformedSecret;
  std::string message;  // names the key or entry at fault; never a secret value
};

template <class T>
using RotationResult = Result<T, Error>;

}  // namespace dbtrotate::rotation

#endif  // DBTROTATE_ROTATION_ERROR_H_
