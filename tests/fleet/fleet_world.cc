#include "fleet_world.h"

#include <nlohmann/json.hpp>

#include "rotation/secret_value.h"

namespace dbtrotate::testing {
namespace {

SystemTime StartTime() {
  using namespace std::chrono;
  return SystemTime{sys_days{year{2026} / March / 1}};
}

std::shared_ptr<const aws::Credentials> TestCredentials() {
  auto credentials = std::make_shared<aws::Credentials>();
  credentials->access_key_id = "AKIDFLEETTEST";
  credentials->secret_access_key = SecretString(std::string("fleet-test-secret-key"));
  credentials->source = "test";
  return credentials;
}

}  // namespace

http::CurlClientOptions FleetWorld::NoProxy() {
  http::CurlClientOptions options;
  options.no_proxy = true;
  return options;
}

FleetWorld::FleetWorld(std::vector<emulators::DbtBehavior> dbt)
    : clock_(StartTime()), random_(20260301), credentials_(TestCredentials()) {
  for (std::size_t i = 0; i < dbt.size(); ++i) {
    emulators::DbtCloudEmulatorOptions options;
    options.clock = &clock_;
    options.random = &random_;
    options.behavior = dbt[i];
    auto emulator = std::make_unique<emulators::DbtCloudEmulator>(options);
    if (auto started = emulator->Start(); !started) error_ = "dbt emulator: " + started.error();
    accounts_.push_back(
        emulator->CreateAccount("Fleet " + std::to_string(i), 1000 + static_cast<int>(i)));
    dbt_.push_back(std::move(emulator));
  }
  emulators::secretsmanager::SecretsManagerEmulatorOptions sm_options;
  sm_options.clock = &clock_;
  sm_options.random = &random_;
  sm_ = std::make_unique<emulators::secretsmanager::SecretsManagerEmulator>(sm_options);
  sm_->AddCredentials(*TestCredentials());
  if (auto started = sm_->Start(); !started) error_ = "SM emulator: " + started.error();
  secrets_ = std::make_unique<aws::SecretsManagerClient>(http_, credentials_, sm_->endpoint_url(),
                                                         "us-east-1", clock_, random_);
}

FleetWorld::~FleetWorld() {
  sm_->Stop();
  for (auto& dbt : dbt_) dbt->Stop();
}

std::int64_t FleetWorld::SeedSecret(const std::string& secret_id, std::size_t account,
                                    std::vector<emulators::DbtGrant> grants,
                                    const std::string& token_name, int state) {
  emulators::DbtSeedToken seed{token_name.empty() ? secret_id : token_name, std::move(grants)};
  seed.state = state;
  auto token = dbt_[account]->AddServiceToken(accounts_[account], seed);
  if (!token) {
    error_ = "seeding " + secret_id + ": " + token.error();
    return 0;
  }
  nlohmann::json value = {{"service_token_id", token->id},
                          {"service_token", token->token_string.expose()},
                          {"account_id", accounts_[account]},
                          {"access_url", dbt_[account]->base_url()}};
  emulators::secretsmanager::CreateSecretInput input;
  input.name = secret_id;
  input.client_request_token = random_.UuidV4();
  input.secret_string = SecretString(value.dump());
  if (!sm_->store().CreateSecret(input)) error_ = "creating secret " + secret_id;
  return token->id;
}

fleet::FleetEntry FleetWorld::Entry(const std::string& secret_id, std::size_t account) const {
  fleet::FleetEntry entry;
  entry.name = secret_id;
  entry.rotate.secret_id = secret_id;
  entry.rotate.connection.account_id = accounts_[account];
  entry.rotate.connection.access_url = dbt_[account]->base_url();
  entry.rotate.force = true;
  return entry;
}

fleet::FleetDeps FleetWorld::Deps() {
  fleet::FleetDeps deps;
  deps.secrets = [this](const fleet::AwsTarget&) -> Result<fleet::SecretsTarget, std::string> {
    return fleet::SecretsTarget{secrets_.get(), "us-east-1"};
  };
  deps.dbt_http = &http_;
  deps.clock = &clock_;
  deps.random = &random_;
  return deps;
}

std::optional<std::int64_t> FleetWorld::CurrentTokenId(const std::string& secret_id) {
  auto value = secrets_->GetSecretValue({secret_id, std::nullopt, std::nullopt});
  if (!value) return std::nullopt;
  auto parsed = rotation::ParseTokenSecret(*value, rotation::SecretRole::kRotated, secret_id);
  if (!parsed) return std::nullopt;
  return parsed->service_token_id;
}

bool FleetWorld::CurrentAuthenticates(const std::string& secret_id) {
  auto value = secrets_->GetSecretValue({secret_id, std::nullopt, std::nullopt});
  if (!value) return false;
  auto parsed = rotation::ParseTokenSecret(*value, rotation::SecretRole::kRotated, secret_id);
  if (!parsed) return false;
  for (auto& dbt : dbt_) {
    if (dbt->Authenticates(parsed->service_token)) return true;
  }
  return false;
}

bool FleetWorld::HasUnfinishedRotation(const std::string& secret_id) {
  auto description = secrets_->DescribeSecret(secret_id);
  if (!description) return true;
  std::optional<std::string> current;
  std::optional<std::string> pending;
  for (const auto& [version, stages] : description->version_ids_to_stages) {
    for (const auto& stage : stages) {
      if (stage == "AWSCURRENT") current = version;
      if (stage == "AWSPENDING") pending = version;
    }
  }
  return pending && pending != current;
}

}  // namespace dbtrotate::testing
