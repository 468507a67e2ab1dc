#ifndef DBTROTATE_ROTATION_LAMBDA_STEP_RUN_H_
#define DBTROTATE_ROTATION_LAMBDA_STEP_RUN_H_

// One rotation-function step (internal). The lock is Secrets Manager's own: AWSPENDING on the
// event's version, put there by RotateSecret. The intent record lives in a DBTROTATE_STAGED
// version that names that version, since the version itself is written once, with the token.

#include <optional>
#include <string>
#include <vector>

#include "rotation/intent.h"
#include "rotation/lambda_checks.h"
#include "rotation/lambda_steps.h"
#include "rotation/secret_state.h"
#include "rotation/token_ops.h"

namespace dbtrotate::rotation::internal {

class StepRun {
 public:
  StepRun(RunContext& context, const StepRequest& request, const StepOptions& options)
      : context_(context), request_(request), options_(options) {}
  Report Execute();

 private:
  Stop Run();
  std::optional<Stop> Validate() const;
  Stop CreateSecret();
  Stop SetSecret();
  Stop TestSecret();
  Stop FinishSecret(bool already_current);

  // createSecret's parts (lambda_create_secret.cc).
  struct DbtView {
    std::vector<dbtcloud::ServiceToken> tokens;
    std::vector<dbtcloud::PermissionGrant> grants;
    std::string name;
  };
  Flow<DbtView> ReadDbt(const SecretState& state, const Acting& acting);
  /// Revokes what an earlier, interrupted createSecret created and could not store (the
  /// DBTROTATE_STAGED intent names a rotation-function version). nullopt: nothing left.
  std::optional<Stop> CleanUpEarlierIntent(const SecretState& state, const Acting& acting,
                                           const std::vector<dbtcloud::ServiceToken>& tokens);
  std::optional<Stop> RevokeOrphans(const Intent& intent, const SecretState& state,
                                    const Acting& acting,
                                    const std::vector<dbtcloud::ServiceToken>& tokens);
  std::optional<Stop> RevokeSuperseded(const SecretState& state, const Acting& acting,
                                       const std::vector<dbtcloud::ServiceToken>& tokens);
  Stop CreateAndStore(const SecretState& state, const Acting& acting, const DbtView& view);
  TokenSecret BuildNext(const SecretState& state, std::int64_t token_id, const SecretString& token);
  /// PutSecretValue(ClientRequestToken = the event's version, [AWSPENDING], RotationToken).
  aws::AwsResult<aws::PutSecretValueResult> StorePending(const TokenSecret& next);
  Stop StoreFailed(const Acting& acting, std::int64_t token_id, const aws::Error& error);

  // Shared by the later steps (lambda_step_run.cc / lambda_finish_secret.cc).
  /// The event version's value; nullopt while it is RotateSecret's value-less stub.
  Flow<std::optional<TokenSecret>> ReadStored();
  /// The stored value must have been built on today's AWSCURRENT.
  std::optional<Stop> CheckBuiltOnCurrent(const TokenSecret& stored, const SecretState& state);
  Flow<std::vector<dbtcloud::PermissionGrant>> ExpectedGrants(const SecretState& state,
                                                              const Acting& acting);
  Flow<Verification> VerifyStored(const TokenSecret& stored, const SecretState& state,
                                  const Acting& acting);
  Stop RollBackStored(const TokenSecret& stored, const Acting& acting, const std::string& why);
  Stop CheckConfiguration();
  Stop AfterPromotion(const TokenSecret& promoted, const SecretState& before, const Acting& acting);
  Stop AlreadyFinished();
  void ClearPendingLabel();
  /// A Stop when less than the reserve is left before the deadline.
  std::optional<Stop> DeadlineNear(std::string_view before_what);

  RunContext& context_;
  const StepRequest& request_;
  const StepOptions& options_;
  Report report_;
};

}  // namespace dbtrotate::rotation::internal

#endif  // DBTROTATE_ROTATION_LAMBDA_STEP_RUN_H_
