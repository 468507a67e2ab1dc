#include "cli/fleet_command.h"

#include "cli/terminal_text.h"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>

#include "cli/report_json.h"
#include "core/iso8601.h"
#include "fleet/fleet_config.h"
#include "fleet/selection.h"
#include "rotation/duration.h"

namespace dbtrotate::cli {
namespace {

using nlohmann::json;

double Seconds(Duration duration) { return static_cast<double>(duration.count()) / 1000.0; }

// Single-secret flags have no meaning with --config: each entry (or `defaults:`) says it.
std::optional<std::string> ConflictingRotateFlag(const RotateFlags& flags) {
  if (!flags.secret_id.empty()) return "--secret-id";
  if (flags.connection.account_id) return "--account-id";
  if (flags.connection.access_url) return "--access-url";
  if (flags.token_name) return "--token-name";
  if (flags.permissions != "inherit") return "--permissions";
  if (flags.overlap != "none") return "--overlap";
  if (flags.manager_secret_id) return "--manager-secret-id";
  if (flags.min_age) return "--min-age";
  if (flags.takeover) return "--takeover";
  return std::nullopt;
}

fleet::FleetDeps Deps(FleetContext& context) {
  fleet::FleetDeps deps;
  deps.dbt_http = context.dbt_pool.get();
  deps.clock = &SystemClock::Instance();
  deps.random = &SecureRandom::Instance();
  deps.probe = &rotation::LinuxProcessProbe::Instance();
  deps.secrets =
      [&context](const fleet::AwsTarget& target) -> Result<fleet::SecretsTarget, std::string> {
    auto it = context.runtimes.find(target);
    if (it == context.runtimes.end()) return Fail(std::string("no AWS configuration"));
    return fleet::SecretsTarget{it->second->secrets.get(), it->second->aws_config.region};
  };
  return deps;
}

Result<fleet::FleetLimits, std::string> Limits(const FleetFlags& flags) {
  fleet::FleetLimits limits;
  limits.jobs = flags.jobs;
  auto dbt = fleet::ParseRate(flags.dbt_rate, std::chrono::minutes(1), "--dbt-rate");
  if (!dbt) return Fail(dbt.error());
  limits.dbt = *dbt;
  // dbt's cool-down after a 429 is five minutes of its one-minute windows: scale it along.
  limits.too_many_requests.cooldown = dbt->window * 5;
  auto sm = fleet::ParseRate(flags.sm_write_rate, std::chrono::seconds(1), "--sm-write-rate");
  if (!sm) return Fail(sm.error());
  limits.secrets_manager_writes = *sm;
  return limits;
}

bool Skipped(rotation::Outcome outcome) {
  return outcome == rotation::Outcome::kNotDue || outcome == rotation::Outcome::kPlanned;
}

// On a terminal: one live line (done, failed, skipped, in flight, ETA). Otherwise one plain
// line per finished secret.
class FleetProgress final : public fleet::FleetObserver {
 public:
  FleetProgress(std::FILE* err, bool quiet, std::size_t total)
      : err_(err), quiet_(quiet), live_(isatty(fileno(err)) != 0), total_(total) {}
  ~FleetProgress() override {
    if (live_ && !quiet_ && done_ > 0) std::fprintf(err_, "\n");
  }
  FleetProgress(const FleetProgress&) = delete;
  FleetProgress& operator=(const FleetProgress&) = delete;

