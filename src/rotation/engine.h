#ifndef DBTROTATE_ROTATION_ENGINE_H_
#define DBTROTATE_ROTATION_ENGINE_H_

// The rotation engine: rotates a dbt Cloud service token stored in a Secrets Manager secret
// so that AWSCURRENT always holds a token dbt accepts, a run killed at any point is finished or
// rolled back by the next one, and nothing it did not create is ever revoked.
// See README-design.md for the protocol and the reasoning.

#include "aws/secretsmanager/api.h"
#include "core/clock.h"
#include "core/random.h"
#include "rotation/options.h"
#include "rotation/report.h"
#include "rotation/run_owner.h"

namespace dbtrotate::rotation {

struct EngineDeps {
  aws::SecretsManagerApi* secrets = nullptr;  // thread-safe: some calls run concurrently
  DbtApiFactory dbt;                          // its APIs must be thread-safe too
  Clock* clock = nullptr;
  Random* random = nullptr;      // ClientRequestTokens and rotation ids
  Observer* observer = nullptr;  // optional: one call per step
  /// Optional: lets a rerun on the same machine resume a crashed run's rotation at once
  /// (without it, only the lease or --takeover make a fresh lock resumable).
  ProcessProbe* probe = nullptr;
};

class Engine {
 public:
  explicit Engine(EngineDeps deps) : deps_(std::move(deps)) {}

  /// Rotates if due; finishes or rolls back an interrupted rotation first. Never throws.
  Report Rotate(const RotateOptions& options);
  /// Reads only: the current token, its age, grants, whether it authenticates, pending and
  /// previous tokens.
  StatusReport Status(const StatusOptions& options);
  /// Creates the secret from an existing token (or overwrites it with `force`).
  Report Init(const InitOptions& options);

 private:
  EngineDeps deps_;
};

}  // namespace dbtrotate::rotation

#endif  // DBTROTATE_ROTATION_ENGINE_H_
