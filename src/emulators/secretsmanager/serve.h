#ifndef DBTROTATE_EMULATORS_SECRETSMANAGER_SERVE_H_
#define DBTROTATE_EMULATORS_SECRETSMANAGER_SERVE_H_

// Runs the Secrets Manager emulator in the foreground for the CLI (`dbt-rotate emulate …`):
// start, report the endpoint, serve until asked to stop. Signal handling stays with the caller,
// which sets `stop` (e.g. from a SIGINT/SIGTERM handler).

#include <atomic>
#include <chrono>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "aws/credentials/credentials.h"
#include "core/clock.h"
#include "core/result.h"
#include "emulators/secretsmanager/emulator.h"

namespace dbtrotate::emulators::secretsmanager {

struct ServeOptions {
  SecretsManagerEmulatorOptions emulator;     // server.port: the chosen port (0 = any free one)
  std::vector<aws::Credentials> credentials;  // who may call; must not be empty
  /// Secrets created (SecretString, fresh token) before serving: name → value.
  std::vector<std::pair<std::string, std::string>> seed;
  std::chrono::milliseconds poll_interval{100};
  /// Called once the emulator is listening (e.g. to learn the port when it was 0).
  std::function<void(SecretsManagerEmulator&)> on_ready;
};

/// Serves until `stop` becomes true; writes one line to `out` when listening
/// ("Secrets Manager emulator listening on http://127.0.0.1:PORT (region us-east-1, 1 access
/// key)"), and one when stopped. Never writes keys or values. Fails if the options are unusable
/// or the server cannot start. `clock` paces the polling (SystemClock in production).
Result<void, std::string> ServeForeground(ServeOptions options, std::ostream& out,
                                          const std::atomic<bool>& stop, Clock& clock);

}  // namespace dbtrotate::emulators::secretsmanager

#endif  // DBTROTATE_EMULATORS_SECRETSMANAGER_SERVE_H_
