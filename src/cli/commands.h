#ifndef DBTROTATE_CLI_COMMANDS_H_
#define DBTROTATE_CLI_COMMANDS_H_

// One function per subcommand. Each returns the process exit code:
// 0 rotated or nothing due; 1 failed safely; 2 usage/config/input error; 3 needs attention.

#include <cstdio>
#include <optional>
#include <string>

#include "aws/credentials/environment.h"
#include "cli/notify_command.h"
#include "cli/runtime.h"

namespace dbtrotate::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailedSafely = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNeedsAttention = 3;

enum class OutputFormat { kText, kJson };

struct GlobalFlags {
  bool quiet = false;
  bool verbose = false;
  OutputFormat output = OutputFormat::kText;
};

struct RotateFlags {
  std::string secret_id;
  ConnectionFlags connection;
  std::optional<std::string> token_name;
  std::string permissions = "inherit";
  std::string overlap = "none";
  std::optional<std::string> manager_secret_id;
  std::optional<std::string> min_age;
  bool force = false;
  bool dry_run = false;
  bool takeover = false;
  NotifyFlags notify;
};

struct StatusFlags {
  std::string secret_id;
  ConnectionFlags connection;
  std::optional<std::string> manager_secret_id;
};

struct InitFlags {
  std::string secret_id;
  ConnectionFlags connection;
  std::int64_t token_id = 0;
  std::optional<std::string> manager_secret_id;
  std::optional<std::string> description;
  bool force = false;
};

/// Where commands print: progress and diagnostics to `err`, the result to `out`.
struct Io {
  std::FILE* in = stdin;
  std::FILE* out = stdout;
  std::FILE* err = stderr;
};

/// Prints the message (TerminalSafe) and returns kExitUsage.
int UsageError(Io io, const std::string& message);

int RunRotate(const GlobalFlags& global, const RotateFlags& flags, const aws::Environment& env,
              Io io);
int RunStatus(const GlobalFlags& global, const StatusFlags& flags, const aws::Environment& env,
              Io io);
int RunInit(const GlobalFlags& global, const InitFlags& flags, const aws::Environment& env, Io io);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_COMMANDS_H_