  void OnStarted(const fleet::FleetEntry&) override { ++in_flight_; }
  void OnFinished(const fleet::EntryResult& result) override {
    --in_flight_;
    ++done_;
    if (rotation::ExitCode(result.report.outcome) != 0) ++failed_;
    if (Skipped(result.report.outcome)) ++skipped_;
    if (quiet_) return;
    if (!live_) {
      std::fprintf(err_, "dbt-rotate: [%zu/%zu] %s: %s (%.2fs)\n", done_, total_,
                   EscapeControl(result.name).c_str(),
                   std::string(rotation::OutcomeName(result.report.outcome)).c_str(),
                   Seconds(result.duration));
    } else {
      const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
      const double eta = elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_);
      std::fprintf(err_,
                   "\r\033[Kdbt-rotate: %zu/%zu done, %zu failed, %zu skipped, %zu in flight, "
                   "ETA %.0fs",
                   done_, total_, failed_, skipped_, in_flight_, eta);
    }
    std::fflush(err_);
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::FILE* err_;
  bool quiet_;
  bool live_;
  std::size_t total_;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  std::size_t skipped_ = 0;
  std::size_t in_flight_ = 0;
  Clock::time_point start_ = Clock::now();
};

std::string Id(const std::optional<std::int64_t>& id) {
  return id ? std::to_string(*id) : std::string("-");
}

void PrintFleetTable(const fleet::FleetReport& report, std::FILE* out) {
  std::fprintf(out, "%-32s %-16s %10s %10s %8s  %s\n", "NAME", "OUTCOME", "OLD TOKEN", "NEW TOKEN",
               "TIME", "MESSAGE");
  std::map<std::string, int> counts;
  for (const auto& entry : report.entries) {
    const std::string outcome(rotation::OutcomeName(entry.report.outcome));
    ++counts[outcome];
    std::fprintf(out, "%-32s %-16s %10s %10s %7.2fs  %s\n", EscapeControl(entry.name).c_str(),
                 outcome.c_str(), Id(entry.report.old_token_id).c_str(),
                 Id(entry.report.new_token_id).c_str(), Seconds(entry.duration),
                 EscapeControl(entry.report.message).c_str());
  }
  std::string totals;
  for (const auto& [outcome, count] : counts) {
    totals += fmt::format("{}{} {}", totals.empty() ? "" : ", ", count, outcome);
  }
  std::int64_t dbt_requests = 0;
  for (const auto& account : report.accounts) dbt_requests += account.limiter.acquired;
  std::fprintf(out, "%zu secrets: %s; %.1fs; %lld dbt Cloud requests, %lld answered 429\n",
               report.entries.size(), totals.c_str(), Seconds(report.wall),
               static_cast<long long>(dbt_requests),
               static_cast<long long>(report.TooManyRequests()));
}

json FleetToJson(const fleet::FleetReport& report, const std::vector<fleet::FleetEntry>& entries) {
  json secrets = json::array();
  for (std::size_t i = 0; i < report.entries.size(); ++i) {
    const auto& entry = report.entries[i];
    secrets.push_back({{"name", entry.name},
                       {"secret_id", entry.secret_id},
                       {"tags", entries[i].tags},
                       {"outcome", rotation::OutcomeName(entry.report.outcome)},
                       {"seconds", Seconds(entry.duration)},
                       {"report", ReportToJson(entry.report)}});
  }
  json accounts = json::array();
  for (const auto& account : report.accounts) {
    accounts.push_back({{"access_url", account.access_url},
                        {"account_id", account.account_id},
                        {"requests", account.limiter.acquired},
                        {"too_many_requests", account.too_many_requests},
                        {"paused", account.limiter.pauses}});
  }
  return {{"exit_code", report.ExitCode()},
          {"seconds", Seconds(report.wall)},
          {"secrets", secrets},
          {"dbt_accounts", accounts}};
}

std::string Due(const fleet::FleetEntry& entry, const rotation::StatusReport& status) {
  if (entry.rotate.force || !entry.rotate.min_age) return "yes";
  if (!status.age) return "unknown";
  return *status.age >= *entry.rotate.min_age ? "yes" : "no";
}

std::string Auth(rotation::StatusReport::Auth auth) {
  switch (auth) {
    case rotation::StatusReport::Auth::kAccepted:
      return "yes";
    case rotation::StatusReport::Auth::kRejected:
      return "NO";
    case rotation::StatusReport::Auth::kUnknown:
      break;
  }
  return "unknown";
}

std::string Pending(const rotation::StatusReport& status) {
  return status.pending ? rotation::DescribePending(*status.pending) : std::string("-");
}

std::string Previous(const rotation::StatusReport& status) {
  if (!status.previous_token_id) return "-";
  std::string text = std::to_string(*status.previous_token_id);
  if (status.previous_revoke_after) {
    text += " after " + FormatIso8601(*status.previous_revoke_after);
  } else {
    text += " at next rotation";
  }
  return text;
}

void PrintStatusTable(const std::vector<fleet::FleetEntry>& entries,
                      const std::vector<rotation::StatusReport>& reports, std::FILE* out) {
  std::fprintf(out, "%-32s %10s %8s %-7s %-32s %-13s %-12s %s\n", "NAME", "TOKEN", "AGE", "DUE",
               "LAST ROTATED", "AUTHENTICATES", "PREVIOUS", "PENDING");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& status = reports[i];
    if (status.outcome != rotation::Outcome::kReported) {
      std::fprintf(out, "%-32s %s: %s\n", EscapeControl(entries[i].name).c_str(),
                   std::string(rotation::OutcomeName(status.outcome)).c_str(),
                   EscapeControl(status.message).c_str());
      continue;
    }
    std::fprintf(out, "%-32s %10lld %8s %-7s %-32s %-13s %-12s %s\n",
                 EscapeControl(entries[i].name).c_str(), static_cast<long long>(status.token_id),
                 status.age ? rotation::FormatDuration(*status.age).c_str() : "-",
                 Due(entries[i], status).c_str(),
                 status.last_rotated ? FormatIso8601(*status.last_rotated).c_str() : "-",
                 Auth(status.authenticates).c_str(), Previous(status).c_str(),
                 EscapeControl(Pending(status)).c_str());
  }
}

// Worst of the rows: 3 when any row needs attention (a token that no longer authenticates),
// 1 when a row could not be read, else 0.
int StatusExitCode(const std::vector<rotation::StatusReport>& reports) {
  int worst = 0;
  for (const auto& status : reports) {
    int code = rotation::ExitCode(status.outcome);
    if (code == kExitUsage) code = kExitFailedSafely;
    if (status.authenticates == rotation::StatusReport::Auth::kRejected) code = kExitNeedsAttention;
    worst = code == kExitNeedsAttention || worst == kExitNeedsAttention ? kExitNeedsAttention
                                                                        : std::max(worst, code);
  }
  return worst;
}

}  // namespace

