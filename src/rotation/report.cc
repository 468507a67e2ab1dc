#include "rotation/report.h"

#include <fmt/format.h>

#include <chrono>

#include "rotation/duration.h"
#include "rotation/grants.h"
#include "rotation/iso_time.h"

namespace dbtrotate::rotation {

std::string_view StepStatusName(StepStatus status) {
  switch (status) {
    case StepStatus::kOk:
      return "ok";
    case StepStatus::kWarning:
      return "warning";
    case StepStatus::kFailed:
      return "failed";
  }
  return "failed";
}

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kRotated:
      return "rotated";
    case Outcome::kResumed:
      return "resumed";
    case Outcome::kNotDue:
      return "not_due";
    case Outcome::kRolledBack:
      return "rolled_back";
    case Outcome::kPlanned:
      return "planned";
    case Outcome::kInitialized:
      return "initialized";
    case Outcome::kReported:
      return "reported";
    case Outcome::kFailedSafely:
      return "failed_safely";
    case Outcome::kNeedsAttention:
      return "needs_attention";
    case Outcome::kInvalidInput:
      return "invalid_input";
  }
  return "failed_safely";
}

int ExitCode(Outcome outcome) {
  switch (outcome) {
    case Outcome::kRotated:
    case Outcome::kResumed:
    case Outcome::kNotDue:
    case Outcome::kRolledBack:
    case Outcome::kPlanned:
    case Outcome::kInitialized:
    case Outcome::kReported:
      return 0;
    case Outcome::kFailedSafely:
      return 1;
    case Outcome::kInvalidInput:
      return 2;
    case Outcome::kNeedsAttention:
      return 3;
  }
  return 1;
}

std::string FormatStep(const StepRecord& step) {
  const char* status = step.status == StepStatus::kOk        ? "ok"
                       : step.status == StepStatus::kWarning ? "warn"
                                                             : "FAIL";
  const double seconds = std::chrono::duration<double>(step.duration).count();
  std::string line = fmt::format("{:<5} {} ({} call{}, {:.2f}s)", status, step.name, step.calls,
                                 step.calls == 1 ? "" : "s", seconds);
  if (!step.detail.empty()) line += ": " + step.detail;
  return line;
}

std::string DescribePending(const PendingInfo& pending) {
  std::string kind;
  switch (pending.kind) {
    case PendingInfo::Kind::kIntent:
      kind = "an intent record (no token stored yet)";
      break;
    case PendingInfo::Kind::kToken:
      kind = fmt::format("token {} stored, not yet current", pending.token_id.value_or(0));
      break;
    case PendingInfo::Kind::kForeign:
      kind = "a value not written by dbt-rotate";
      break;
    case PendingInfo::Kind::kSecretsManager:
      kind = pending.token_id ? fmt::format(
                                    "a rotation started by Secrets Manager (RotateSecret); its "
                                    "rotation function stored token {}, not yet current",
                                    *pending.token_id)
                              : std::string(
                                    "a rotation started by Secrets Manager (RotateSecret); no "
                                    "token stored yet");
      break;
  }
  const bool leased =
      pending.kind == PendingInfo::Kind::kIntent || pending.kind == PendingInfo::Kind::kToken;
  return fmt::format("AWSPENDING version {}: {}{}{}", pending.version_id, kind,
                     pending.since ? ", since " + FormatIsoTime(*pending.since) : std::string(),
                     !leased         ? ""
                     : pending.stale ? " (abandoned: older than the lease)"
                                     : " (fresh: another run may be working)");
}

std::vector<std::string> FormatReport(const Report& report) {
  std::vector<std::string> lines;
  lines.push_back(fmt::format("{}: {}", OutcomeName(report.outcome), report.message));
  lines.push_back(fmt::format("secret: {}", report.secret_id));
  if (report.old_token_id) lines.push_back(fmt::format("old token: {}", *report.old_token_id));
  if (report.new_token_id) lines.push_back(fmt::format("new token: {}", *report.new_token_id));
  if (!report.revoked_token_ids.empty()) {
    lines.push_back(fmt::format("revoked: {}", fmt::join(report.revoked_token_ids, ", ")));
  }
  if (!report.orphans_revoked.empty()) {
    lines.push_back(fmt::format("orphans revoked: {}", fmt::join(report.orphans_revoked, ", ")));
  }
  if (report.pending_found) lines.push_back("pending: " + DescribePending(*report.pending_found));
  if (report.plan) {
    const Plan& plan = *report.plan;
    lines.push_back(
        fmt::format("plan: {} ({})", plan.rotate ? "rotate" : "no rotation", plan.reason));
    if (plan.rotate) {
      lines.push_back(fmt::format("plan: create token '{}' with {}", plan.token_name,
                                  DescribeGrants(plan.grants)));
    }
    for (const auto& revocation : plan.revocations) {
      lines.push_back(
          fmt::format("plan: revoke token {} {}", revocation.token_id, revocation.when_and_why));
    }
    for (const auto& note : plan.notes) lines.push_back("plan: " + note);
  }
  for (const auto& warning : report.warnings) lines.push_back("warning: " + warning);
  lines.push_back(fmt::format("requests: {} Secrets Manager, {} dbt Cloud ({} writes)",
                              report.requests.secrets_manager, report.requests.dbt_cloud,
                              report.requests.writes));
  return lines;
}

std::vector<std::string> FormatStatus(const StatusReport& status) {
  std::vector<std::string> lines;
  lines.push_back(fmt::format("{}: {}", OutcomeName(status.outcome), status.message));
  lines.push_back(fmt::format("secret: {} (AWSCURRENT version {})", status.secret_id,
                              status.current_version_id));
  lines.push_back(fmt::format(
      "token: {}{}{}", status.token_id,
      status.token_name ? fmt::format(" '{}'", *status.token_name) : std::string(),
      status.token_active ? (*status.token_active ? " (active)" : " (NOT active)") : ""));
  if (status.account_id) lines.push_back(fmt::format("account: {}", *status.account_id));
  if (status.access_url) lines.push_back(fmt::format("access url: {}", *status.access_url));
  if (status.token_created_at) {
    lines.push_back("created: " + FormatIsoTime(*status.token_created_at));
  }
  lines.push_back("last rotated: " +
                  (status.last_rotated ? FormatIsoTime(*status.last_rotated) : "unknown"));
  if (status.age) lines.push_back("age: " + FormatDuration(*status.age));
  if (status.grants) lines.push_back("grants: " + DescribeGrants(*status.grants));
  const char* auth = status.authenticates == StatusReport::Auth::kAccepted   ? "yes"
                     : status.authenticates == StatusReport::Auth::kRejected ? "NO"
                                                                             : "unknown";
  lines.push_back(fmt::format("authenticates: {}{}", auth,
                              status.auth_detail.empty() ? "" : " (" + status.auth_detail + ")"));
  lines.push_back("pending rotation: " +
                  (status.pending ? DescribePending(*status.pending) : std::string("none")));
  if (status.previous_token_id) {
    std::string when = status.previous_revoke_after
                           ? "revoke after " + FormatIsoTime(*status.previous_revoke_after)
                           : std::string("revoke at the next rotation");
    std::string state = !status.previous_active   ? ""
                        : *status.previous_active ? ", still active"
                                                  : ", already revoked";
    lines.push_back(
        fmt::format("previous token: {} ({}{})", *status.previous_token_id, when, state));
  } else {
    lines.push_back("previous token: none");
  }
  for (const auto& warning : status.warnings) lines.push_back("warning: " + warning);
  return lines;
}

}  // namespace dbtrotate::rotation
