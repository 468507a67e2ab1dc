#include "lambda/function.h"

#include <fmt/format.h>

#include <cstdlib>
#include <exception>
#include <nlohmann/json.hpp>

#include "core/random.h"
#include "lambda/config.h"
#include "lambda/event.h"
#include "lambda/services.h"
#include "rotation/iso_time.h"

namespace dbtrotate::lambda {
namespace {

using Json = nlohmann::json;

void WriteLine(std::FILE* out, const Json& line) {
  const std::string text = line.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::fprintf(out, "%s\n", text.c_str());
  std::fflush(out);
}

/// One log line per engine step, tagged with the invocation.
class StepLog final : public rotation::Observer {
 public:
  StepLog(std::FILE* out, Json context) : out_(out), context_(std::move(context)) {}
  void OnStep(const rotation::StepRecord& step) override {
    Json line = context_;
    line["event"] = "action";
    line["action"] = step.name;
    line["status"] = rotation::StepStatusName(step.status);
    line["detail"] = step.detail;
    line["duration_ms"] = step.duration.count();
    line["calls"] = step.calls;
    WriteLine(out_, line);
  }

 private:
  std::FILE* out_;
  Json context_;
};

Json ResultLine(Json line, const rotation::Report& report, Duration took) {
  line["event"] = "result";
  line["outcome"] = std::string(rotation::OutcomeName(report.outcome));
  line["message"] = report.message;
  line["old_token_id"] = report.old_token_id ? Json(*report.old_token_id) : Json(nullptr);
  line["new_token_id"] = report.new_token_id ? Json(*report.new_token_id) : Json(nullptr);
  line["revoked_token_ids"] = report.revoked_token_ids;
  line["orphans_revoked"] = report.orphans_revoked;
  line["warnings"] = report.warnings;
  line["duration_ms"] = took.count();
  line["requests"] = {{"secrets_manager", report.requests.secrets_manager},
                      {"dbt_cloud", report.requests.dbt_cloud},
                      {"writes", report.requests.writes}};
  return line;
}

}  // namespace

std::string ErrorTypeFor(rotation::Outcome outcome) {
  switch (outcome) {
    case rotation::Outcome::kInvalidInput:
      return "DbtRotate.InvalidInput";
    case rotation::Outcome::kNeedsAttention:
      return "DbtRotate.NeedsAttention";
    default:
      return "DbtRotate.FailedSafely";
  }
}

std::optional<FunctionError> HandleInvocation(Handler& handler, const Invocation& invocation) {
  const SystemTime start = handler.clock->Now();
  Json context = {{"request_id", invocation.request_id}};
  if (invocation.deadline) context["deadline"] = rotation::FormatIsoTime(*invocation.deadline);
  auto request = ParseEvent(invocation.body);
  if (!request) {
    Json line = context;
    line["event"] = "result";
    line["outcome"] = "invalid_event";
    line["message"] = request.error().message;
    WriteLine(handler.log, line);
    return FunctionError{"DbtRotate.InvalidEvent", request.error().message};
  }
  context["step"] = std::string(rotation::RotationStepName(request->step));
  context["secret_arn"] = request->secret_id;
  context["version"] = request->client_request_token;
  try {
    if (!invocation.trace_id.empty()) ::setenv("_X_AMZN_TRACE_ID", invocation.trace_id.c_str(), 1);
    handler.deadline->Set(invocation.deadline);
    rotation::StepOptions options = handler.options;
    options.deadline = invocation.deadline;
    StepLog log(handler.log, context);
    const rotation::Report report =
        rotation::RunRotationStep(handler.deps(&log), *request, options);
    handler.deadline->Set(std::nullopt);
    const auto took = std::chrono::duration_cast<Duration>(handler.clock->Now() - start);
    WriteLine(handler.log, ResultLine(context, report, took));
    if (rotation::ExitCode(report.outcome) == 0) return std::nullopt;
    return FunctionError{ErrorTypeFor(report.outcome), report.message};
  } catch (const std::exception& error) {
    handler.deadline->Set(std::nullopt);
    Json line = context;
    line["event"] = "result";
    line["outcome"] = "internal_error";
    line["message"] = error.what();
    WriteLine(handler.log, line);
    return FunctionError{"DbtRotate.InternalError",
                         "internal error; the rotation is resumable: Secrets Manager's retry "
                         "finishes or undoes it"};
  }
}

int RunLoop(RuntimeApiClient& api, Handler& handler, std::optional<int> max_invocations) {
  for (int handled = 0; !max_invocations || handled < *max_invocations; ++handled) {
    auto invocation = api.Next();
    if (!invocation) {
      WriteLine(handler.log, {{"event", "runtime_error"}, {"message", invocation.error().message}});
      return 1;
    }
    auto error = HandleInvocation(handler, *invocation);
    auto posted = error ? api.PostError(invocation->request_id, *error)
                        : api.PostResponse(invocation->request_id, "null");
    if (!posted) {
      WriteLine(handler.log, {{"event", "runtime_error"},
                              {"request_id", invocation->request_id},
                              {"message", posted.error().message}});
      if (posted.error().fatal) return 1;
    }
  }
  return 0;
}

int RunFunction(const aws::Environment& env, std::FILE* log) {
  const auto endpoint = env.Get("AWS_LAMBDA_RUNTIME_API");
  if (!endpoint) {
    std::fprintf(stderr,
                 "dbt-rotate lambda: AWS_LAMBDA_RUNTIME_API is not set: this mode runs as a "
                 "Lambda function (custom runtime)\n");
    return 2;
  }
  auto host = RuntimeApiHost(*endpoint);
  if (!host) {
    std::fprintf(stderr, "dbt-rotate lambda: %s\n", host.error().c_str());
    return 2;
  }
  http::CurlClient runtime_http(RuntimeHttpOptions(*host));
  auto api = RuntimeApiClient::Create(runtime_http, *endpoint);
  if (!api) return 2;
  auto init_failed = [&](const std::string& message) {
    WriteLine(log, {{"event", "init_error"}, {"message", message}});
    (void)api->PostInitError(FunctionError{"DbtRotate.InvalidConfiguration", message});
    return 2;
  };
  auto config = ConfigFromEnvironment(env);
  if (!config) return init_failed(config.error());
  auto services = BuildServices(*config, env, SystemClock::Instance(), SecureRandom::Instance());
  if (!services) return init_failed(services.error());
  Handler handler;
  handler.deps = [&services](rotation::Observer* observer) { return (*services)->Deps(observer); };
  handler.deadline = &(*services)->deadline;
  handler.options = config->step;
  handler.clock = &SystemClock::Instance();
  handler.log = log;
  return RunLoop(*api, handler);
}

}  // namespace dbtrotate::lambda
