#ifndef DBTROTATE_CLI_EMULATE_H_
#define DBTROTATE_CLI_EMULATE_H_

// `dbt-rotate emulate dbtcloud|secretsmanager --port N`: serves an emulator in the foreground
// on loopback, for users' own tests, until SIGINT/SIGTERM.

#include <optional>
#include <string>

#include "cli/commands.h"

namespace dbtrotate::cli {

struct EmulateFlags {
  std::string service;  // "dbtcloud" or "secretsmanager"
  int port = 0;
  std::string host = "127.0.0.1";
  /// dbtcloud: where to write the seeded tokens (JSON line; created 0600). Required: tokens
  /// never go to the terminal.
  std::optional<std::string> secrets_file;
};

int RunEmulate(const EmulateFlags& flags, const aws::Environment& env, Io io);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_EMULATE_H_
