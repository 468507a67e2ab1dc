#include "emulators/lambda/runtime_api_emulator.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

namespace dbtrotate::emulators::lambda {
namespace {

using nlohmann::json;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr char kNextPath[] = "/2018-06-01/runtime/invocation/next";
constexpr char kResponsePath[] = R"(/2018-06-01/runtime/invocation/([^/]+)/response)";
constexpr char kErrorPath[] = R"(/2018-06-01/runtime/invocation/([^/]+)/error)";
constexpr char kInitErrorPath[] = "/2018-06-01/runtime/init/error";

// The error shape the Runtime API itself answers with.
void WriteApiError(httplib::Response& response, int status, std::string_view type,
                   std::string_view message) {
  SetJsonBody(response, status, json{{"errorType", type}, {"errorMessage", message}}.dump());
}

void WriteAccepted(httplib::Response& response) {
  SetJsonBody(response, 202, R"({"status":"OK"})");
}

// The `{"errorMessage","errorType","stackTrace"}` body of …/error and init/error. The type
// comes from the body, else the Lambda-Runtime-Function-Error-Type header; a body that is not
// JSON is accepted as Lambda does (it is the runtime's problem), with no message.
InvokeOutcome ParseFunctionError(const httplib::Request& request, InvokeStatus status) {
  InvokeOutcome outcome;
  outcome.status = status;
  const json body = json::parse(request.body, nullptr, false);
  if (body.is_object()) {
    if (body.contains("errorType") && body["errorType"].is_string())
      outcome.error_type = body["errorType"].get<std::string>();
    if (body.contains("errorMessage") && body["errorMessage"].is_string())
      outcome.error_message = body["errorMessage"].get<std::string>();
  }
  if (outcome.error_type.empty())
    outcome.error_type = request.get_header_value("Lambda-Runtime-Function-Error-Type");
  if (outcome.error_type.empty()) outcome.error_type = "Runtime.Unknown";
  return outcome;
}

}  // namespace

struct RuntimeApiEmulator::Pending {
  std::string request_id;
  std::string event;
  std::int64_t deadline_ms = 0;  // epoch milliseconds, as Lambda-Runtime-Deadline-Ms
  std::size_t record = 0;        // index into records_
  std::optional<InvokeOutcome> outcome;
};

RuntimeApiEmulator::RuntimeApiEmulator(RuntimeApiEmulatorOptions options)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? *options_.clock : SystemClock::Instance()),
      random_(options_.random != nullptr ? *options_.random : SecureRandom::Instance()) {
  server_.Route(Method::kGet, kNextPath, "next",
                [this](const httplib::Request& q, httplib::Response& r) { HandleNext(q, r); });
  server_.Route(Method::kPost, kResponsePath, "response",
                [this](const httplib::Request& q, httplib::Response& r) { HandleResponse(q, r); });
  server_.Route(Method::kPost, kErrorPath, "error",
                [this](const httplib::Request& q, httplib::Response& r) { HandleError(q, r); });
  server_.Route(Method::kPost, kInitErrorPath, "init_error",
                [this](const httplib::Request& q, httplib::Response& r) { HandleInitError(q, r); });
  server_.SetFallback([](const httplib::Request& request, httplib::Response& response) {
    WriteApiError(response, 404, "InvalidRequest",
                  fmt::format("The Runtime API has no {} {}.", request.method, request.path));
  });
}

RuntimeApiEmulator::~RuntimeApiEmulator() { Stop(); }

Result<void, std::string> RuntimeApiEmulator::Start() {
  auto started = server_.Start(options_.server);
  if (!started) return Fail("Lambda Runtime API emulator: " + started.error());
  return {};
}

void RuntimeApiEmulator::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  server_.Stop();
}

std::string RuntimeApiEmulator::address() const {
  const std::string url = server_.base_url();  // "http://127.0.0.1:PORT"
  const std::size_t scheme = url.find("://");
  return scheme == std::string::npos ? url : url.substr(scheme + 3);
}

