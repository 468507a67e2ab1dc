#include "cli/lambda_command.h"

#include <cstdio>
#include <string_view>

#include "lambda/function.h"

namespace dbtrotate::cli {

bool InvokedAsLambdaBootstrap(int argc, char** argv, const aws::Environment& env) {
  if (argc < 1 || !env.Get("AWS_LAMBDA_RUNTIME_API")) return false;
  std::string_view self = argv[0];
  if (const auto slash = self.rfind('/'); slash != std::string_view::npos) {
    self = self.substr(slash + 1);
  }
  return self == "bootstrap" || (argc == 2 && std::string_view(argv[1]) == "bootstrap");
}

int RunLambda(const aws::Environment& env) { return lambda::RunFunction(env, stdout); }

}  // namespace dbtrotate::cli
