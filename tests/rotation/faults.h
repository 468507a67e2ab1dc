#ifndef DBTROTATE_TESTS_ROTATION_FAULTS_H_
#define DBTROTATE_TESTS_ROTATION_FAULTS_H_

// Fault injection around any SecretsManagerApi / ServiceTokenApi (the fakes here, or the real
// clients over the emulators): every call gets a global index across both services; one call
// can be made to fail before it is applied, fail after it is applied (a lost reply), or
// "crash" the run (a SimulatedCrash thrown out of the engine, before or after applying).
// Hooks run before and after every call: invariant probes, or a competing run.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "aws/secretsmanager/api.h"
#include "dbtcloud/api.h"
#include "rotation/options.h"

namespace dbtrotate::testing {

enum class FaultKind { kErrorBefore, kErrorAfter, kCrashBefore, kCrashAfter };
const char* FaultKindName(FaultKind kind);

/// Thrown by a crash fault; stands for the process dying at that point.
class SimulatedCrash : public std::runtime_error {
 public:
  SimulatedCrash() : std::runtime_error("simulated crash") {}
};

struct CallInfo {
  int index = 0;   // 1-based, across both services
  std::string op;  // "sm.PutSecretValue", "dbt.CreateServiceToken", …
  bool write = false;
};

class FaultPlan {
 public:
  void Arm(int index, FaultKind kind);
  /// The `nth` (1-based) call of operation `op` ("sm.UpdateSecretVersionStage").
  void ArmOp(const std::string& op, int nth, FaultKind kind);
  void Disarm();
  /// Called before each call is forwarded (not under any lock).
  std::function<void(const CallInfo&)> before_call;
  /// Called after each call that was forwarded (applied or not).
  std::function<void(const CallInfo&)> after_call;

  int calls() const;
  int writes() const;
  std::vector<CallInfo> log() const;

  /// Registers a call; returns its info and the fault to apply to it, if any.
  std::pair<CallInfo, std::optional<FaultKind>> Next(const std::string& op, bool write);

 private:
  mutable std::mutex mutex_;
  std::optional<std::pair<int, FaultKind>> armed_;
  struct ArmedOp {
    std::string op;
    int nth;
    FaultKind kind;
    int seen = 0;
  };
  std::optional<ArmedOp> armed_op_;
  std::vector<CallInfo> log_;
  int writes_ = 0;
};

class FaultySecretsManager final : public aws::SecretsManagerApi {
 public:
  FaultySecretsManager(aws::SecretsManagerApi& inner, std::shared_ptr<FaultPlan> plan)
      : inner_(inner), plan_(std::move(plan)) {}

  aws::AwsResult<aws::SecretValue> GetSecretValue(const aws::GetSecretValueRequest& r) override;
  aws::AwsResult<aws::PutSecretValueResult> PutSecretValue(
      const aws::PutSecretValueRequest& r) override;
  aws::AwsResult<aws::SecretDescription> DescribeSecret(const std::string& id) override;
  aws::AwsResult<void> UpdateSecretVersionStage(
      const aws::UpdateSecretVersionStageRequest& r) override;
  aws::AwsResult<aws::CreateSecretResult> CreateSecret(const aws::CreateSecretRequest& r) override;
  aws::AwsResult<std::vector<aws::SecretVersion>> ListSecretVersionIds(
      const std::string& id, bool include_deprecated) override;

 private:
  template <class R, class F>
  R Call(const char* op, bool write, F&& forward);

  aws::SecretsManagerApi& inner_;
  std::shared_ptr<FaultPlan> plan_;
};

class FaultyTokenApi final : public dbtcloud::ServiceTokenApi {
 public:
  FaultyTokenApi(std::unique_ptr<dbtcloud::ServiceTokenApi> inner, std::shared_ptr<FaultPlan> plan)
      : inner_(std::move(inner)), plan_(std::move(plan)) {}

  dbtcloud::DbtResult<std::vector<dbtcloud::ServiceToken>> ListServiceTokens(
      bool active_only) override;
  dbtcloud::DbtResult<dbtcloud::CreatedToken> CreateServiceToken(
      const std::string& name, const std::vector<dbtcloud::PermissionGrant>& grants) override;
  dbtcloud::DbtResult<dbtcloud::ServiceToken> GetServiceToken(std::int64_t id) override;
  dbtcloud::DbtResult<dbtcloud::ServiceToken> RenameServiceToken(std::int64_t id,
                                                                 const std::string& name) override;
  dbtcloud::DbtResult<dbtcloud::DeleteOutcome> DeleteServiceToken(std::int64_t id) override;
  dbtcloud::DbtResult<std::vector<dbtcloud::PermissionRow>> ListPermissions(
      std::int64_t id) override;
  std::unique_ptr<dbtcloud::ServiceTokenApi> WithToken(SecretString token) const override;

 private:
  template <class R, class F>
  R Call(const char* op, bool write, F&& forward);

  std::unique_ptr<dbtcloud::ServiceTokenApi> inner_;
  std::shared_ptr<FaultPlan> plan_;
};

/// Wraps a factory so every API it makes goes through `plan`.
rotation::DbtApiFactory FaultyFactory(rotation::DbtApiFactory inner,
                                      std::shared_ptr<FaultPlan> plan);

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_ROTATION_FAULTS_H_
