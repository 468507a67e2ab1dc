#ifndef DBTROTATE_EMULATORS_LAMBDA_FUNCTION_INVOKER_H_
#define DBTROTATE_EMULATORS_LAMBDA_FUNCTION_INVOKER_H_

// How an emulated AWS service calls a Lambda function synchronously (RequestResponse), without
// knowing how the function runs: the Runtime API emulator with a real `bootstrap` process, or a
// test's in-process fake. The outcome distinguishes what Lambda itself distinguishes.

#include <string>
#include <string_view>

namespace dbtrotate::emulators::lambda {

enum class InvokeStatus {
  kSuccess,        // the function posted a response
  kFunctionError,  // the function posted an error (error_type / error_message)
  kTimeout,        // the deadline passed first ("Task timed out after … seconds")
  kRuntimeExited,  // the runtime process ended mid-invocation (Runtime.ExitError)
  kInitError,      // the runtime reported init/error (configuration it cannot work with)
  kUnavailable,    // no such function, or the emulator is stopping: nothing was invoked
};

struct InvokeOutcome {
  InvokeStatus status = InvokeStatus::kUnavailable;
  std::string payload;        // the response body on success
  std::string error_type;     // e.g. "Runtime.ExitError", "DbtRotate.NeedsAttention"
  std::string error_message;  // as the function or Lambda wrote it

  bool ok() const { return status == InvokeStatus::kSuccess; }
};

/// "success", "function error", "timeout", …
std::string_view InvokeStatusName(InvokeStatus status);

class FunctionInvoker {
 public:
  virtual ~FunctionInvoker() = default;
  /// Invokes `function_arn` with `event_json` and blocks until it answers or its timeout passes.
  /// Thread-safe.
  virtual InvokeOutcome Invoke(std::string_view function_arn, const std::string& event_json) = 0;
};

}  // namespace dbtrotate::emulators::lambda

#endif  // DBTROTATE_EMULATORS_LAMBDA_FUNCTION_INVOKER_H_
