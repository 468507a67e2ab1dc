#ifndef DBTROTATE_CLI_EMULATOR_COMMANDS_H_
#define DBTROTATE_CLI_EMULATOR_COMMANDS_H_

// `sandbox` and `emulate` need the emulators, and the emulators need cpp-httplib, brotli and a
// shared C++ runtime. The dbt-rotate binary does not link them, so that rotate/status/init
// start in a few milliseconds; it loads the emulators from a module when one of these two
// commands runs (cli/emulator_module.h). Both sides parse the same command line with cli::Main.

#include <optional>
#include <string>

#include "aws/credentials/environment.h"
#include "cli/commands.h"

namespace dbtrotate::cli {

struct SandboxFlags {
  int latency_ms = 0;
  /// Drive the rotation by RotateSecret through the rotation function (`dbt-rotate lambda`).
  bool lambda = false;
};

struct EmulateFlags {
  std::string service;  // "dbtcloud" or "secretsmanager"
  int port = 0;
  std::string host = "127.0.0.1";
  /// dbtcloud: where to write the seeded tokens (JSON line; created 0600). Required: tokens
  /// never go to the terminal.
  std::optional<std::string> secrets_file;
};

class EmulatorCommands {
 public:
  virtual ~EmulatorCommands() = default;
  /// `dbt-rotate sandbox`: both emulators in this process, one real rotation through them.
  virtual int Sandbox(const GlobalFlags& global, const SandboxFlags& flags, Io io) = 0;
  /// `dbt-rotate emulate dbtcloud|secretsmanager`: serve one emulator until SIGINT/SIGTERM.
  virtual int Emulate(const EmulateFlags& flags, const aws::Environment& env, Io io) = 0;
};

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_EMULATOR_COMMANDS_H_
