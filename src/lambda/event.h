#ifndef DBTROTATE_LAMBDA_EVENT_H_
#define DBTROTATE_LAMBDA_EVENT_H_

// The rotation event Secrets Manager sends (reference aws-lambda-rotation.md §3), parsed
// strictly: bounded size and nesting, exact types, known steps. A bad event is an error reply,
// never a crash.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"
#include "rotation/lambda_steps.h"

namespace dbtrotate::lambda {

inline constexpr std::size_t kMaxEventBytes = 64 * 1024;
inline constexpr std::size_t kMaxEventDepth = 4;

/// Why an event was refused; never quotes the event (it may hold a RotationToken).
struct EventError {
  std::string message;
};

Result<rotation::StepRequest, EventError> ParseEvent(std::string_view body);

}  // namespace dbtrotate::lambda

#endif  // DBTROTATE_LAMBDA_EVENT_H_
