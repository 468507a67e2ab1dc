#ifndef DBTROTATE_TESTS_ROTATION_SCENARIO_FIXTURE_H_
#define DBTROTATE_TESTS_ROTATION_SCENARIO_FIXTURE_H_

// The parameterised fixtures of the scenario suites: one fresh World per test. To run the same
// scenarios over another World (the emulators), instantiate the suites in another file:
//   INSTANTIATE_TEST_SUITE_P(Emulators, RotateScenario, ::testing::ValuesIn(MyWorlds()),
//   WorldName);
// (likewise StatusInitScenario; InterruptionTest and ConcurrencyTest in interruption_fixture.h).

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "harness.h"
#include "hooked_api.h"
#include "world.h"

namespace dbtrotate::testing {

inline constexpr char kAdminSecret[] = "dbt_cloud_admin_service_token";

class ScenarioTest : public ::testing::TestWithParam<WorldParam> {
 protected:
  void SetUp() override {
    world_ = GetParam().make();
    harness_ = std::make_unique<Harness>(*world_);
  }
  Harness& h() { return *harness_; }
  World& world() { return *world_; }
  SystemTime Now() { return world_->Clock().Now(); }
  static Duration Days(int n) { return std::chrono::hours(24 * n); }

  /// The notebook's setup: an account_admin token named like its secret, rotated 40 days ago.
  Harness::Token SeedSelfRotating(const std::string& secret = kAdminSecret,
                                  const rotation::Json& extra = rotation::Json::object()) {
    auto token = h().CreateToken(secret, AdminGrants());
    h().SeedSecret(secret, token, Now() - Days(40), extra);
    return token;
  }

  std::unique_ptr<World> world_;
  std::unique_ptr<Harness> harness_;
};

/// Rotations, with an engine whose dbt API a test can bend (hooked_api.h).
class RotateScenario : public ScenarioTest {
 protected:
  rotation::Engine Engine(std::shared_ptr<ApiHooks> hooks) {
    rotation::EngineDeps deps;
    deps.secrets = &world().Secrets();
    deps.clock = &world().Clock();
    deps.random = &world().Rand();
    deps.dbt = HookedFactory(world().DbtFactory(), std::move(hooks));
    return rotation::Engine(std::move(deps));
  }
};

/// Status and Init.
class StatusInitScenario : public ScenarioTest {
 protected:
  rotation::StatusReport Status(const std::string& secret,
                                std::optional<std::string> manager = std::nullopt) {
    rotation::StatusOptions options;
    options.secret_id = secret;
    options.connection.account_id = world().Connection().account_id;
    options.connection.access_url = world().Connection().access_url;
    options.connection.manager_secret_id = manager;
    return h().MakeEngine().Status(options);
  }
  rotation::InitOptions Init(const std::string& secret, const Harness::Token& token) {
    rotation::InitOptions options;
    options.secret_id = secret;
    options.token_id = token.id;
    options.token = token.token.Clone();
    options.account_id = world().Connection().account_id;
    options.access_url = world().Connection().access_url;
    return options;
  }
};

inline std::string WorldName(const ::testing::TestParamInfo<WorldParam>& info) {
  return info.param.name;
}

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_ROTATION_SCENARIO_FIXTURE_H_
