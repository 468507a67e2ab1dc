#include "notify/summary.h"

#include <fmt/format.h>

#include "core/version.h"

namespace dbtrotate::notify {

namespace {

std::string Id(const std::optional<std::int64_t>& id) {
  return id ? std::to_string(*id) : std::string("none");
}

double Seconds(Duration duration) { return static_cast<double>(duration.count()) / 1000.0; }

}  // namespace

std::string SummaryText(const Summary& summary) {
  std::string text =
      fmt::format("dbt-rotate {}: secret '{}' {}", summary.command, summary.secret_id,
                  summary.exit_code == 0 ? summary.outcome : "FAILED: " + summary.outcome);
  if (summary.new_token_id) {
    text += fmt::format(" (token {} -> {})", Id(summary.old_token_id), *summary.new_token_id);
  }
  text += fmt::format(", exit code {}, {:.1f} s", summary.exit_code, Seconds(summary.duration));
  if (!summary.message.empty()) text += ". " + summary.message;
  return text;
}

nlohmann::json SummaryPayload(const Summary& summary) {
  auto optional_id = [](const std::optional<std::int64_t>& id) {
    return id ? nlohmann::json(*id) : nlohmann::json(nullptr);
  };
  return {{"text", SummaryText(summary)},
          {"tool", "dbt-rotate"},
          {"version", kVersion},
          {"command", summary.command},
          {"outcome", summary.outcome},
          {"exit_code", summary.exit_code},
          {"secret_id", summary.secret_id},
          {"old_token_id", optional_id(summary.old_token_id)},
          {"new_token_id", optional_id(summary.new_token_id)},
          {"revoked_token_ids", summary.revoked_token_ids},
          {"duration_seconds", Seconds(summary.duration)},
          {"message", summary.message},
          {"warnings", summary.warnings}};
}

}  // namespace dbtrotate::notify
