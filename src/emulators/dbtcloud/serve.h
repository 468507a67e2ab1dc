#ifndef DBTROTATE_EMULATORS_DBTCLOUD_SERVE_H_
#define DBTROTATE_EMULATORS_DBTCLOUD_SERVE_H_

// Runs the dbt Cloud emulator in the foreground for the CLI's sandbox mode. The seeded
// tokens are written only to the stream the caller passes for secrets (e.g. a pipe or a
// 0600 file), never to status output or logs.

#include <atomic>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/result.h"
#include "emulators/common/loopback_server.h"
#include "emulators/dbtcloud/service.h"

namespace dbtrotate::emulators {

struct DbtServeOptions {
  ServerOptions server;  // choose server.port; 0 picks one (reported in both outputs)
  std::int64_t account_id = 1;
  std::string account_name = "Sandbox Analytics";
  std::string admin_token_name = "dbt-rotate-sandbox-admin";
  /// More tokens to seed (e.g. the one the sandbox will rotate).
  std::vector<DbtSeedToken> extra_tokens;
  DbtBehavior behavior;
  /// Called once the server listens and the secrets were written (tests use it).
  std::function<void()> on_ready;
};

/// Seeds an account with an account_admin token (plus `extra_tokens`), serves until
/// `stop_requested` is true (polled every 50 ms, so a signal handler may set it), then stops.
///
/// `secrets_out` receives one JSON line:
///   {"base_url": "...", "account_id": 1,
///    "tokens": [{"id": 1001, "name": "...", "token": "dbtc_..."}, ...]}  (admin first)
/// `status_out` receives one non-secret line: "dbt Cloud emulator listening on URL (account
/// N)", and a line when it stops.
Result<void, std::string> ServeDbtCloudEmulator(const DbtServeOptions& options,
                                                std::ostream& secrets_out, std::ostream& status_out,
                                                const std::atomic<bool>& stop_requested);

}  // namespace dbtrotate::emulators

#endif  // DBTROTATE_EMULATORS_DBTCLOUD_SERVE_H_