Result<std::unique_ptr<FleetContext>, std::string> PrepareFleet(const std::string& path,
                                                                const fleet::Selection& selection,
                                                                const ConnectionFlags& connection,
                                                                const aws::Environment& env) {
  auto config = fleet::LoadFleetConfig(path);
  if (!config) return Fail(config.error().message);
  auto context = std::make_unique<FleetContext>();
  context->entries = fleet::Select(config->entries, selection);
  if (context->entries.empty()) {
    return Fail(fmt::format("{}: no entry matches --only/--tag (the file has {})", path,
                            config->entries.size()));
  }
  for (const auto& entry : context->entries) {
    if (context->runtimes.contains(entry.aws)) continue;
    ConnectionFlags target = connection;
    if (entry.aws.region) target.region = entry.aws.region;
    if (entry.aws.profile) target.profile = entry.aws.profile;
    auto runtime = BuildRuntime(target, env, SystemClock::Instance(), SecureRandom::Instance());
    if (!runtime) {
      return Fail(
          fmt::format("{}:{}: {} (entry '{}')", path, entry.line, runtime.error(), entry.name));
    }
    // The first runtime's dbt Cloud client (CA bundle, timeouts from the flags) is the one pool
    // every account shares; the others' stay unused.
    if (!context->dbt_pool) context->dbt_pool = std::move((*runtime)->dbt_http);
    context->runtimes.emplace(entry.aws, std::move(*runtime));
  }
  return context;
}

