#ifndef DBTROTATE_EMULATORS_SECRETSMANAGER_ROTATION_RUNNER_H_
#define DBTROTATE_EMULATORS_SECRETSMANAGER_ROTATION_RUNNER_H_

// What Secrets Manager does after RotateSecret returns (reference aws-lambda-rotation.md §3):
// on its own thread, it invokes the rotation function once per step, in order
// (createSecret, setSecret, testSecret, finishSecret; only testSecret when RotateImmediately
// is false), with {"Step","SecretId","ClientRequestToken","RotationToken"}. A failed step stops
// the rotation and leaves AWSPENDING where it is; a rotation succeeds (LastRotatedDate moves)
// only when AWSCURRENT ends on the pending version. How often and how soon AWS reattempts is
// not documented (reference aws-secrets-manager.md §7.2), so RotationRetryPolicy makes it a
// choice, bounded, and Reattempt() lets a test play "later".

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "emulators/lambda/function_invoker.h"
#include "emulators/secretsmanager/secret_store.h"

namespace dbtrotate::emulators::secretsmanager {

struct RotationRetryPolicy {
  /// Invocations of one step before the rotation counts as failed (>= 1).
  int attempts_per_step = 1;
  /// Runs of the whole rotation, from its first step, before it is left failed (>= 1).
  int rotation_attempts = 1;
  /// Waited (on the injected clock) between two runs of the whole rotation.
  Duration between_rotation_attempts{0};
};

enum class RotationState { kRunning, kSucceeded, kFailed };

struct RotationStepRecord {
  std::string step;  // "createSecret", …
  int attempt = 1;   // of this step within one run
  lambda::InvokeOutcome outcome;
  std::chrono::milliseconds duration{0};  // wall time of the invocation (for printing)
};

/// One rotation (one AWSPENDING version), with every invocation it made.
struct RotationRecord {
  std::string secret_arn;
  std::string version_id;
  bool immediately = true;
  RotationState state = RotationState::kRunning;
  int runs = 0;
  std::vector<RotationStepRecord> steps;
  std::string failure;  // why it stopped, when it failed; names no secret value
};

class RotationRunner {
 public:
  /// Called on the runner's thread after every invocation (e.g. to print the step).
  using StepObserver = std::function<void(const RotationRecord&, const RotationStepRecord&)>;

  RotationRunner(SecretStore& store, Clock& clock, Random& random);
  ~RotationRunner();  // Stop()
  RotationRunner(const RotationRunner&) = delete;
  RotationRunner& operator=(const RotationRunner&) = delete;

  /// Who runs the function; nullptr: every invocation fails as kUnavailable.
  void SetInvoker(lambda::FunctionInvoker* invoker);
  void SetPolicy(RotationRetryPolicy policy);
  void SetObserver(StepObserver observer);

  /// RotateSecret: the store's checks and stub, then the steps run on the runner's thread.
  ApiResult<RotationPlan> RotateSecret(const RotateSecretInput& input);
  /// Runs every failed rotation whose version still carries AWSPENDING again, with the same
  /// ClientRequestToken (AWS's "That rotation will be reattempted"). Returns how many.
  int Reattempt();
  /// Waits (at most `timeout`) until no rotation is queued or running; false on timeout.
  bool WaitIdle(std::chrono::milliseconds timeout);
  std::vector<RotationRecord> Rotations();
  /// Idempotent: drops queued rotations and joins the thread (after the running invocation).
  void Stop();

 private:
  struct Job {
    RotationPlan plan;
    std::size_t record = 0;
  };

  void Loop();
  void Run(const Job& job);
  // One run of the steps; on failure, the reason.
  std::optional<std::string> RunSteps(const Job& job, const std::string& rotation_token);
  lambda::InvokeOutcome InvokeStep(const Job& job, const std::string& step,
                                   const std::string& rotation_token);

  SecretStore& store_;
  Clock& clock_;
  Random& random_;
  std::mutex mutex_;
  std::condition_variable changed_;
  lambda::FunctionInvoker* invoker_ = nullptr;
  RotationRetryPolicy policy_;
  StepObserver observer_;
  std::deque<Job> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::vector<RotationRecord> records_;
  std::thread thread_;
};

std::string_view RotationStateName(RotationState state);

}  // namespace dbtrotate::emulators::secretsmanager

#endif  // DBTROTATE_EMULATORS_SECRETSMANAGER_ROTATION_RUNNER_H_
