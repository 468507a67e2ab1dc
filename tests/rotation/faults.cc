#include "faults.h"

#include <type_traits>
#include <utility>

namespace dbtrotate::testing {
namespace {

aws::Error AwsFault(bool applied) {
  aws::Error error;
  error.code = applied ? aws::ErrorCode::kTransport : aws::ErrorCode::kInternal;
  error.aws_code = applied ? "" : "InternalServiceError";
  error.http_status = applied ? 0 : 500;
  error.message =
      applied ? "connection reset while reading the response (injected)" : "injected server error";
  error.ambiguous = applied;
  return error;
}

dbtcloud::Error DbtFault(bool applied) {
  dbtcloud::Error error;
  error.code = applied ? dbtcloud::ErrorCode::kTransport : dbtcloud::ErrorCode::kServer;
  error.http_status = applied ? 0 : 503;
  error.message =
      applied ? "connection reset while reading the response (injected)" : "injected server error";
  error.ambiguous = applied;
  return error;
}

template <class R>
R Failure(bool applied) {
  if constexpr (std::is_same_v<typename R::error_type, aws::Error>) {
    return Fail(AwsFault(applied));
  } else {
    return Fail(DbtFault(applied));
  }
}

// One call through the plan: hooks, then the planned fault before or after forwarding.
template <class R, class F>
R CallWithFault(FaultPlan& plan, const char* op, bool write, F&& forward) {
  auto [info, fault] = plan.Next(op, write);
  if (plan.before_call) plan.before_call(info);
  if (fault == FaultKind::kCrashBefore) throw SimulatedCrash();
  if (fault == FaultKind::kErrorBefore) return Failure<R>(false);
  R result = forward();
  if (plan.after_call) plan.after_call(info);
  if (fault == FaultKind::kCrashAfter) throw SimulatedCrash();
  if (fault == FaultKind::kErrorAfter) return Failure<R>(true);
  return result;
}

}  // namespace

const char* FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kErrorBefore:
      return "error-before";
    case FaultKind::kErrorAfter:
      return "error-after";
    case FaultKind::kCrashBefore:
      return "crash-before";
    case FaultKind::kCrashAfter:
      return "crash-after";
  }
  return "?";
}

void FaultPlan::Arm(int index, FaultKind kind) {
  std::lock_guard lock(mutex_);
  armed_ = std::make_pair(index, kind);
}

void FaultPlan::ArmOp(const std::string& op, int nth, FaultKind kind) {
  std::lock_guard lock(mutex_);
  armed_op_ = ArmedOp{op, nth, kind};
}

void FaultPlan::Disarm() {
  std::lock_guard lock(mutex_);
  armed_.reset();
  armed_op_.reset();
}

int FaultPlan::calls() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(log_.size());
}

int FaultPlan::writes() const {
  std::lock_guard lock(mutex_);
  return writes_;
}

std::vector<CallInfo> FaultPlan::log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

std::pair<CallInfo, std::optional<FaultKind>> FaultPlan::Next(const std::string& op, bool write) {
  std::lock_guard lock(mutex_);
  CallInfo info{static_cast<int>(log_.size()) + 1, op, write};
  log_.push_back(info);
  if (write) ++writes_;
  std::optional<FaultKind> fault;
  if (armed_ && armed_->first == info.index) fault = armed_->second;
  if (armed_op_ && armed_op_->op == op && ++armed_op_->seen == armed_op_->nth) {
    fault = armed_op_->kind;
  }
  return {info, fault};
}

template <class R, class F>
R FaultySecretsManager::Call(const char* op, bool write, F&& forward) {
  return CallWithFault<R>(*plan_, op, write, std::forward<F>(forward));
}

