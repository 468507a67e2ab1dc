#ifndef DBTROTATE_CLI_EMULATOR_COMMANDS_SANDBOX_LAMBDA_H_
#define DBTROTATE_CLI_EMULATOR_COMMANDS_SANDBOX_LAMBDA_H_

// `dbt-rotate sandbox --lambda`: the sandbox's rotation driven the way AWS drives it. The
// Secrets Manager emulator's RotateSecret invokes the four steps through a Runtime API emulator,
// and the function is this very binary, run as `dbt-rotate lambda` in a process of its own.

#include <cstdint>
#include <string>

#include "aws/credentials/credentials.h"
#include "cli/commands.h"
#include "emulators/dbtcloud/dbtcloud_emulator.h"
#include "emulators/secretsmanager/emulator.h"

namespace dbtrotate::cli {

struct LambdaSandbox {
  emulators::DbtCloudEmulator& dbt;
  std::int64_t account_id = 0;
  emulators::secretsmanager::SecretsManagerEmulator& sm;
  const aws::Credentials& credentials;
  std::string secret_id;
  std::string region;
};

/// Runs one RotateSecret to its end and prints each step; the exit code of the rotation
/// (0 when AWSCURRENT moved to the new version, 1 when it failed and was left resumable).
int RunLambdaSandboxRotation(const LambdaSandbox& sandbox, const GlobalFlags& global, Io io);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_EMULATOR_COMMANDS_SANDBOX_LAMBDA_H_
