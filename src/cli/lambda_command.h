#ifndef DBTROTATE_CLI_LAMBDA_COMMAND_H_
#define DBTROTATE_CLI_LAMBDA_COMMAND_H_

// `dbt-rotate lambda`, and the same when the binary runs as a Lambda custom runtime's
// `bootstrap` with AWS_LAMBDA_RUNTIME_API set.

#include "aws/credentials/environment.h"

namespace dbtrotate::cli {

/// True when argv says "be the rotation function": argv[0] is named `bootstrap`, or the only
/// argument is `bootstrap` (a packaged bootstrap script passing ${_HANDLER}), in an environment
/// that has AWS_LAMBDA_RUNTIME_API.
bool InvokedAsLambdaBootstrap(int argc, char** argv, const aws::Environment& env);

/// Runs the invocation loop until the Runtime API goes away; JSON log lines on stdout.
int RunLambda(const aws::Environment& env);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_LAMBDA_COMMAND_H_
