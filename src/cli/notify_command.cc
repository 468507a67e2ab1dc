#include "cli/notify_command.h"

#include "http/curl_client.h"
#include "notify/summary.h"

namespace dbtrotate::cli {

namespace {

notify::Summary SummaryOf(const rotation::Report& report, Duration took) {
  notify::Summary summary;
  summary.command = "rotate";
  summary.outcome = std::string(rotation::OutcomeName(report.outcome));
  summary.exit_code = rotation::ExitCode(report.outcome);
  summary.secret_id = report.secret_id;
  summary.old_token_id = report.old_token_id;
  summary.new_token_id = report.new_token_id;
  summary.revoked_token_ids = report.revoked_token_ids;
  summary.duration = took;
  summary.message = report.message;
  summary.warnings = report.warnings;
  return summary;
}

}  // namespace

void AddNotifyFlags(CLI::App* command, NotifyFlags& flags) {
  command->add_option_function<std::string>(
      "--notify-url", [&flags](const std::string& value) { flags.url = value; },
      "after the run, POST a JSON summary (Slack-compatible `text` plus fields) here; https "
      "(http only to loopback); else DBTROTATE_NOTIFY_URL");
  command->add_option("--notify", flags.when, "on-failure (default) or always: when to notify")
      ->check(CLI::IsMember({"on-failure", "always"}));
}

Result<std::optional<NotifySettings>, std::string> ResolveNotify(
    const NotifyFlags& flags, const std::optional<std::string>& ca_bundle,
    const aws::Environment& env) {
  auto when = notify::ParseWhen(flags.when);
  if (!when) return Fail(when.error());
  std::optional<std::string> url = flags.url;
  const char* source = "--notify-url";
  if (!url) {
    url = env.Get("DBTROTATE_NOTIFY_URL");
    source = "DBTROTATE_NOTIFY_URL";
  }
  if (!url) return std::optional<NotifySettings>();
  if (auto checked = notify::CheckNotifyUrl(*url); !checked) {
    return Fail(std::string(source) + ": " + checked.error());
  }
  NotifySettings settings;
  settings.url = *url;
  settings.when = *when;
  settings.ca_bundle = ca_bundle ? ca_bundle : env.Get("SSL_CERT_FILE");
  return std::optional<NotifySettings>(std::move(settings));
}

NotifyResult NotifyAfterRun(const std::optional<NotifySettings>& settings,
                            const rotation::Report& report, Duration took, bool quiet,
                            std::FILE* err) {
  NotifyResult result;
  if (!settings || !notify::ShouldSend(settings->when, rotation::ExitCode(report.outcome))) {
    return result;
  }
  result.attempted = true;
  result.endpoint = notify::DescribeEndpoint(settings->url);
  http::CurlClientOptions options;
  options.connect_timeout = std::chrono::seconds(5);
  if (settings->ca_bundle) options.ca_bundle = *settings->ca_bundle;
  http::CurlClient client(options);
  auto sent = notify::Send(client, settings->url, notify::SummaryPayload(SummaryOf(report, took)));
  if (sent) {
    result.delivered = true;
    result.status = sent->status;
    if (!quiet) std::fprintf(err, "dbt-rotate: notification sent to %s\n", result.endpoint.c_str());
    return result;
  }
  result.status = sent.error().status;
  result.error = sent.error().message;
  std::fprintf(err,
               "dbt-rotate: notification NOT delivered: %s. The run's outcome (%s) and exit code "
               "are unchanged; check the notify URL.\n",
               result.error.c_str(), std::string(rotation::OutcomeName(report.outcome)).c_str());
  return result;
}

nlohmann::json NotifyResultToJson(const NotifyResult& result) {
  if (!result.attempted) return {{"attempted", false}};
  return {{"attempted", true},
          {"delivered", result.delivered},
          {"endpoint", result.endpoint},
          {"status", result.status ? nlohmann::json(*result.status) : nlohmann::json(nullptr)},
          {"error", result.delivered ? nlohmann::json(nullptr) : nlohmann::json(result.error)}};
}

}  // namespace dbtrotate::cli
