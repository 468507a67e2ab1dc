#include "cli/commands.h"

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <mutex>
#include <vector>

#include "cli/interrupt_guard.h"
#include "cli/report_json.h"
#include "cli/terminal_text.h"
#include "cli/token_input.h"
#include "rotation/duration.h"
#include "rotation/engine.h"
#include "rotation/permissions_file.h"

namespace dbtrotate::cli {

namespace {

// Progress on stderr: one line per step, as it happens.
class ProgressPrinter final : public rotation::Observer {
 public:
  ProgressPrinter(std::FILE* err, bool quiet) : err_(err), quiet_(quiet) {}
  void OnStep(const rotation::StepRecord& step) override {
    if (quiet_) return;
    PrintMessage(err_, rotation::FormatStep(step));
    std::fflush(err_);
  }

 private:
  std::FILE* err_;
  bool quiet_;
};

// Keeps every step so far (steps may be reported from the engine's worker threads), for the
// report an interrupted run writes.
class StepLog final : public rotation::Observer {
 public:
  explicit StepLog(rotation::Observer& next) : next_(next) {}
  void OnStep(const rotation::StepRecord& step) override {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      steps_.push_back(step);
    }
    next_.OnStep(step);
  }
  std::vector<rotation::StepRecord> Steps() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return steps_;
  }

 private:
  rotation::Observer& next_;
  std::mutex mutex_;
  std::vector<rotation::StepRecord> steps_;
};

std::string_view SignalName(int signal) {
  switch (signal) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    default:
      return "a signal";
  }
}

// The report of a run stopped by a signal: outcome "interrupted", the steps so far, exit code
// 128 + signal. Written by the InterruptGuard's thread, never from a signal handler.
void WriteInterruptedReport(const GlobalFlags& global, const std::string& secret_id,
                            std::vector<rotation::StepRecord> steps, int signal, Io io) {
  const int exit_code = 128 + signal;
  const std::string message = fmt::format(
      "stopped by {} after {} step(s); nothing is lost: run the same command again and it "
      "finishes or rolls back this rotation",
      SignalName(signal), steps.size());
  rotation::Report report;
  report.secret_id = secret_id;
  report.message = message;
  report.steps = std::move(steps);
  if (global.output == OutputFormat::kJson) {
    nlohmann::json partial = ReportToJson(report);
    partial["outcome"] = "interrupted";
    partial["exit_code"] = exit_code;
    std::fprintf(io.out, "%s\n",
                 partial.dump(2, ' ', true, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    PrintLine(io.out, "interrupted: " + message);
    PrintLine(io.out, "secret: " + secret_id);
  }
  std::fflush(io.out);
  PrintMessage(io.err, message);
}

void PrintVerboseConfig(const GlobalFlags& global, const Runtime& runtime, Io io) {
  if (!global.verbose) return;
  const auto& aws = runtime.aws_config;
  PrintMessage(io.err,
               fmt::format("AWS region {} (from {}), Secrets Manager endpoint {} (from {})",
                           aws.region, aws.region_source, aws.endpoint_url, aws.endpoint_source));
}

void PrintTraffic(const GlobalFlags& global, const Runtime& runtime, Io io) {
  if (global.verbose) PrintMessage(io.err, runtime.DescribeTraffic());
}

template <class ReportT, class JsonFn, class TextFn>
int Emit(const GlobalFlags& global, const ReportT& report, Io io, JsonFn to_json, TextFn to_text) {
  if (global.output == OutputFormat::kJson) {
    // ensure_ascii: still the exact strings for a JSON reader, and no raw DEL, C1 or bidi
    // control reaches a terminal; invalid UTF-8 (from argv) becomes U+FFFD instead of throwing.
    const std::string text =
        to_json(report).dump(2, ' ', true, nlohmann::json::error_handler_t::replace);
    std::fprintf(io.out, "%s\n", text.c_str());
  } else {
    for (const auto& line : to_text(report)) PrintLine(io.out, line);
  }
  std::fflush(io.out);
  return rotation::ExitCode(report.outcome);
}

rotation::EngineDeps Deps(Runtime& runtime, rotation::Observer* observer) {
  rotation::EngineDeps deps;
  deps.secrets = runtime.secrets.get();
  deps.dbt = runtime.dbt_factory;
  deps.clock = runtime.clock;
  deps.random = runtime.random;
  deps.observer = observer;
  deps.probe = &rotation::LinuxProcessProbe::Instance();
  return deps;
}

}  // namespace

int UsageError(Io io, const std::string& message) {
  PrintMessage(io.err, message);
  return kExitUsage;
}

int RunRotate(const GlobalFlags& global, const RotateFlags& flags, const aws::Environment& env,
              Io io) {
  // First, before any thread exists (cli/interrupt_guard.h).
  ProgressPrinter progress(io.err, global.quiet);
  StepLog steps(progress);
  InterruptGuard interrupts([&](int signal) {
    WriteInterruptedReport(global, flags.secret_id, steps.Steps(), signal, io);
  });

  rotation::RotateOptions options;
  options.secret_id = flags.secret_id;
  options.token_name = flags.token_name;
  options.force = flags.force;
  options.dry_run = flags.dry_run;
  options.takeover = flags.takeover;

  auto overlap = rotation::ParseOverlap(flags.overlap);
  if (!overlap) return UsageError(io, "--overlap: " + overlap.error().message);
  options.overlap = *overlap;
  if (flags.min_age) {
    auto min_age = rotation::ParseDuration(*flags.min_age, "--min-age");
    if (!min_age) return UsageError(io, min_age.error().message);
    options.min_age = *min_age;
  }
  if (flags.permissions != "inherit") {
    auto grants = rotation::LoadPermissionsFile(flags.permissions);
    if (!grants) return UsageError(io, "--permissions: " + grants.error().message);
    options.grants = std::move(*grants);
  }

  auto notify = ResolveNotify(flags.notify, flags.connection.ca_bundle, env);
  if (!notify) return UsageError(io, notify.error());
  const auto started = std::chrono::steady_clock::now();

  // Round 1 reads Secrets Manager twice at once (three times with a manager secret), round 2
  // dbt likewise (design doc §3): one connection each, opened ahead.
  ConnectionFlags connection = flags.connection;
  connection.preconnect_aws = flags.manager_secret_id ? 3 : 2;
  connection.preconnect_dbt = flags.manager_secret_id ? 3 : 2;
  auto runtime = BuildRuntime(connection, env, SystemClock::Instance(), SecureRandom::Instance());
  if (!runtime) return UsageError(io, runtime.error());
  options.connection = (*runtime)->connection;
  options.connection.manager_secret_id = flags.manager_secret_id;
  PrintVerboseConfig(global, **runtime, io);

  rotation::Engine engine(Deps(**runtime, &steps));
  const rotation::Report report = engine.Rotate(options);
  interrupts.Finish();
  PrintTraffic(global, **runtime, io);
  const auto took =
      std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - started);
  const NotifyResult notified = NotifyAfterRun(*notify, report, took, global.quiet, io.err);
  auto to_json = [&notified](const rotation::Report& r) {
    auto json = ReportToJson(r);
    json["notification"] = NotifyResultToJson(notified);
    return json;
  };
  return Emit(global, report, io, to_json, rotation::FormatReport);
}

