#ifndef DBTROTATE_ROTATION_REPORT_H_
#define DBTROTATE_ROTATION_REPORT_H_

// What a run tells its caller: a structured report (the CLI prints it and maps its outcome to
// an exit code) and, while it runs, one observer call per step. Nothing here ever holds a
// token string: steps and messages carry ids and version ids only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "dbtcloud/types.h"

namespace dbtrotate::rotation {

enum class Outcome {
  kRotated,         // a new token is current (possibly after rolling back an abandoned rotation)
  kResumed,         // an interrupted rotation was finished: its token is now current
  kNotDue,          // nothing to rotate (a due previous token may have been revoked)
  kRolledBack,      // an interrupted rotation was rolled back; nothing was due after that
  kPlanned,         // dry run: the plan is in Report::plan; nothing was written
  kInitialized,     // Init wrote the secret
  kReported,        // Status answered
  kFailedSafely,    // stopped; the old token is still current and working
  kNeedsAttention,  // a state the tool could not resolve; the message says what to do
  kInvalidInput,    // usage, configuration or input error; nothing was written
};

std::string_view OutcomeName(Outcome outcome);
/// 0 rotated / nothing due / planned / reported; 1 failed safely; 2 input error; 3 attention.
int ExitCode(Outcome outcome);

enum class StepStatus { kOk, kWarning, kFailed };
/// "ok", "warning", "failed": the name JSON reports and logs use.
std::string_view StepStatusName(StepStatus status);

struct StepRecord {
  std::string name;  // "read secret", "create token", …
  StepStatus status = StepStatus::kOk;
  std::string detail;  // ids, versions, reasons; never a token or a secret value
  Duration duration{0};
  int calls = 0;  // API calls the step made (both services)
};

/// One line: "ok    create token (1 call, 0.21s): token 55641 'job-runner'".
std::string FormatStep(const StepRecord& step);

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void OnStep(const StepRecord& step) = 0;
};

/// An unfinished rotation found in AWSPENDING.
struct PendingInfo {
  enum class Kind {
    kIntent,   // the run died before it stored a token
    kToken,    // a token is stored and not yet current
    kForeign,  // not written by dbt-rotate: left alone
    /// A rotation Secrets Manager started (RotateSecret): a value-less stub, or a value the
    /// rotation function stored. Its steps finish it; `rotate` waits for it.
    kSecretsManager,
  };
  Kind kind = Kind::kForeign;
  std::string version_id;
  std::optional<SystemTime> since;
  bool stale = false;  // older than the lease: any run may resume it
  std::optional<std::string> rotation_id;
  std::optional<std::int64_t> token_id;  // kToken
};

std::string DescribePending(const PendingInfo& pending);

struct PlannedRevocation {
  std::int64_t token_id = 0;
  std::string when_and_why;  // "now: superseded twice", "after promotion (overlap none)", …
};

/// The dry run's answer.
struct Plan {
  bool rotate = false;
  std::string reason;  // why a rotation is (not) due
  std::string token_name;
  std::vector<dbtcloud::PermissionGrant> grants;
  std::vector<PlannedRevocation> revocations;
  std::vector<std::string> notes;
};

struct RequestCounts {
  int secrets_manager = 0;  // SecretsManagerApi calls
  int dbt_cloud = 0;        // ServiceTokenApi calls (a list call may span several pages)
  int writes = 0;           // of which changed something (put, stage move, create, delete)
};

struct Report {
  Outcome outcome = Outcome::kFailedSafely;
  std::string secret_id;
  std::string message;  // what happened, and what to do when it is not 0
  std::optional<std::int64_t> old_token_id;
  std::optional<std::int64_t> new_token_id;
  std::vector<std::int64_t> revoked_token_ids;  // every token revoked by this run
  std::vector<std::int64_t> orphans_revoked;    // the subset left behind by an earlier run
  std::optional<PendingInfo> pending_found;
  std::optional<Plan> plan;
  std::vector<std::string> warnings;
  std::vector<StepRecord> steps;
  RequestCounts requests;
};

/// The report as text lines for people (the CLI may print JSON instead).
std::vector<std::string> FormatReport(const Report& report);

struct StatusReport {
  Outcome outcome = Outcome::kReported;
  std::string secret_id;
  std::string message;
  std::string current_version_id;
  std::int64_t token_id = 0;
  std::optional<std::string> token_name;
  std::optional<bool> token_active;
  std::optional<SystemTime> token_created_at;
  std::optional<SystemTime> last_rotated;
  std::optional<Duration> age;  // from last_rotated, else created_at
  std::optional<std::vector<dbtcloud::PermissionGrant>> grants;
  enum class Auth { kAccepted, kRejected, kUnknown };
  Auth authenticates = Auth::kUnknown;
  std::string auth_detail;
  std::optional<std::int64_t> account_id;
  std::optional<std::string> access_url;
  std::optional<PendingInfo> pending;
  std::optional<std::int64_t> previous_token_id;
  std::optional<SystemTime> previous_revoke_after;  // absent: at the next rotation
  std::optional<bool> previous_active;
  std::vector<std::string> warnings;
  std::vector<StepRecord> steps;
  RequestCounts requests;
};

std::vector<std::string> FormatStatus(const StatusReport& status);

}  // namespace dbtrotate::rotation

#endif  // DBTROTATE_ROTATION_REPORT_H_
