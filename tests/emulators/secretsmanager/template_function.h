#ifndef DBTROTATE_TESTS_EMULATORS_SECRETSMANAGER_TEMPLATE_FUNCTION_H_
#define DBTROTATE_TESTS_EMULATORS_SECRETSMANAGER_TEMPLATE_FUNCTION_H_

// Test helper: a rotation function written like AWS's SecretsManagerRotationTemplate
// (reference aws-secrets-manager.md §3.2), in process, acting on the emulator's store: the
// handler checks on DescribeSecret, createSecret (GetSecretValue(AWSPENDING) or PutSecretValue
// with the token), a no-op setSecret, testSecret (the pending value must be readable),
// finishSecret (UpdateSecretVersionStage AWSCURRENT). Steps can be made to fail, and every
// event is recorded, so the emulator's rotation is tested without the real function.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "emulators/lambda/function_invoker.h"
#include "emulators/secretsmanager/secret_store.h"

namespace dbtrotate::emulators::secretsmanager::smtest {

struct ReceivedEvent {
  std::string step;
  std::string secret_id;
  std::string client_request_token;
  std::string rotation_token;
  bool pending_had_value = false;  // at the time the step started
};

class TemplateFunction final : public lambda::FunctionInvoker {
 public:
  explicit TemplateFunction(SecretStore& store) : store_(store) {}

  lambda::InvokeOutcome Invoke(std::string_view function_arn,
                               const std::string& event_json) override;

  /// The next `times` invocations of `step` fail (a function error), before doing anything.
  void FailStep(const std::string& step, int times);
  /// finishSecret returns success without moving AWSCURRENT (a broken function).
  void SkipPromotion(bool skip);
  std::vector<ReceivedEvent> Events();
  std::vector<std::string> Steps();
  std::string last_function_arn();

 private:
  lambda::InvokeOutcome Handle(const ReceivedEvent& event);

  SecretStore& store_;
  std::mutex mutex_;
  std::map<std::string, int> failures_;
  bool skip_promotion_ = false;
  std::vector<ReceivedEvent> events_;
  std::string last_function_arn_;
};

}  // namespace dbtrotate::emulators::secretsmanager::smtest

#endif  // DBTROTATE_TESTS_EMULATORS_SECRETSMANAGER_TEMPLATE_FUNCTION_H_
