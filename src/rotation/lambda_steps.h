#ifndef DBTROTATE_ROTATION_LAMBDA_STEPS_H_
#define DBTROTATE_ROTATION_LAMBDA_STEPS_H_

// dbt-rotate as a Secrets Manager rotation function: the four steps Secrets Manager invokes
// (createSecret, setSecret, testSecret, finishSecret) built from the engine's pieces (intent
// records and the orphan search, create, verification, promotion by compare-and-swap, overlap
// revocation). README-design.md §9 maps them onto the CLI's lock and intent records.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret_string.h"
#include "rotation/engine.h"
#include "rotation/options.h"
#include "rotation/report.h"

namespace dbtrotate::rotation {

enum class RotationStep { kCreateSecret, kSetSecret, kTestSecret, kFinishSecret };

/// "createSecret" … "finishSecret" (the templates' spelling); nullopt for anything else.
std::optional<RotationStep> ParseRotationStep(std::string_view text);
std::string_view RotationStepName(RotationStep step);

/// One invocation's event.
struct StepRequest {
  RotationStep step = RotationStep::kCreateSecret;
  std::string secret_id;             // the event's SecretId (an ARN)
  std::string client_request_token;  // the AWSPENDING version this rotation fills
  /// Passed to PutSecretValue when present; credential-like, so never printed.
  std::optional<SecretString> rotation_token;
};

/// The function's configuration (its environment), the same knobs as `rotate`'s flags.
struct StepOptions {
  ConnectionOptions connection;
  std::optional<std::vector<dbtcloud::PermissionGrant>> grants;  // default: inherit
  OverlapPolicy overlap;
  Duration lease = std::chrono::minutes(15);  // the orphan search's window, as for the CLI
  Duration clock_skew = std::chrono::minutes(5);
  bool concurrent_requests = true;
  int verify_attempts = 3;
  Duration verify_backoff = std::chrono::seconds(2);
  /// When the invocation is killed. A step does not start a create, a store or a promotion
  /// with less than `reserve` left, so it ends with a resumable state rather than being killed.
  std::optional<SystemTime> deadline;
  Duration reserve = std::chrono::seconds(3);
};

/// Runs one step. Success outcomes: kRotated (the step did its work) and kNotDue (nothing to
/// do: already done). Anything else fails the step; Secrets Manager retries the rotation, and
/// every step is idempotent. Never throws.
Report RunRotationStep(const EngineDeps& deps, const StepRequest& request,
                       const StepOptions& options);

/// The owner tag a rotation function's values carry in `rotation_id` ("<uuid>@rotation-function"),
/// so that `rotate` and `status` recognise a rotation Secrets Manager started.
inline constexpr char kRotationFunctionTag[] = "rotation-function";
bool WrittenByRotationFunction(std::string_view rotation_id);

}  // namespace dbtrotate::rotation

#endif  // DBTROTATE_ROTATION_LAMBDA_STEPS_H_
