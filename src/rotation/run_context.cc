#include "rotation/run_context.h"

#include <fmt/format.h>

namespace dbtrotate::rotation::internal {
namespace {

// Counts every call, and the writes among them, for the report.
class CountingSecretsManager final : public aws::SecretsManagerApi {
 public:
  CountingSecretsManager(aws::SecretsManagerApi& inner, std::shared_ptr<CallCounters> counters)
      : inner_(inner), counters_(std::move(counters)) {}

  aws::AwsResult<aws::SecretValue> GetSecretValue(const aws::GetSecretValueRequest& r) override {
    ++counters_->secrets_manager;
    return inner_.GetSecretValue(r);
  }
  aws::AwsResult<aws::PutSecretValueResult> PutSecretValue(
      const aws::PutSecretValueRequest& r) override {
    ++counters_->secrets_manager;
    ++counters_->writes;
    return inner_.PutSecretValue(r);
  }
  aws::AwsResult<aws::SecretDescription> DescribeSecret(const std::string& id) override {
    ++counters_->secrets_manager;
    return inner_.DescribeSecret(id);
  }
  aws::AwsResult<void> UpdateSecretVersionStage(
      const aws::UpdateSecretVersionStageRequest& r) override {
    ++counters_->secrets_manager;
    ++counters_->writes;
    return inner_.UpdateSecretVersionStage(r);
  }
  aws::AwsResult<aws::CreateSecretResult> CreateSecret(const aws::CreateSecretRequest& r) override {
    ++counters_->secrets_manager;
    ++counters_->writes;
    return inner_.CreateSecret(r);
  }
  aws::AwsResult<std::vector<aws::SecretVersion>> ListSecretVersionIds(
      const std::string& id, bool include_deprecated) override {
    ++counters_->secrets_manager;
    return inner_.ListSecretVersionIds(id, include_deprecated);
  }

 private:
  aws::SecretsManagerApi& inner_;
  std::shared_ptr<CallCounters> counters_;
};

class CountingTokenApi final : public dbtcloud::ServiceTokenApi {
 public:
  CountingTokenApi(std::unique_ptr<dbtcloud::ServiceTokenApi> inner,
                   std::shared_ptr<CallCounters> counters)
      : inner_(std::move(inner)), counters_(std::move(counters)) {}

  dbtcloud::DbtResult<std::vector<dbtcloud::ServiceToken>> ListServiceTokens(
      bool active_only) override {
    ++counters_->dbt_cloud;
    return inner_->ListServiceTokens(active_only);
  }
  dbtcloud::DbtResult<dbtcloud::CreatedToken> CreateServiceToken(
      const std::string& name, const std::vector<dbtcloud::PermissionGrant>& grants) override {
    ++counters_->dbt_cloud;
    ++counters_->writes;
    return inner_->CreateServiceToken(name, grants);
  }
  dbtcloud::DbtResult<dbtcloud::ServiceToken> GetServiceToken(std::int64_t id) override {
    ++counters_->dbt_cloud;
    return inner_->GetServiceToken(id);
  }
  dbtcloud::DbtResult<dbtcloud::ServiceToken> RenameServiceToken(std::int64_t id,
                                                                 const std::string& name) override {
    ++counters_->dbt_cloud;
    ++counters_->writes;
    return inner_->RenameServiceToken(id, name);
  }
  dbtcloud::DbtResult<dbtcloud::DeleteOutcome> DeleteServiceToken(std::int64_t id) override {
    ++counters_->dbt_cloud;
    ++counters_->writes;
    return inner_->DeleteServiceToken(id);
  }
  dbtcloud::DbtResult<std::vector<dbtcloud::PermissionRow>> ListPermissions(
      std::int64_t token_id) override {
    ++counters_->dbt_cloud;
    return inner_->ListPermissions(token_id);
  }
  std::unique_ptr<dbtcloud::ServiceTokenApi> WithToken(SecretString token) const override {
    auto inner = inner_->WithToken(std::move(token));
    if (!inner) return nullptr;
    return std::make_unique<CountingTokenApi>(std::move(inner), counters_);
  }

 private:
  std::unique_ptr<dbtcloud::ServiceTokenApi> inner_;
  std::shared_ptr<CallCounters> counters_;
};

}  // namespace

RunContext::RunContext(const EngineDeps& deps, bool concurrent)
    : deps_(deps),
      concurrent_(concurrent),
      counters_(std::make_shared<CallCounters>()),
      secrets_(std::make_unique<CountingSecretsManager>(*deps.secrets, counters_)) {}

std::unique_ptr<dbtcloud::ServiceTokenApi> RunContext::Dbt(const ConnectionInfo& connection,
                                                           SecretString token) {
  auto api = deps_.dbt ? deps_.dbt(connection, std::move(token)) : nullptr;
  if (!api) return nullptr;
  return std::make_unique<CountingTokenApi>(std::move(api), counters_);
}

RequestCounts RunContext::Counts() const {
  return RequestCounts{counters_->secrets_manager.load(), counters_->dbt_cloud.load(),
                       counters_->writes.load()};
}

RunContext::StepTimer::StepTimer(RunContext& context, std::string name)
    : context_(context),
      name_(std::move(name)),
      start_(context.Now()),
      calls_at_start_(context.counters_->total()) {}

RunContext::StepTimer::~StepTimer() {
  // A step left unfinished was cut short by an early return; say so rather than drop it.
  if (!finished_) Finish(StepStatus::kFailed, "interrupted");
}

void RunContext::StepTimer::Finish(StepStatus status, std::string detail) {
  if (finished_) return;
  finished_ = true;
  StepRecord record;
  record.name = std::move(name_);
  record.status = status;
  record.detail = std::move(detail);
  record.duration = std::chrono::duration_cast<Duration>(context_.Now() - start_);
  record.calls = context_.counters_->total() - calls_at_start_;
  if (context_.deps_.observer) context_.deps_.observer->OnStep(record);
  context_.steps_.push_back(std::move(record));
}

std::string Describe(const aws::Error& error) {
  std::string text = fmt::format("Secrets Manager {}", aws::ErrorCodeName(error.code));
  if (!error.aws_code.empty()) text += fmt::format(" ({})", error.aws_code);
  if (error.http_status != 0) text += fmt::format(", HTTP {}", error.http_status);
  if (!error.message.empty()) text += ": " + error.message;
  return text;
}

std::string Describe(const dbtcloud::Error& error) {
  std::string text = fmt::format("dbt Cloud {}", dbtcloud::ErrorCodeName(error.code));
  if (error.http_status != 0) text += fmt::format(" (HTTP {})", error.http_status);
  if (!error.message.empty()) text += ": " + error.message;
  return text;
}

bool MaybeTransient(const aws::Error& error) {
  return error.ambiguous || error.code == aws::ErrorCode::kTransport ||
         error.code == aws::ErrorCode::kInternal || error.code == aws::ErrorCode::kThrottling;
}

}  // namespace dbtrotate::rotation::internal