aws::AwsResult<aws::SecretValue> FaultySecretsManager::GetSecretValue(
    const aws::GetSecretValueRequest& r) {
  return Call<aws::AwsResult<aws::SecretValue>>("sm.GetSecretValue", false,
                                                [&] { return inner_.GetSecretValue(r); });
}
aws::AwsResult<aws::PutSecretValueResult> FaultySecretsManager::PutSecretValue(
    const aws::PutSecretValueRequest& r) {
  return Call<aws::AwsResult<aws::PutSecretValueResult>>("sm.PutSecretValue", true,
                                                         [&] { return inner_.PutSecretValue(r); });
}
aws::AwsResult<aws::SecretDescription> FaultySecretsManager::DescribeSecret(const std::string& id) {
  return Call<aws::AwsResult<aws::SecretDescription>>("sm.DescribeSecret", false,
                                                      [&] { return inner_.DescribeSecret(id); });
}
aws::AwsResult<void> FaultySecretsManager::UpdateSecretVersionStage(
    const aws::UpdateSecretVersionStageRequest& r) {
  return Call<aws::AwsResult<void>>("sm.UpdateSecretVersionStage", true,
                                    [&] { return inner_.UpdateSecretVersionStage(r); });
}
aws::AwsResult<aws::CreateSecretResult> FaultySecretsManager::CreateSecret(
    const aws::CreateSecretRequest& r) {
  return Call<aws::AwsResult<aws::CreateSecretResult>>("sm.CreateSecret", true,
                                                       [&] { return inner_.CreateSecret(r); });
}
aws::AwsResult<std::vector<aws::SecretVersion>> FaultySecretsManager::ListSecretVersionIds(
    const std::string& id, bool include_deprecated) {
  return Call<aws::AwsResult<std::vector<aws::SecretVersion>>>(
      "sm.ListSecretVersionIds", false,
      [&] { return inner_.ListSecretVersionIds(id, include_deprecated); });
}

template <class R, class F>
R FaultyTokenApi::Call(const char* op, bool write, F&& forward) {
  return CallWithFault<R>(*plan_, op, write, std::forward<F>(forward));
}

dbtcloud::DbtResult<std::vector<dbtcloud::ServiceToken>> FaultyTokenApi::ListServiceTokens(
    bool active_only) {
  return Call<dbtcloud::DbtResult<std::vector<dbtcloud::ServiceToken>>>(
      "dbt.ListServiceTokens", false, [&] { return inner_->ListServiceTokens(active_only); });
}
dbtcloud::DbtResult<dbtcloud::CreatedToken> FaultyTokenApi::CreateServiceToken(
    const std::string& name, const std::vector<dbtcloud::PermissionGrant>& grants) {
  return Call<dbtcloud::DbtResult<dbtcloud::CreatedToken>>(
      "dbt.CreateServiceToken", true, [&] { return inner_->CreateServiceToken(name, grants); });
}
dbtcloud::DbtResult<dbtcloud::ServiceToken> FaultyTokenApi::GetServiceToken(std::int64_t id) {
  return Call<dbtcloud::DbtResult<dbtcloud::ServiceToken>>(
      "dbt.GetServiceToken", false, [&] { return inner_->GetServiceToken(id); });
}
dbtcloud::DbtResult<dbtcloud::ServiceToken> FaultyTokenApi::RenameServiceToken(
    std::int64_t id, const std::string& name) {
  return Call<dbtcloud::DbtResult<dbtcloud::ServiceToken>>(
      "dbt.RenameServiceToken", true, [&] { return inner_->RenameServiceToken(id, name); });
}
dbtcloud::DbtResult<dbtcloud::DeleteOutcome> FaultyTokenApi::DeleteServiceToken(std::int64_t id) {
  return Call<dbtcloud::DbtResult<dbtcloud::DeleteOutcome>>(
      "dbt.DeleteServiceToken", true, [&] { return inner_->DeleteServiceToken(id); });
}
dbtcloud::DbtResult<std::vector<dbtcloud::PermissionRow>> FaultyTokenApi::ListPermissions(
    std::int64_t id) {
  return Call<dbtcloud::DbtResult<std::vector<dbtcloud::PermissionRow>>>(
      "dbt.ListPermissions", false, [&] { return inner_->ListPermissions(id); });
}
std::unique_ptr<dbtcloud::ServiceTokenApi> FaultyTokenApi::WithToken(SecretString token) const {
  auto inner = inner_->WithToken(std::move(token));
  if (!inner) return nullptr;
  return std::make_unique<FaultyTokenApi>(std::move(inner), plan_);
}

rotation::DbtApiFactory FaultyFactory(rotation::DbtApiFactory inner,
                                      std::shared_ptr<FaultPlan> plan) {
  return [inner = std::move(inner), plan = std::move(plan)](
             const rotation::ConnectionInfo& connection,
             SecretString token) -> std::unique_ptr<dbtcloud::ServiceTokenApi> {
    auto api = inner(connection, std::move(token));
    if (!api) return nullptr;
    return std::make_unique<FaultyTokenApi>(std::move(api), plan);
  };
}

}  // namespace dbtrotate::testing
