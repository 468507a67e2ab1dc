#ifndef DBTROTATE_TESTS_ROTATION_EMULATOR_WORLD_H_
#define DBTROTATE_TESTS_ROTATION_EMULATOR_WORLD_H_

// The scenarios end to end: both emulators on loopback HTTP, and the real clients
// (dbtcloud::Client, aws::SecretsManagerClient over http::CurlClient, SigV4-signed).

#include <memory>
#include <string>
#include <vector>

#include "aws/credentials/static_provider.h"
#include "aws/secretsmanager/client.h"
#include "emulators/dbtcloud/dbtcloud_emulator.h"
#include "emulators/secretsmanager/emulator.h"
#include "http/curl_client.h"
#include "world.h"

namespace dbtrotate::testing {

struct EmulatorWorldOptions {
  emulators::DbtBehavior dbt;
  bool clear_pending_on_current_move = false;
};

class EmulatorWorld final : public World {
 public:
  explicit EmulatorWorld(EmulatorWorldOptions options = {});
  ~EmulatorWorld() override;

  aws::SecretsManagerApi& Secrets() override { return *secrets_; }
  rotation::DbtApiFactory DbtFactory() override;
  FakeClock& Clock() override { return clock_; }
  Random& Rand() override { return random_; }
  rotation::ConnectionInfo Connection() const override;
  SecretString AdminToken() override { return admin_token_.Clone(); }
  bool CreateBinarySecret(const std::string& name) override;

  /// The dbt Cloud emulator, for tests that arm its faults.
  emulators::DbtCloudEmulator& dbt() { return *dbt_; }

  /// False when a server could not start (the error is in `error`).
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  /// Loopback only: never hand a test request to a proxy from the environment.
  static http::CurlClientOptions NoProxy() {
    http::CurlClientOptions options;
    options.no_proxy = true;
    return options;
  }

  FakeClock clock_;
  SeededRandom random_;
  std::unique_ptr<emulators::DbtCloudEmulator> dbt_;
  std::unique_ptr<emulators::secretsmanager::SecretsManagerEmulator> sm_;
  http::CurlClient http_{NoProxy()};
  aws::StaticProvider credentials_;
  std::unique_ptr<aws::SecretsManagerClient> secrets_;
  std::int64_t account_ = 0;
  SecretString admin_token_;
  std::string error_;
};

/// The emulator worlds: the defaults, and the other answer for each uncertain behaviour.
std::vector<WorldParam> EmulatorWorlds();

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_ROTATION_EMULATOR_WORLD_H_
