#include "rotation/error.h"

namespace dbtrotate::rotation {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformedSecret:
      return "malformed secret";
    case ErrorCode::kBadPermissions:
      return "bad permissions file";
    case ErrorCode::kBadDuration:
      return "bad duration";
  }
  return "error";
}

}  // namespace dbtrotate::rotation
