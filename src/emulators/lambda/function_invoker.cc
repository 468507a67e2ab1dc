#include "emulators/lambda/function_invoker.h"

namespace dbtrotate::emulators::lambda {

std::string_view InvokeStatusName(InvokeStatus status) {
  switch (status) {
    case InvokeStatus::kSuccess:
      return "success";
    case InvokeStatus::kFunctionError:
      return "function error";
    case InvokeStatus::kTimeout:
      return "timeout";
    case InvokeStatus::kRuntimeExited:
      return "runtime exited";
    case InvokeStatus::kInitError:
      return "init error";
    case InvokeStatus::kUnavailable:
      return "unavailable";
  }
  return "unknown";
}

}  // namespace dbtrotate::emulators::lambda
