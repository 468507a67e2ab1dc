#include "rotation/engine.h"

#include "rotation/operations.h"
#include "rotation/rotate_run.h"
#include "rotation/run_context.h"

namespace dbtrotate::rotation {

Report Engine::Rotate(const RotateOptions& options) {
  internal::RunContext context(deps_, options.concurrent_requests);
  return internal::RotateRun(context, options).Execute();
}

StatusReport Engine::Status(const StatusOptions& options) {
  internal::RunContext context(deps_, options.concurrent_requests);
  return internal::RunStatus(context, options);
}

Report Engine::Init(const InitOptions& options) {
  internal::RunContext context(deps_, /*concurrent=*/false);
  return internal::RunInit(context, options);
}

}  // namespace dbtrotate::rotation
