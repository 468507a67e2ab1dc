#ifndef DBTROTATE_LAMBDA_RUNTIME_API_H_
#define DBTROTATE_LAMBDA_RUNTIME_API_H_

// The Lambda Runtime API for custom runtimes (version 2018-06-01; reference
// aws-lambda-rotation.md §1) over any http::Client: plain HTTP to AWS_LAMBDA_RUNTIME_API, a
// host:port local to the sandbox.

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "http/client.h"
#include "http/curl_client.h"

namespace dbtrotate::lambda {

struct Invocation {
  std::string request_id;              // Lambda-Runtime-Aws-Request-Id
  std::optional<SystemTime> deadline;  // Lambda-Runtime-Deadline-Ms
  std::string function_arn;            // Lambda-Runtime-Invoked-Function-Arn
  std::string trace_id;                // Lambda-Runtime-Trace-Id
  std::string body;                    // the event (wiped when the invocation is destroyed)

  Invocation() = default;
  Invocation(Invocation&&) noexcept = default;
  Invocation& operator=(Invocation&&) noexcept = default;
  Invocation(const Invocation&) = delete;
  Invocation& operator=(const Invocation&) = delete;
  ~Invocation();
};

struct RuntimeApiError {
  std::string message;
  /// The Runtime API said the environment is in a non-recoverable state (500), or it cannot be
  /// reached: the runtime should exit.
  bool fatal = false;
};

template <class T>
using RuntimeResult = Result<T, RuntimeApiError>;

/// The error body's errorType/errorMessage; the message must never hold a secret.
struct FunctionError {
  std::string type;  // "DbtRotate.FailedSafely", …
  std::string message;
};

/// The options of the Runtime API's own HTTP client: plain http to exactly `host`, no proxy
/// (the API is local to the sandbox), event-sized bodies.
http::CurlClientOptions RuntimeHttpOptions(const std::string& host);

/// The host of AWS_LAMBDA_RUNTIME_API ("127.0.0.1:9001" → "127.0.0.1"), or why it is unusable.
Result<std::string, std::string> RuntimeApiHost(std::string_view endpoint);

class RuntimeApiClient {
 public:
  /// `endpoint` is AWS_LAMBDA_RUNTIME_API ("127.0.0.1:9001", "[::1]:9001").
  static Result<RuntimeApiClient, std::string> Create(http::Client& http,
                                                      std::string_view endpoint);

  /// Blocks until the next event (no client timeout: the environment may be frozen meanwhile).
  RuntimeResult<Invocation> Next();
  RuntimeResult<void> PostResponse(const std::string& request_id, std::string_view body);
  RuntimeResult<void> PostError(const std::string& request_id, const FunctionError& error);
  RuntimeResult<void> PostInitError(const FunctionError& error);

  /// The host part of the endpoint, for the HTTP client's plain-http allowance.
  const std::string& host() const { return host_; }

 private:
  RuntimeApiClient(http::Client& http, std::string base, std::string host)
      : http_(&http), base_(std::move(base)), host_(std::move(host)) {}
  RuntimeResult<void> Post(const std::string& path, std::string body,
                           const std::optional<std::string>& error_type);

  http::Client* http_;
  std::string base_;  // http://host:port/2018-06-01
  std::string host_;
};

}  // namespace dbtrotate::lambda

#endif  // DBTROTATE_LAMBDA_RUNTIME_API_H_
