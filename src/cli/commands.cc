#include "cli/commands.h"

#include <fmt/format.h>

#include <chrono>

#include "cli/report_json.h"
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
    std::fprintf(err_, "dbt-rotate: %s\n", rotation::FormatStep(step).c_str());
    std::fflush(err_);
  }

 private:
  std::FILE* err_;
  bool quiet_;
};

int UsageError(Io io, const std::string& message) {
  std::fprintf(io.err, "dbt-rotate: %s\n", message.c_str());
  return kExitUsage;
}

void PrintVerboseConfig(const GlobalFlags& global, const Runtime& runtime, Io io) {
  if (!global.verbose) return;
  const auto& aws = runtime.aws_config;
  std::fprintf(io.err,
               "dbt-rotate: AWS region %s (from %s), Secrets Manager endpoint %s (from %s)\n",
               aws.region.c_str(), aws.region_source.c_str(), aws.endpoint_url.c_str(),
               aws.endpoint_source.c_str());
}

void PrintTraffic(const GlobalFlags& global, const Runtime& runtime, Io io) {
  if (global.verbose) std::fprintf(io.err, "dbt-rotate: %s\n", runtime.DescribeTraffic().c_str());
}

template <class ReportT, class JsonFn, class TextFn>
int Emit(const GlobalFlags& global, const ReportT& report, Io io, JsonFn to_json, TextFn to_text) {
  if (global.output == OutputFormat::kJson) {
    std::fprintf(io.out, "%s\n", to_json(report).dump(2).c_str());
  } else {
    for (const auto& line : to_text(report)) std::fprintf(io.out, "%s\n", line.c_str());
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

int RunRotate(const GlobalFlags& global, const RotateFlags& flags, const aws::Environment& env,
              Io io) {
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

  auto runtime =
      BuildRuntime(flags.connection, env, SystemClock::Instance(), SecureRandom::Instance());
  if (!runtime) return UsageError(io, runtime.error());
  options.connection = (*runtime)->connection;
  options.connection.manager_secret_id = flags.manager_secret_id;
  PrintVerboseConfig(global, **runtime, io);

  ProgressPrinter progress(io.err, global.quiet);
  rotation::Engine engine(Deps(**runtime, &progress));
  const rotation::Report report = engine.Rotate(options);
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
