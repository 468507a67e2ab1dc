#ifndef DBTROTATE_CLI_NOTIFY_COMMAND_H_
#define DBTROTATE_CLI_NOTIFY_COMMAND_H_

// `rotate --notify-url URL [--notify on-failure|always]`: after the run, post a summary to a
// webhook (notify/). Delivery never changes the run's outcome or exit code; a failure to
// deliver is printed on stderr and recorded in the JSON report's "notification".

#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "aws/credentials/environment.h"
#include "core/clock.h"
#include "core/result.h"
#include "notify/sender.h"
#include "rotation/report.h"

namespace dbtrotate::cli {

struct NotifyFlags {
  std::optional<std::string> url;  // --notify-url, else DBTROTATE_NOTIFY_URL
  std::string when = "on-failure";
};

/// Registers --notify-url and --notify on a command.
void AddNotifyFlags(CLI::App* command, NotifyFlags& flags);

struct NotifySettings {
  std::string url;
  notify::When when = notify::When::kOnFailure;
  std::optional<std::string> ca_bundle;  // --ca-bundle, else SSL_CERT_FILE
};

/// Nothing when no URL is configured; an error (exit 2, before anything is contacted) for an
/// unusable URL or --notify value.
Result<std::optional<NotifySettings>, std::string> ResolveNotify(
    const NotifyFlags& flags, const std::optional<std::string>& ca_bundle,
    const aws::Environment& env);

struct NotifyResult {
  bool attempted = false;
  bool delivered = false;
  std::string endpoint;  // scheme://host:port
  std::optional<int> status;
  std::string error;
};

/// Sends the report's summary when the settings say so; reports the result on `err` (a
/// failure always, a delivery unless `quiet`). Never throws, never changes the report.
NotifyResult NotifyAfterRun(const std::optional<NotifySettings>& settings,
                            const rotation::Report& report, Duration took, bool quiet,
                            std::FILE* err);

/// {"attempted", "delivered", "endpoint", "status", "error"}: the JSON report's "notification".
nlohmann::json NotifyResultToJson(const NotifyResult& result);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_NOTIFY_COMMAND_H_
