#ifndef DBTROTATE_ROTATION_LOCK_H_
#define DBTROTATE_ROTATION_LOCK_H_

// The Secrets Manager side of a rotation (internal): AWSPENDING as a lock taken by
// compare-and-swap, idempotent version writes, and the promotion to AWSCURRENT.

#include <optional>
#include <string>
#include <vector>

#include "rotation/run_context.h"

namespace dbtrotate::rotation::internal {

/// PutSecretValue with a fresh ClientRequestToken; on a lost reply or a transient error it is
/// sent once more with the same token and bytes, which Secrets Manager treats as a no-op if
/// the first one landed. Returns the version id.
aws::AwsResult<std::string> PutVersion(RunContext& context, const std::string& secret_id,
                                       const SecretString& value, std::vector<std::string> stages);

/// Writes `value` as a new version and moves AWSPENDING onto it only if AWSPENDING is where
/// this run last saw it (`expected_holder`, or on no version): UpdateSecretVersionStage fails
/// when the label sits on a version other than RemoveFromVersionId. So of two runs that saw
/// the same state, exactly one gets the lock. Returns the new version id.
Flow<std::string> AcquireLock(RunContext& context, const std::string& secret_id,
                              const SecretString& value,
                              const std::optional<std::string>& expected_holder);

/// Removes AWSPENDING if one of `ours` holds it (ours.front() tried first). False if it could
/// not tell or could not remove it; the lock then expires with the lease.
bool ReleaseLock(RunContext& context, const std::string& secret_id,
                 const std::vector<std::string>& ours);

enum class Promotion {
  kDone,     // AWSCURRENT is on the new version
  kLost,     // AWSCURRENT is elsewhere (another run or a person changed it): not promoted
  kUnknown,  // could not find out; the next run sees which it was
};

/// UpdateSecretVersionStage(AWSCURRENT, MoveTo=to, RemoveFrom=from), reconciled with
/// DescribeSecret when the reply is lost or refused. `why` receives the error, if any.
Promotion Promote(RunContext& context, const std::string& secret_id, const std::string& to,
                  const std::string& from, std::string& why);

/// The command a person runs to clear a dead lock, for messages.
std::string RemoveLockCommand(const std::string& secret_id, const std::string& version);

}  // namespace dbtrotate::rotation::internal

#endif  // DBTROTATE_ROTATION_LOCK_H_
