#ifndef DBTROTATE_NOTIFY_SUMMARY_H_
#define DBTROTATE_NOTIFY_SUMMARY_H_

// What a notification says about one run, and the JSON it is sent as: Slack-compatible (a
// `text` line a person reads) plus the structured fields a program reads. Built from ids,
// names and messages only: a token or secret value never reaches it.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace dbtrotate::notify {

struct Summary {
  std::string command = "rotate";
  std::string outcome;  // "rotated", "failed_safely", … (rotation::OutcomeName)
  int exit_code = 0;
  std::string secret_id;
  std::optional<std::int64_t> old_token_id;
  std::optional<std::int64_t> new_token_id;
  std::vector<std::int64_t> revoked_token_ids;
  Duration duration{0};
  std::string message;  // what happened, and what to do when exit_code is not 0
  std::vector<std::string> warnings;
};

/// The `text` line: "dbt-rotate: secret 'prod/dbt' rotated (token 1 -> 2, 1.2 s)", or for a
/// failure the outcome, the exit code and the message that says what to do.
std::string SummaryText(const Summary& summary);

/// {"text", "tool", "version", "command", "outcome", "exit_code", "secret_id", "old_token_id",
///  "new_token_id", "revoked_token_ids", "duration_seconds", "message", "warnings"}.
nlohmann::json SummaryPayload(const Summary& summary);

}  // namespace dbtrotate::notify

#endif  // DBTROTATE_NOTIFY_SUMMARY_H_
