#include "harness.h"

#include <fmt/format.h>

#include "rotation/iso_time.h"

namespace dbtrotate::testing {

void RecordingObserver::OnStep(const rotation::StepRecord& step) {
  std::lock_guard lock(mutex_);
  lines_.push_back(rotation::FormatStep(step));
}

std::vector<std::string> RecordingObserver::lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

Harness::Harness(World& world) : world_(world) {}

std::unique_ptr<dbtcloud::ServiceTokenApi> Harness::Admin() {
  auto api = world_.DbtFactory()(world_.Connection(), world_.AdminToken());
  EXPECT_TRUE(api != nullptr);
  return api;
}

Harness::Token Harness::CreateToken(const std::string& name,
                                    const std::vector<dbtcloud::PermissionGrant>& grants) {
  auto created = Admin()->CreateServiceToken(name, grants);
  EXPECT_TRUE(created.has_value()) << (created ? "" : created.error().message);
  if (!created) return {};
  return Token{created->token.id, std::move(created->token_string), name};
}

void Harness::CreateSecret(const std::string& secret_id, const rotation::Json& value) {
  aws::CreateSecretRequest request;
  request.name = secret_id;
  request.client_request_token = world_.Rand().UuidV4();
  request.secret_string = SecretString(value.dump());
  auto created = world_.Secrets().CreateSecret(request);
  EXPECT_TRUE(created.has_value()) << (created ? "" : created.error().message);
}

void Harness::SeedSecret(const std::string& secret_id, const Token& token, SystemTime last_rotated,
                         const rotation::Json& extra) {
  rotation::Json value = {{"service_token_id", token.id},
                          {"service_token", std::string(token.token.expose())},
                          {"last_rotated_datetime_utc", rotation::FormatIsoTime(last_rotated)}};
  for (const auto& [key, item] : extra.items()) value[key] = item;
  CreateSecret(secret_id, value);
}

rotation::RotateOptions Harness::Options(const std::string& secret_id) const {
  rotation::RotateOptions options;
  options.secret_id = secret_id;
  options.connection.account_id = world_.Connection().account_id;
  options.connection.access_url = world_.Connection().access_url;
  return options;
}

rotation::Engine Harness::MakeEngine(std::shared_ptr<FaultPlan> plan,
                                     rotation::Observer* observer) {
  rotation::EngineDeps deps;
  deps.clock = &world_.Clock();
  deps.random = &world_.Rand();
  deps.observer = observer;
  if (plan) {
    auto decorator = std::make_unique<FaultySecretsManager>(world_.Secrets(), plan);
    deps.secrets = decorator.get();
    std::lock_guard lock(decorators_mutex_);
    decorators_.push_back(std::move(decorator));
    deps.dbt = FaultyFactory(world_.DbtFactory(), plan);
  } else {
    deps.secrets = &world_.Secrets();
    deps.dbt = world_.DbtFactory();
  }
  return rotation::Engine(std::move(deps));
}

rotation::Report Harness::Rotate(const rotation::RotateOptions& options,
                                 std::shared_ptr<FaultPlan> plan, rotation::Observer* observer) {
  return MakeEngine(std::move(plan), observer).Rotate(options);
}

rotation::Json Harness::Current(const std::string& secret_id) {
  auto value = world_.Secrets().GetSecretValue(
      aws::GetSecretValueRequest{secret_id, std::nullopt, std::string(aws::kStageCurrent)});
  EXPECT_TRUE(value.has_value());
  if (!value || !value->secret_string) return rotation::Json();
  return rotation::Json::parse(value->secret_string->expose());
}

std::int64_t Harness::CurrentTokenId(const std::string& secret_id) {
  auto current = Current(secret_id);
  return current.value("service_token_id", std::int64_t{0});
}

aws::SecretDescription Harness::Describe(const std::string& secret_id) {
  auto description = world_.Secrets().DescribeSecret(secret_id);
  EXPECT_TRUE(description.has_value());
  return description ? *description : aws::SecretDescription{};
}

std::optional<std::string> Harness::UnfinishedPending(const std::string& secret_id) {
  auto description = Describe(secret_id);
  auto pending = description.VersionWithStage(aws::kStagePending);
  if (pending && pending == description.VersionWithStage(aws::kStageCurrent)) return std::nullopt;
  return pending;
}

std::vector<dbtcloud::ServiceToken> Harness::Tokens() {
  auto tokens = Admin()->ListServiceTokens(false);
  EXPECT_TRUE(tokens.has_value());
  return tokens ? *tokens : std::vector<dbtcloud::ServiceToken>{};
}

std::set<std::int64_t> Harness::ActiveIds(const std::string& name) {
  std::set<std::int64_t> ids;
  for (const auto& token : Tokens()) {
    if (token.active() && token.name == name) ids.insert(token.id);
  }
  return ids;
}

bool Harness::IsActive(std::int64_t id) {
  auto row = Admin()->GetServiceToken(id);
  return row && row->active();
}

std::vector<dbtcloud::PermissionGrant> Harness::GrantsOf(std::int64_t id) {
  auto rows = Admin()->ListPermissions(id);
  EXPECT_TRUE(rows.has_value());
  return rows ? dbtcloud::GrantsFromPermissionRows(*rows)
              : std::vector<dbtcloud::PermissionGrant>{};
}

::testing::AssertionResult Harness::CurrentTokenWorks(const std::string& secret_id) {
  auto value = world_.Secrets().GetSecretValue(
      aws::GetSecretValueRequest{secret_id, std::nullopt, std::string(aws::kStageCurrent)});
  if (!value) return ::testing::AssertionFailure() << "AWSCURRENT unreadable";
  if (!value->secret_string) return ::testing::AssertionFailure() << "AWSCURRENT is binary";
  rotation::Json doc;
  try {
    doc = rotation::Json::parse(value->secret_string->expose());
  } catch (const std::exception&) {
    return ::testing::AssertionFailure() << "AWSCURRENT is not JSON";
  }
  if (!doc.contains("service_token_id") || !doc.contains("service_token")) {
    return ::testing::AssertionFailure() << "AWSCURRENT lacks the token keys";
  }
  const auto id = doc["service_token_id"].get<std::int64_t>();
  auto row = Admin()->GetServiceToken(id);
  if (!row) return ::testing::AssertionFailure() << "AWSCURRENT token " << id << " not found";
  if (!row->active()) {
    return ::testing::AssertionFailure() << "AWSCURRENT token " << id << " is not active";
  }
  auto own = world_.DbtFactory()(world_.Connection(),
                                 SecretString(doc["service_token"].get<std::string>()));
  auto call = own->GetServiceToken(id);
  if (!call && call.error().code == dbtcloud::ErrorCode::kUnauthenticated) {
    return ::testing::AssertionFailure() << "AWSCURRENT token " << id << " is rejected (401)";
  }
  return ::testing::AssertionSuccess();
}

InvariantProbe::InvariantProbe(FaultPlan& plan, std::function<::testing::AssertionResult()> probe) {
  plan.after_call = [this, probe = std::move(probe)](const CallInfo& call) {
    auto result = probe();
    if (result) return;
    std::lock_guard lock(mutex_);
    if (!failure_) {
      failure_ = fmt::format("after call #{} {}: {}", call.index, call.op, result.message());
    }
  };
}

::testing::AssertionResult InvariantProbe::Result() const {
  std::lock_guard lock(mutex_);
  if (failure_) return ::testing::AssertionFailure() << *failure_;
  return ::testing::AssertionSuccess();
}

std::vector<std::string> AllText(const rotation::Report& report,
                                 const std::vector<std::string>& observer_lines) {
  std::vector<std::string> text = rotation::FormatReport(report);
  text.insert(text.end(), observer_lines.begin(), observer_lines.end());
  for (const auto& step : report.steps) text.push_back(rotation::FormatStep(step));
  return text;
}

}  // namespace dbtrotate::testing
