#ifndef DBTROTATE_EMULATORS_LAMBDA_RUNTIME_API_EMULATOR_H_
#define DBTROTATE_EMULATORS_LAMBDA_RUNTIME_API_EMULATOR_H_

// The Lambda Runtime API (version 2018-06-01, shared/reference/aws-lambda-rotation.md §1) on
// loopback, for one function whose runtime process the embedding code or test runs itself
// (with AWS_LAMBDA_RUNTIME_API=address()). Invoke() queues an event, the runtime takes it
// with `GET …/invocation/next` (a long poll, answered with the Lambda-Runtime-* headers) and
// answers with `POST …/{id}/response` or `…/{id}/error`; `POST …/init/error` reports a
// runtime that cannot start. Deadlines are enforced as Lambda does: an invocation not answered
// in time is a timeout, and a late answer is refused.
//
//   RuntimeApiEmulator runtime;                        // 127.0.0.1, free port, 30 s timeout
//   runtime.Start();
//   setenv("AWS_LAMBDA_RUNTIME_API", runtime.address()) … start `bootstrap` …
//   InvokeOutcome outcome = runtime.InvokeWithTimeout(R"({"Step":"createSecret",…})", 5s);
//   runtime.RuntimeExited("exit status 1");            // the process died: fail in-flight work

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "emulators/common/emulator_server.h"
#include "emulators/lambda/function_invoker.h"

namespace dbtrotate::emulators::lambda {

inline constexpr char kRuntimeApiPrefix[] = "/2018-06-01/runtime";

struct RuntimeApiEmulatorOptions {
  ServerOptions server;  // 127.0.0.1 and a free port by default
  std::string function_arn = "arn:aws:lambda:us-east-1:123456789012:function:dbt-rotate";
  /// The function's configured timeout, for Invoke() (InvokeWithTimeout() takes its own).
  std::chrono::milliseconds timeout{30000};
  /// Largest response body accepted (Lambda's synchronous limit: 6 MB); larger ones get 413.
  std::size_t max_response_bytes = 6 * 1024 * 1024;
  Clock* clock = nullptr;    // nullptr: SystemClock; stamps Lambda-Runtime-Deadline-Ms
  Random* random = nullptr;  // nullptr: SecureRandom; request ids
};

/// One invocation as the emulator saw it (in memory only, for tests and the sandbox).
struct InvocationRecord {
  std::string request_id;
  std::string event;
  bool delivered = false;  // a runtime took it with `next`
  bool finished = false;
  InvokeOutcome outcome;
};

class RuntimeApiEmulator final : public FunctionInvoker {
 public:
  explicit RuntimeApiEmulator(RuntimeApiEmulatorOptions options = {});
  ~RuntimeApiEmulator() override;  // stops
  RuntimeApiEmulator(const RuntimeApiEmulator&) = delete;
  RuntimeApiEmulator& operator=(const RuntimeApiEmulator&) = delete;

  Result<void, std::string> Start();
  /// Idempotent. Waiting `next` calls get 500 (the runtime should exit); waiting Invoke()
  /// calls return kUnavailable.
  void Stop();

  /// "127.0.0.1:PORT": the value of AWS_LAMBDA_RUNTIME_API for the runtime process.
  std::string address() const;
  int port() const;
  const std::string& function_arn() const { return options_.function_arn; }

  /// FunctionInvoker: `function_arn` must be this function's (else kUnavailable, as for a
  /// function that does not exist); waits up to the configured timeout.
  InvokeOutcome Invoke(std::string_view function_arn, const std::string& event_json) override;
  /// Queues `event_json` and waits until the runtime answers or `timeout` passes.
  InvokeOutcome InvokeWithTimeout(const std::string& event_json, std::chrono::milliseconds timeout);

  /// The embedding code's runtime process ended: every queued or in-flight invocation fails
  /// with Runtime.ExitError (`how`, e.g. "exit status 2", goes into the message).
  void RuntimeExited(std::string_view how);

  /// Waits (at most `timeout`) until a runtime is blocked in `next`; false on timeout.
  bool WaitForPoll(std::chrono::milliseconds timeout);
  /// When the first `next` call arrived (steady clock), for the cold-start figure.
  std::optional<std::chrono::steady_clock::time_point> first_poll_at();
  /// An init/error the runtime posted that no invocation has reported yet.
  std::optional<InvokeOutcome> pending_init_error();
  std::vector<InvocationRecord> Invocations();

  RequestLog& log() { return server_.log(); }
  FaultInjector& faults() { return server_.faults(); }

 private:
  struct Pending;

  void HandleNext(const httplib::Request& request, httplib::Response& response);
  void HandleResponse(const httplib::Request& request, httplib::Response& response);
  void HandleError(const httplib::Request& request, httplib::Response& response);
  void HandleInitError(const httplib::Request& request, httplib::Response& response);
  // Under mutex_: records the outcome, forgets the invocation and wakes its Invoke().
  void FinishLocked(const std::shared_ptr<Pending>& pending, InvokeOutcome outcome);
  std::shared_ptr<Pending> TakeInFlightLocked(const std::string& request_id);

  RuntimeApiEmulatorOptions options_;
  Clock& clock_;
  Random& random_;
  EmulatorServer server_;

  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  int pollers_ = 0;
  std::optional<std::chrono::steady_clock::time_point> first_poll_at_;
  std::optional<InvokeOutcome> init_error_;
  std::deque<std::shared_ptr<Pending>> queue_;
  std::map<std::string, std::shared_ptr<Pending>> in_flight_;
  std::vector<InvocationRecord> records_;
};

}  // namespace dbtrotate::emulators::lambda

#endif  // DBTROTATE_EMULATORS_LAMBDA_RUNTIME_API_EMULATOR_H_
