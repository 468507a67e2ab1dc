#include "fake_world.h"

#include <chrono>

namespace dbtrotate::testing {

namespace {
// 2026-03-01T00:00:00Z: a fixed start, so timestamps in failures are readable.
SystemTime FakeStartTime() {
  using namespace std::chrono;
  return SystemTime{sys_days{year{2026} / March / 1}};
}
}  // namespace

FakeWorld::FakeWorld(FakeWorldOptions options)
    : clock_(FakeStartTime()),
      random_(20260301),
      secrets_(clock_, options.secrets),
      dbt_(std::make_shared<FakeDbtCloud>(clock_, random_, options.dbt)),
      admin_(dbt_->AddToken("dbt-rotate-test-admin",
                            {dbtcloud::PermissionGrant{"account_admin", std::nullopt, {}}})) {}

rotation::ConnectionInfo FakeWorld::Connection() const {
  return rotation::ConnectionInfo{dbt_->options().access_url, dbt_->options().account_id};
}

bool FakeWorld::CreateBinarySecret(const std::string& name) {
  secrets_.CreateBinarySecret(name, "\x01\x02 binary");
  return true;
}

std::vector<WorldParam> FakeWorlds() {
  std::vector<WorldParam> worlds;
  worlds.push_back({"Default", [] { return std::make_unique<FakeWorld>(); }});
  worlds.push_back({"CurrentMoveClearsPending", [] {
                      FakeWorldOptions options;
                      options.secrets.current_move_clears_pending = true;
                      options.secrets.lenient_remove_from = true;
                      return std::make_unique<FakeWorld>(options);
                    }});
  worlds.push_back({"NoGrantsOnGetSelfRead403", [] {
                      FakeWorldOptions options;
                      options.dbt.get_includes_grants = false;
                      options.dbt.non_admin_self_read = FakeDbtOptions::SelfRead::kForbidden;
                      options.dbt.zulu_timestamps = false;
                      return std::make_unique<FakeWorld>(options);
                    }});
  return worlds;
}

}  // namespace dbtrotate::testing
