#ifndef DBTROTATE_ROTATION_LAMBDA_CHECKS_H_
#define DBTROTATE_ROTATION_LAMBDA_CHECKS_H_

// The checks AWS's rotation templates make before every step (internal), and how the CLI
// describes a rotation Secrets Manager has in flight.

#include <string>

#include "rotation/lambda_steps.h"
#include "rotation/run_context.h"

namespace dbtrotate::rotation::internal {

struct EventCheck {
  aws::SecretDescription description;
  /// The event's version already carries AWSCURRENT: the rotation is finished.
  bool already_current = false;
};

/// DescribeSecret, then: rotation enabled; the token is a version of the secret; AWSCURRENT on
/// it means done; otherwise AWSPENDING must be on it. A failed check is the step's error.
Flow<EventCheck> CheckRotationEvent(RunContext& context, const StepRequest& request);

/// Why `rotate` refuses to touch a secret whose AWSPENDING belongs to a RotateSecret rotation.
std::string RotationInFlightMessage(const std::string& secret_id, const PendingInfo& pending);

}  // namespace dbtrotate::rotation::internal

#endif  // DBTROTATE_ROTATION_LAMBDA_CHECKS_H_
