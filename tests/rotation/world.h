#ifndef DBTROTATE_TESTS_ROTATION_WORLD_H_
#define DBTROTATE_TESTS_ROTATION_WORLD_H_

// The two services a rotation scenario runs against. The scenarios only use the public APIs
// plus an admin token for fixtures and inspection, so the same scenarios run over the
// in-memory fakes here and over the emulators behind the real clients (the integrator adds a
// World for those and instantiates the suites with it).

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "aws/secretsmanager/api.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/secret_string.h"
#include "rotation/options.h"

namespace dbtrotate::testing {

class World {
 public:
  virtual ~World() = default;
  virtual aws::SecretsManagerApi& Secrets() = 0;
  virtual rotation::DbtApiFactory DbtFactory() = 0;
  /// Shared by the services (created_at, CreatedDate) and the engine.
  virtual FakeClock& Clock() = 0;
  virtual Random& Rand() = 0;
  virtual rotation::ConnectionInfo Connection() const = 0;
  /// An account_admin token no scenario rotates: fixtures and inspection act with it.
  virtual SecretString AdminToken() = 0;

  // Optional abilities (false / empty when the world cannot).
  /// A secret whose value is SecretBinary (the API cannot write one).
  virtual bool CreateBinarySecret(const std::string& /*name*/) { return false; }
  /// Every token string dbt ever issued, for leak checks.
  virtual std::vector<std::string> AllIssuedTokenStrings() { return {}; }
};

struct WorldParam {
  std::string name;
  std::function<std::unique_ptr<World>()> make;
};

inline void PrintTo(const WorldParam& param, std::ostream* os) { *os << param.name; }

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_ROTATION_WORLD_H_
