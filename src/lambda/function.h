#ifndef DBTROTATE_LAMBDA_FUNCTION_H_
#define DBTROTATE_LAMBDA_FUNCTION_H_

// dbt-rotate as the rotation function: the invocation loop over the Runtime API, one step per
// invocation, JSON log lines on stdout (one object per line, for CloudWatch Logs Insights).

#include <cstdio>
#include <functional>
#include <optional>

#include "aws/credentials/environment.h"
#include "lambda/deadline.h"
#include "lambda/runtime_api.h"
#include "rotation/lambda_steps.h"

namespace dbtrotate::lambda {

/// errorType for a failed step: DbtRotate.FailedSafely, .InvalidInput, .NeedsAttention.
std::string ErrorTypeFor(rotation::Outcome outcome);

/// What one invocation needs; the engine's dependencies are built per invocation so that the
/// observer logs this invocation's steps.
struct Handler {
  std::function<rotation::EngineDeps(rotation::Observer*)> deps;
  Deadline* deadline = nullptr;
  rotation::StepOptions options;
  Clock* clock = nullptr;
  std::FILE* log = stdout;
};

/// Handles one invocation: nullopt = success, else the error to post. Never throws.
std::optional<FunctionError> HandleInvocation(Handler& handler, const Invocation& invocation);

/// Next → handle → response or error, until the Runtime API fails (returns 1) or
/// `max_invocations` (tests) have been handled (returns 0).
int RunLoop(RuntimeApiClient& api, Handler& handler, std::optional<int> max_invocations = {});

/// The whole function: configuration from `env` (a bad one goes to the init-error endpoint),
/// the clients, the loop.
int RunFunction(const aws::Environment& env, std::FILE* log);

}  // namespace dbtrotate::lambda

#endif  // DBTROTATE_LAMBDA_FUNCTION_H_
