#ifndef DBTROTATE_CLI_AUDIT_COMMAND_H_
#define DBTROTATE_CLI_AUDIT_COMMAND_H_

// `dbt-rotate audit`: read-only review of an account's service tokens (src/fleet/audit.h).
// Exit 0 when clean, 1 when there are findings (so a scheduled job can alert), 2 usage.

#include <cstdint>
#include <optional>
#include <string>

#include "cli/commands.h"

namespace CLI {
class App;
}  // namespace CLI

namespace dbtrotate::cli {

struct AuditFlags {
  std::int64_t account_id = 0;
  std::string access_url;
  std::optional<std::string> config;
  std::optional<std::string> manager_secret_id;
  std::optional<std::string> max_age;
  std::optional<std::string> unused_for;
  ConnectionFlags connection;  // region, profile, CA bundle, timeout
};

/// Registers the `audit` subcommand on `app` and returns it.
CLI::App* AddAuditCommand(CLI::App& app, AuditFlags& flags, GlobalFlags& global);

int RunAudit(const GlobalFlags& global, const AuditFlags& flags, const aws::Environment& env,
             Io io);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_AUDIT_COMMAND_H_