int RuntimeApiEmulator::port() const { return server_.port(); }

InvokeOutcome RuntimeApiEmulator::Invoke(std::string_view function_arn,
                                         const std::string& event_json) {
  if (function_arn != options_.function_arn) {
    InvokeOutcome outcome;
    outcome.status = InvokeStatus::kUnavailable;
    outcome.error_type = "ResourceNotFoundException";
    outcome.error_message = fmt::format("Function not found: {}", function_arn);
    return outcome;
  }
  return InvokeWithTimeout(event_json, options_.timeout);
}

InvokeOutcome RuntimeApiEmulator::InvokeWithTimeout(const std::string& event_json,
                                                    std::chrono::milliseconds timeout) {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  auto pending = std::make_shared<Pending>();
  pending->request_id = random_.UuidV4();
  pending->event = event_json;
  pending->deadline_ms =
      duration_cast<milliseconds>((clock_.Now() + timeout).time_since_epoch()).count();

  std::unique_lock lock(mutex_);
  if (stopping_) {
    return InvokeOutcome{InvokeStatus::kUnavailable, "", "ServiceException",
                         "The Runtime API emulator is stopped."};
  }
  pending->record = records_.size();
  records_.push_back(InvocationRecord{pending->request_id, event_json, false, false, {}});
  if (init_error_) {
    // Lambda reports the init failure for this invocation; the next one gets a new runtime.
    InvokeOutcome outcome = *std::exchange(init_error_, std::nullopt);
    FinishLocked(pending, outcome);
    return outcome;
  }
  queue_.push_back(pending);
  changed_.notify_all();
  changed_.wait_until(lock, give_up, [&] { return pending->outcome || init_error_ || stopping_; });
  if (pending->outcome) return *pending->outcome;

  queue_.erase(std::remove(queue_.begin(), queue_.end(), pending), queue_.end());
  in_flight_.erase(pending->request_id);
  InvokeOutcome outcome;
  if (init_error_) {
    outcome = *std::exchange(init_error_, std::nullopt);
  } else if (stopping_) {
    outcome = {InvokeStatus::kUnavailable, "", "ServiceException",
               "The Runtime API emulator stopped during the invocation."};
  } else {
    outcome = {InvokeStatus::kTimeout, "", "Sandbox.Timedout",
               fmt::format("Task timed out after {:.2f} seconds",
                           static_cast<double>(timeout.count()) / 1000.0)};
  }
  FinishLocked(pending, outcome);
  return outcome;
}

void RuntimeApiEmulator::RuntimeExited(std::string_view how) {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Pending>> failed(queue_.begin(), queue_.end());
  for (const auto& [id, pending] : in_flight_) failed.push_back(pending);
  queue_.clear();
  in_flight_.clear();
  for (const auto& pending : failed) {
    FinishLocked(pending, {InvokeStatus::kRuntimeExited, "", "Runtime.ExitError",
                           fmt::format("RequestId: {} Error: Runtime exited ({})",
                                       pending->request_id, how)});
  }
}

bool RuntimeApiEmulator::WaitForPoll(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return pollers_ > 0 || stopping_; }) &&
         pollers_ > 0;
}

std::optional<std::chrono::steady_clock::time_point> RuntimeApiEmulator::first_poll_at() {
  std::lock_guard lock(mutex_);
  return first_poll_at_;
}

std::optional<InvokeOutcome> RuntimeApiEmulator::pending_init_error() {
  std::lock_guard lock(mutex_);
  return init_error_;
}

std::vector<InvocationRecord> RuntimeApiEmulator::Invocations() {
  std::lock_guard lock(mutex_);
  return records_;
}

