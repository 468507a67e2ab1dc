#ifndef DBTROTATE_TESTS_FLEET_FLEET_WORLD_H_
#define DBTROTATE_TESTS_FLEET_FLEET_WORLD_H_

// A fleet end to end: one Secrets Manager emulator, one dbt Cloud emulator per "region" (each
// with one account), the real clients over loopback HTTP, and a fake clock shared by all
// (so rate limits and cool-downs pass without waiting).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/credentials/static_provider.h"
#include "aws/secretsmanager/client.h"
#include "emulators/dbtcloud/dbtcloud_emulator.h"
#include "emulators/secretsmanager/emulator.h"
#include "fleet/fleet_runner.h"
#include "http/curl_client.h"

namespace dbtrotate::testing {

class FleetWorld {
 public:
  /// One dbt emulator (and account) per behaviour.
  explicit FleetWorld(std::vector<emulators::DbtBehavior> dbt = {emulators::DbtBehavior{}});
  ~FleetWorld();

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  /// A token in account `account` (index) and a secret holding it; returns the token id.
  std::int64_t SeedSecret(const std::string& secret_id, std::size_t account = 0,
                          std::vector<emulators::DbtGrant> grants = emulators::DbtAdminGrants(),
                          const std::string& token_name = "",
                          int state = emulators::kDbtStateActive);
  /// An entry for the fleet (self-rotation, forced unless min_age is set).
  fleet::FleetEntry Entry(const std::string& secret_id, std::size_t account = 0) const;
  fleet::FleetDeps Deps();

  /// The token id in the secret's AWSCURRENT, and whether its string authenticates now.
  std::optional<std::int64_t> CurrentTokenId(const std::string& secret_id);
  bool CurrentAuthenticates(const std::string& secret_id);
  /// A version other than AWSCURRENT's carries AWSPENDING.
  bool HasUnfinishedRotation(const std::string& secret_id);

  FakeClock& clock() { return clock_; }
  emulators::DbtCloudEmulator& dbt(std::size_t account = 0) { return *dbt_[account]; }
  emulators::secretsmanager::SecretsManagerEmulator& sm() { return *sm_; }
  aws::SecretsManagerApi& secrets() { return *secrets_; }
  std::int64_t account_id(std::size_t account = 0) const { return accounts_[account]; }
  http::CurlClient& http() { return http_; }

 private:
  static http::CurlClientOptions NoProxy();

  FakeClock clock_;
  SeededRandom random_;
  std::vector<std::unique_ptr<emulators::DbtCloudEmulator>> dbt_;
  std::vector<std::int64_t> accounts_;
  std::unique_ptr<emulators::secretsmanager::SecretsManagerEmulator> sm_;
  http::CurlClient http_{NoProxy()};
  aws::StaticProvider credentials_;
  std::unique_ptr<aws::SecretsManagerClient> secrets_;
  std::string error_;
};

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_FLEET_FLEET_WORLD_H_
