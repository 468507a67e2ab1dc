#ifndef DBTROTATE_ROTATION_OPERATIONS_H_
#define DBTROTATE_ROTATION_OPERATIONS_H_

// The read-only status query and the one-time init (internal; called by Engine).

#include "rotation/options.h"
#include "rotation/report.h"
#include "rotation/run_context.h"

namespace dbtrotate::rotation::internal {

StatusReport RunStatus(RunContext& context, const StatusOptions& options);
Report RunInit(RunContext& context, const InitOptions& options);

}  // namespace dbtrotate::rotation::internal

#endif  // DBTROTATE_ROTATION_OPERATIONS_H_
