#include "cli/doctor.h"

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/random.h"

namespace dbtrotate::cli {

namespace {

const char* StatusName(CheckStatus status) {
  switch (status) {
    case CheckStatus::kOk:
      return "ok";
    case CheckStatus::kFailed:
      return "FAIL";
    case CheckStatus::kSkipped:
      return "skip";
  }
  return "FAIL";
}

nlohmann::json ToJson(const DoctorReport& report) {
  nlohmann::json settings = nlohmann::json::array();
  for (const auto& setting : report.settings) {
    settings.push_back(
        {{"name", setting.name}, {"value", setting.value}, {"source", setting.source}});
  }
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& check : report.checks) {
    std::string status = StatusName(check.status);
    if (check.status == CheckStatus::kFailed) status = "failed";
    if (check.status == CheckStatus::kSkipped) status = "skipped";
    checks.push_back({{"name", check.name}, {"status", status}, {"detail", check.detail}});
  }
  return {{"ok", report.ok()}, {"settings", settings}, {"checks", checks}};
}

void PrintText(const DoctorReport& report, std::FILE* out) {
  std::fprintf(out, "settings:\n");
  for (const auto& setting : report.settings) {
    std::fprintf(out, "  %-26s %s  (from %s)\n", setting.name.c_str(), setting.value.c_str(),
                 setting.source.c_str());
  }
  std::fprintf(out, "checks:\n");
  int failed = 0;
  for (const auto& check : report.checks) {
    if (check.status == CheckStatus::kFailed) ++failed;
    std::fprintf(out, "  %-4s  %s: %s\n", StatusName(check.status), check.name.c_str(),
                 check.detail.c_str());
  }
  if (failed == 0) {
    std::fprintf(out, "result: every check passed\n");
  } else {
    std::fprintf(out, "result: %d check(s) failed (see FAIL above for what to do)\n", failed);
  }
}

}  // namespace

bool DoctorReport::ok() const {
  for (const auto& check : checks) {
    if (check.status == CheckStatus::kFailed) return false;
  }
  return true;
}

int RunDoctor(const GlobalFlags& global, const DoctorFlags& flags, const aws::Environment& env,
              Io io) {
  auto runtime =
      BuildRuntime(flags.connection, env, SystemClock::Instance(), SecureRandom::Instance());
  if (!runtime) {
    std::fprintf(io.err, "dbt-rotate: doctor: the configuration is unusable: %s\n",
                 runtime.error().c_str());
    return kExitUsage;
  }
  const DoctorReport report = Diagnose(flags, env, **runtime);
  if (global.output == OutputFormat::kJson) {
    std::fprintf(io.out, "%s\n", ToJson(report).dump(2).c_str());
  } else {
    PrintText(report, io.out);
  }
  std::fflush(io.out);
  return report.ok() ? kExitOk : kExitFailedSafely;
}

}  // namespace dbtrotate::cli
