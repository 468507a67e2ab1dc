#include "cli/report_json.h"

#include "core/iso8601.h"

namespace dbtrotate::cli {

namespace {

using nlohmann::json;

double Seconds(Duration duration) { return static_cast<double>(duration.count()) / 1000.0; }

json StepsToJson(const std::vector<rotation::StepRecord>& steps) {
  json out = json::array();
  for (const auto& step : steps) {
    out.push_back({{"name", step.name},
                   {"status", rotation::StepStatusName(step.status)},
                   {"detail", step.detail},
                   {"seconds", Seconds(step.duration)},
                   {"calls", step.calls}});
  }
  return out;
}

json CountsToJson(const rotation::RequestCounts& counts) {
  return {{"secrets_manager", counts.secrets_manager},
          {"dbt_cloud", counts.dbt_cloud},
          {"writes", counts.writes}};
}

json GrantsToJson(const std::vector<dbtcloud::PermissionGrant>& grants) {
  json out = json::array();
  for (const auto& grant : grants) {
    json item = {{"permission_set", grant.permission_set}};
    if (grant.project_id) item["project_id"] = *grant.project_id;
    if (grant.writable_environment_categories) {
      item["writable_environment_categories"] = *grant.writable_environment_categories;
    }
    out.push_back(std::move(item));
  }
  return out;
}

template <class T>
json Optional(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json OptionalTime(const std::optional<SystemTime>& value) {
  return value ? json(FormatIso8601(*value)) : json(nullptr);
}

json PendingToJson(const std::optional<rotation::PendingInfo>& pending) {
  if (!pending) return nullptr;
  std::string_view kind = "foreign";
  if (pending->kind == rotation::PendingInfo::Kind::kIntent) kind = "intent";
  if (pending->kind == rotation::PendingInfo::Kind::kToken) kind = "token";
  if (pending->kind == rotation::PendingInfo::Kind::kSecretsManager) kind = "rotation_function";
  return {{"kind", kind},
          {"version_id", pending->version_id},
          {"since", OptionalTime(pending->since)},
          {"stale", pending->stale},
          {"token_id", Optional(pending->token_id)},
          {"description", rotation::DescribePending(*pending)}};
}

}  // namespace

json ReportToJson(const rotation::Report& report) {
  json out = {
      {"outcome", rotation::OutcomeName(report.outcome)},
      {"exit_code", rotation::ExitCode(report.outcome)},
      {"secret_id", report.secret_id},
      {"message", report.message},
      {"old_token_id", Optional(report.old_token_id)},
      {"new_token_id", Optional(report.new_token_id)},
      {"revoked_token_ids", report.revoked_token_ids},
      {"orphans_revoked", report.orphans_revoked},
      {"pending_found", PendingToJson(report.pending_found)},
      {"warnings", report.warnings},
      {"steps", StepsToJson(report.steps)},
      {"requests", CountsToJson(report.requests)},
  };
  Duration total(0);
  for (const auto& step : report.steps) total += step.duration;
  out["seconds"] = Seconds(total);
  if (report.plan) {
    json revocations = json::array();
    for (const auto& revocation : report.plan->revocations) {
      revocations.push_back({{"token_id", revocation.token_id}, {"when", revocation.when_and_why}});
    }
    out["plan"] = {{"rotate", report.plan->rotate},
                   {"reason", report.plan->reason},
                   {"token_name", report.plan->token_name},
                   {"grants", GrantsToJson(report.plan->grants)},
                   {"revocations", revocations},
                   {"notes", report.plan->notes}};
  }
  return out;
}

json StatusToJson(const rotation::StatusReport& status) {
  std::string_view auth = "unknown";
  if (status.authenticates == rotation::StatusReport::Auth::kAccepted) auth = "accepted";
  if (status.authenticates == rotation::StatusReport::Auth::kRejected) auth = "rejected";
  return {
      {"outcome", rotation::OutcomeName(status.outcome)},
      {"exit_code", rotation::ExitCode(status.outcome)},
      {"secret_id", status.secret_id},
      {"message", status.message},
      {"current_version_id", status.current_version_id},
      {"token_id", status.token_id},
      {"token_name", Optional(status.token_name)},
      {"token_active", Optional(status.token_active)},
      {"token_created_at", OptionalTime(status.token_created_at)},
      {"last_rotated", OptionalTime(status.last_rotated)},
      {"age_seconds", status.age ? json(Seconds(*status.age)) : json(nullptr)},
      {"grants", status.grants ? GrantsToJson(*status.grants) : json(nullptr)},
      {"authenticates", auth},
      {"auth_detail", status.auth_detail},
      {"account_id", Optional(status.account_id)},
      {"access_url", Optional(status.access_url)},
      {"pending", PendingToJson(status.pending)},
      {"previous_token_id", Optional(status.previous_token_id)},
      {"previous_revoke_after", OptionalTime(status.previous_revoke_after)},
      {"previous_active", Optional(status.previous_active)},
      {"warnings", status.warnings},
      {"steps", StepsToJson(status.steps)},
      {"requests", CountsToJson(status.requests)},
  };
}

}  // namespace dbtrotate::cli
