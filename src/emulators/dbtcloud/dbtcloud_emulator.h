#ifndef DBTROTATE_EMULATORS_DBTCLOUD_DBTCLOUD_EMULATOR_H_
#define DBTROTATE_EMULATORS_DBTCLOUD_DBTCLOUD_EMULATOR_H_

// A local dbt Cloud Admin API v3 (service tokens and accounts) over real HTTP, for
// integration tests and the sandbox. Every request goes through the common emulator frame:
// numbered, logged, delayed and faulted by operation name (see DbtOperationName).
//
//   DbtCloudEmulator dbt;
//   dbt.Start();
//   auto account = dbt.CreateAccount();
//   auto admin = dbt.AddServiceToken(account, {"admin", DbtAdminGrants()});
//   … client against dbt.base_url() with admin->token_string …
//   dbt.faults().AddRule(FaultRule::ForOperation("create_service_token", Fault::ApplyThenDrop()));

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "emulators/common/emulator_server.h"
#include "emulators/dbtcloud/service.h"

namespace dbtrotate::emulators {

struct DbtCloudEmulatorOptions {
  ServerOptions server;  // 127.0.0.1, port 0 (a free port) by default
  /// Timestamps and rate-limit windows; defaults to the system clock. Must outlive the emulator.
  Clock* clock = nullptr;
  /// Token strings and uids; defaults to OpenSSL's CSPRNG. Must outlive the emulator.
  Random* random = nullptr;
  DbtBehavior behavior;
};

class DbtCloudEmulator {
 public:
  explicit DbtCloudEmulator(DbtCloudEmulatorOptions options = {});
  ~DbtCloudEmulator();  // stops
  DbtCloudEmulator(const DbtCloudEmulator&) = delete;
  DbtCloudEmulator& operator=(const DbtCloudEmulator&) = delete;

  Result<void, std::string> Start();
  void Stop();
  int port() const { return server_.port(); }
  /// "http://127.0.0.1:PORT" — the access URL; the API lives under /api/v3/.
  std::string base_url() const { return server_.base_url(); }

  // Seeding and inspection (see DbtCloudService).
  std::int64_t CreateAccount(std::string name = "Emulated Analytics", std::int64_t id = 0) {
    return service_.CreateAccount(std::move(name), id);
  }
  Result<DbtSeededToken, std::string> AddServiceToken(std::int64_t account_id,
                                                      const DbtSeedToken& seed) {
    return service_.AddServiceToken(account_id, seed);
  }
  std::vector<DbtToken> Tokens(std::int64_t account_id) { return service_.Tokens(account_id); }
  std::vector<DbtToken> ActiveTokens(std::int64_t account_id) {
    return service_.ActiveTokens(account_id);
  }
  std::optional<DbtToken> Token(std::int64_t id) { return service_.Token(id); }
  bool Authenticates(const SecretString& token_string) {
    return service_.Authenticates(token_string);
  }

  /// Runtime switches (DELETE reply variant, 403 vs 404, IP restriction, rate limit, …).
  void SetBehavior(const DbtBehavior& behavior) { service_.SetBehavior(behavior); }
  DbtBehavior behavior() { return service_.behavior(); }

  FaultInjector& faults() { return server_.faults(); }
  RequestLog& log() { return server_.log(); }
  void SetLatency(std::chrono::milliseconds latency) { server_.SetLatency(latency); }
  DbtCloudService& service() { return service_; }

 private:
  void RegisterRoutes();

  DbtCloudEmulatorOptions options_;
  DbtCloudService service_;
  EmulatorServer server_;
};

}  // namespace dbtrotate::emulators

#endif  // DBTROTATE_EMULATORS_DBTCLOUD_DBTCLOUD_EMULATOR_H_
