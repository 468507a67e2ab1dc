#ifndef DBTROTATE_CLI_DOCTOR_H_
#define DBTROTATE_CLI_DOCTOR_H_

// `dbt-rotate doctor`: the first thing to run when something is wrong. Read-only. Shows where
// each setting comes from (flag, environment, profile, secret), which credential source won,
// the resolved endpoints, whether both services answer, whether the token authenticates, and
// which of the AWS permissions a rotation needs it could verify without writing. Built on the
// same configuration resolution as every other command (cli/runtime.h); prints no secret.
// Exit code: 0 every check passed, 1 a check failed, 2 the configuration itself is unusable.

#include <optional>
#include <string>
#include <vector>

#include "aws/credentials/environment.h"
#include "cli/commands.h"
#include "cli/runtime.h"

namespace dbtrotate::cli {

struct DoctorFlags {
  std::optional<std::string> secret_id;  // without it, only configuration and credentials
  ConnectionFlags connection;
  std::optional<std::string> manager_secret_id;
};

struct DoctorSetting {
  std::string name;
  std::string value;
  std::string source;  // "--region", "AWS_REGION", "profile dev", "the secret", "default", …
};

enum class CheckStatus { kOk, kFailed, kSkipped };

struct DoctorCheck {
  std::string name;
  CheckStatus status = CheckStatus::kOk;
  std::string detail;  // what was found, or what failed and what to do
};

struct DoctorReport {
  std::vector<DoctorSetting> settings;
  std::vector<DoctorCheck> checks;

  bool ok() const;
};

/// Resolves the configuration and runs every check it can (reads only).
DoctorReport Diagnose(const DoctorFlags& flags, const aws::Environment& env, Runtime& runtime);

int RunDoctor(const GlobalFlags& global, const DoctorFlags& flags, const aws::Environment& env,
              Io io);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_DOCTOR_H_