std::string EscapeControl(std::string_view text) { return TerminalSafe(text); }

void AddFleetStatusFlags(CLI::App* status, FleetFlags& flags) {
  status->add_option_function<std::string>(
      "--config", [&flags](const std::string& path) { flags.config = path; },
      "a fleet file (YAML): every secret in it (see examples/fleet.yaml)");
  status->add_option("--only", flags.only, "only entries whose name or secret_id match (glob)");
  status->add_option("--tag", flags.tags, "only entries with this tag");
  status->add_option("--jobs", flags.jobs, "secrets handled at once")->check(CLI::Range(1, 64));
}

void AddFleetRotateFlags(CLI::App* rotate, FleetFlags& flags) {
  AddFleetStatusFlags(rotate, flags);
  rotate->add_option("--dbt-rate", flags.dbt_rate,
                     "dbt Cloud requests per minute per account (default 3000; dbt allows 5000), "
                     "or N/DURATION");
  rotate->add_option("--sm-write-rate", flags.sm_write_rate,
                     "Secrets Manager writes per second per region (default 40; AWS allows 50), "
                     "or N/DURATION");
}

int RunFleetRotate(const GlobalFlags& global, const RotateFlags& rotate, const FleetFlags& flags,
                   const aws::Environment& env, Io io) {
  if (auto flag = ConflictingRotateFlag(rotate)) {
    return UsageError(io, *flag +
                              " cannot be combined with --config: set it in the file (an "
                              "entry or `defaults:`)");
  }
  auto limits = Limits(flags);
  if (!limits) return UsageError(io, limits.error());
  ConnectionFlags connection = rotate.connection;
  connection.concurrency = flags.jobs;
  auto context = PrepareFleet(*flags.config, {flags.only, flags.tags}, connection, env);
  if (!context) return UsageError(io, context.error());
  const auto& entries = (*context)->entries;
  fleet::FleetRunner runner(Deps(**context), *limits);
  FleetProgress progress(io.err, global.quiet, entries.size());
  const auto report = runner.Run(entries, {rotate.dry_run, rotate.force}, &progress);
  if (global.output == OutputFormat::kJson) {
    std::fprintf(io.out, "%s\n", FleetToJson(report, entries).dump(2).c_str());
  } else {
    PrintFleetTable(report, io.out);
  }
  std::fflush(io.out);
  return report.ExitCode();
}

int RunFleetStatus(const GlobalFlags& global, const StatusFlags& status, const FleetFlags& flags,
                   const aws::Environment& env, Io io) {
  if (!status.secret_id.empty() || status.manager_secret_id || status.connection.account_id ||
      status.connection.access_url) {
    return UsageError(io,
                      "--secret-id, --manager-secret-id, --account-id and --access-url cannot "
                      "be combined with --config: the file says them");
  }
  auto limits = Limits(flags);
  if (!limits) return UsageError(io, limits.error());
  ConnectionFlags connection = status.connection;
  connection.concurrency = flags.jobs;
  auto context = PrepareFleet(*flags.config, {flags.only, flags.tags}, connection, env);
  if (!context) return UsageError(io, context.error());
  const auto& entries = (*context)->entries;
  fleet::FleetRunner runner(Deps(**context), *limits);
  const auto reports = runner.Status(entries);
  if (global.output == OutputFormat::kJson) {
    json rows = json::array();
    for (std::size_t i = 0; i < entries.size(); ++i) {
      json row = StatusToJson(reports[i]);
      row["name"] = entries[i].name;
      row["due"] = Due(entries[i], reports[i]);
      rows.push_back(std::move(row));
    }
    std::fprintf(io.out, "%s\n", json{{"secrets", rows}}.dump(2).c_str());
  } else {
    PrintStatusTable(entries, reports, io.out);
  }
  std::fflush(io.out);
  return StatusExitCode(reports);
}

}  // namespace dbtrotate::cli