int RunStatus(const GlobalFlags& global, const StatusFlags& flags, const aws::Environment& env,
              Io io) {
  auto runtime =
      BuildRuntime(flags.connection, env, SystemClock::Instance(), SecureRandom::Instance());
  if (!runtime) return UsageError(io, runtime.error());
  rotation::StatusOptions options;
  options.secret_id = flags.secret_id;
  options.connection = (*runtime)->connection;
  options.connection.manager_secret_id = flags.manager_secret_id;
  PrintVerboseConfig(global, **runtime, io);

  ProgressPrinter progress(io.err, global.quiet || !global.verbose);
  rotation::Engine engine(Deps(**runtime, &progress));
  const rotation::StatusReport status = engine.Status(options);
  PrintTraffic(global, **runtime, io);
  return Emit(global, status, io, StatusToJson, rotation::FormatStatus);
}

int RunInit(const GlobalFlags& global, const InitFlags& flags, const aws::Environment& env, Io io) {
  auto runtime =
      BuildRuntime(flags.connection, env, SystemClock::Instance(), SecureRandom::Instance());
  if (!runtime) return UsageError(io, runtime.error());
  const auto& connection = (*runtime)->connection;
  if (!connection.account_id) {
    return UsageError(io, "init needs --account-id (or DBT_CLOUD_ACCOUNT_ID)");
  }
  if (!connection.access_url) {
    return UsageError(
        io, "init needs --access-url (or DBT_CLOUD_HOST), e.g. https://ab123.us1.dbt.com");
  }
  if (flags.token_id <= 0) return UsageError(io, "--token-id must be a positive integer");
  auto token = ReadTokenInput(env, io.in);
  if (!token) return UsageError(io, token.error());

  rotation::InitOptions options;
  options.secret_id = flags.secret_id;
  options.token_id = flags.token_id;
  options.token = std::move(*token);
  options.account_id = *connection.account_id;
  options.access_url = *connection.access_url;
  options.manager_secret_id = flags.manager_secret_id;
  options.description = flags.description;
  options.force = flags.force;
  PrintVerboseConfig(global, **runtime, io);

  ProgressPrinter progress(io.err, global.quiet);
  rotation::Engine engine(Deps(**runtime, &progress));
  const rotation::Report report = engine.Init(options);
  return Emit(global, report, io, ReportToJson, rotation::FormatReport);
}

}  // namespace dbtrotate::cli
