#include "emulator_world.h"

#include <gtest/gtest.h>

#include <chrono>

#include "dbtcloud/client.h"

namespace dbtrotate::testing {
namespace {

SystemTime StartTime() {
  using namespace std::chrono;
  return SystemTime{sys_days{year{2026} / March / 1}};
}

std::shared_ptr<const aws::Credentials> TestCredentials() {
  auto credentials = std::make_shared<aws::Credentials>();
  credentials->access_key_id = "AKIDROTATIONTEST";
  credentials->secret_access_key = SecretString(std::string("rotation-test-secret-key"));
  credentials->source = "test";
  return credentials;
}

}  // namespace

EmulatorWorld::EmulatorWorld(EmulatorWorldOptions options)
    : clock_(StartTime()), random_(20260301), credentials_(TestCredentials()) {
  emulators::DbtCloudEmulatorOptions dbt_options;
  dbt_options.clock = &clock_;
  dbt_options.random = &random_;
  dbt_options.behavior = options.dbt;
  dbt_ = std::make_unique<emulators::DbtCloudEmulator>(dbt_options);

  emulators::secretsmanager::SecretsManagerEmulatorOptions sm_options;
  sm_options.clock = &clock_;
  sm_options.random = &random_;
  sm_options.store.clear_pending_on_current_move = options.clear_pending_on_current_move;
  sm_ = std::make_unique<emulators::secretsmanager::SecretsManagerEmulator>(sm_options);
  sm_->AddCredentials(*TestCredentials());

  if (auto started = dbt_->Start(); !started) error_ = "dbt emulator: " + started.error();
  if (auto started = sm_->Start(); !started)
    error_ = "Secrets Manager emulator: " + started.error();
  secrets_ = std::make_unique<aws::SecretsManagerClient>(http_, credentials_, sm_->endpoint_url(),
                                                         "us-east-1", clock_, random_);
  account_ = dbt_->CreateAccount();
  auto admin =
      dbt_->AddServiceToken(account_, {"dbt-rotate-test-admin", emulators::DbtAdminGrants()});
  if (admin) {
    admin_token_ = std::move(admin->token_string);
  } else {
    error_ = "seeding the admin token: " + admin.error();
  }
}

EmulatorWorld::~EmulatorWorld() {
  sm_->Stop();
  dbt_->Stop();
}

rotation::DbtApiFactory EmulatorWorld::DbtFactory() {
  return [this](const rotation::ConnectionInfo& connection,
                SecretString token) -> std::unique_ptr<dbtcloud::ServiceTokenApi> {
    auto client = dbtcloud::Client::Create(http_, connection.access_url, connection.account_id,
                                           std::move(token));
    if (!client) return nullptr;
    return std::move(*client);
  };
}

bool EmulatorWorld::CreateBinarySecret(const std::string& name) {
  emulators::secretsmanager::CreateSecretInput input;
  input.name = name;
  input.client_request_token = random_.UuidV4();
  input.secret_binary = SecretString(std::string("\x01\x02 binary"));
  return static_cast<bool>(sm_->store().CreateSecret(input));
}

rotation::ConnectionInfo EmulatorWorld::Connection() const {
  return rotation::ConnectionInfo{dbt_->base_url(), account_};
}

std::vector<WorldParam> EmulatorWorlds() {
  auto make = [](EmulatorWorldOptions options) {
    return [options]() -> std::unique_ptr<World> {
      auto world = std::make_unique<EmulatorWorld>(options);
      EXPECT_TRUE(world->ok()) << world->error();
      return world;
    };
  };
  std::vector<WorldParam> worlds;
  worlds.push_back({"Emulators", make({})});
  EmulatorWorldOptions other;
  other.clear_pending_on_current_move = true;
  other.dbt.forbidden_reply = emulators::DbtForbiddenReply::k404;
  other.dbt.delete_reply = emulators::DbtDeleteReply::kOkEnvelope;
  other.dbt.get_deleted_returns_404 = true;
  other.dbt.redelete_returns_404 = true;
  worlds.push_back({"EmulatorsOtherVariants", make(other)});
  return worlds;
}

}  // namespace dbtrotate::testing