void RuntimeApiEmulator::FinishLocked(const std::shared_ptr<Pending>& pending,
                                      InvokeOutcome outcome) {
  InvocationRecord& record = records_[pending->record];
  record.finished = true;
  record.outcome = outcome;
  pending->outcome = std::move(outcome);
  changed_.notify_all();
}

std::shared_ptr<RuntimeApiEmulator::Pending> RuntimeApiEmulator::TakeInFlightLocked(
    const std::string& request_id) {
  auto it = in_flight_.find(request_id);
  if (it == in_flight_.end()) return nullptr;
  std::shared_ptr<Pending> pending = it->second;
  in_flight_.erase(it);
  return pending;
}

void RuntimeApiEmulator::HandleNext(const httplib::Request& /*request*/,
                                    httplib::Response& response) {
  std::unique_lock lock(mutex_);
  ++pollers_;
  if (!first_poll_at_) first_poll_at_ = std::chrono::steady_clock::now();
  changed_.notify_all();
  // A long poll with no timeout, as on Lambda: only an event or Stop() ends it.
  changed_.wait(lock, [&] { return !queue_.empty() || stopping_; });
  --pollers_;
  if (stopping_) {
    WriteApiError(response, 500, "Runtime.Stopping",
                  "container error: non-recoverable state, the runtime should exit promptly");
    return;
  }
  std::shared_ptr<Pending> pending = queue_.front();
  queue_.pop_front();
  in_flight_[pending->request_id] = pending;
  records_[pending->record].delivered = true;
  response.set_header("Lambda-Runtime-Aws-Request-Id", pending->request_id);
  response.set_header("Lambda-Runtime-Deadline-Ms", std::to_string(pending->deadline_ms));
  response.set_header("Lambda-Runtime-Invoked-Function-Arn", options_.function_arn);
  response.set_header("Lambda-Runtime-Trace-Id",
                      "Root=1-" + pending->request_id.substr(0, 8) + ";Sampled=0");
  SetJsonBody(response, 200, pending->event);
}

void RuntimeApiEmulator::HandleResponse(const httplib::Request& request,
                                        httplib::Response& response) {
  const std::string request_id = request.matches[1];
  std::lock_guard lock(mutex_);
  std::shared_ptr<Pending> pending = TakeInFlightLocked(request_id);
  if (!pending) {
    // Unknown, already answered, or past its deadline (Lambda has ended that invocation).
    WriteApiError(response, 400, "InvalidRequestID",
                  fmt::format("No invocation {} is waiting for a response.", request_id));
    return;
  }
  if (request.body.size() > options_.max_response_bytes) {
    FinishLocked(pending, {InvokeStatus::kFunctionError, "", "Function.ResponseSizeTooLarge",
                           "Response payload size exceeded maximum allowed payload size."});
    WriteApiError(response, 413, "RequestEntityTooLarge",
                  fmt::format("The response is {} bytes; the limit is {}.", request.body.size(),
                              options_.max_response_bytes));
    return;
  }
  FinishLocked(pending, {InvokeStatus::kSuccess, request.body, "", ""});
  WriteAccepted(response);
}

void RuntimeApiEmulator::HandleError(const httplib::Request& request, httplib::Response& response) {
  const std::string request_id = request.matches[1];
  std::lock_guard lock(mutex_);
  std::shared_ptr<Pending> pending = TakeInFlightLocked(request_id);
  if (!pending) {
    WriteApiError(response, 400, "InvalidRequestID",
                  fmt::format("No invocation {} is waiting for a response.", request_id));
    return;
  }
  FinishLocked(pending, ParseFunctionError(request, InvokeStatus::kFunctionError));
  WriteAccepted(response);
}

void RuntimeApiEmulator::HandleInitError(const httplib::Request& request,
                                         httplib::Response& response) {
  std::lock_guard lock(mutex_);
  init_error_ = ParseFunctionError(request, InvokeStatus::kInitError);
  changed_.notify_all();
  WriteAccepted(response);
}

}  // namespace dbtrotate::emulators::lambda
