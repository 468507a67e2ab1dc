#include "dbtcloud/error.h"

namespace dbtrotate::dbtcloud {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kForbiddenOrNotFound:
      return "forbidden or not found";
    case ErrorCode::kIpRestricted:
      return "IP restricted";
    case ErrorCode::kValidation:
      return "validation error";
    case ErrorCode::kRateLimited:
      return "rate limited";
    case ErrorCode::kServer:
      return "server error";
    case ErrorCode::kMalformedResponse:
      return "malformed response";
    case ErrorCode::kTransport:
      return "transport error";
    case ErrorCode::kInvalidConfig:
      return "invalid configuration";
  }
  return "error";
}

}  // namespace dbtrotate::dbtcloud
