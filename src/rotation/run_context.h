#ifndef DBTROTATE_ROTATION_RUN_CONTEXT_H_
#define DBTROTATE_ROTATION_RUN_CONTEXT_H_

// Per-run plumbing shared by Rotate, Status and Init (internal to the rotation module):
// counted API access, step timing and reporting, and optional concurrency.

#include <atomic>
#include <future>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "aws/secretsmanager/api.h"
#include "core/result.h"
#include "dbtcloud/api.h"
#include "rotation/engine.h"
#include "rotation/report.h"

namespace dbtrotate::rotation::internal {

/// Why a run stops early; becomes the report's outcome and message.
struct Stop {
  Outcome outcome = Outcome::kFailedSafely;
  std::string message;
};

template <class T>
using Flow = Result<T, Stop>;

inline Unexpected<Stop> StopWith(Outcome outcome, std::string message) {
  return Fail(Stop{outcome, std::move(message)});
}

struct CallCounters {
  std::atomic<int> secrets_manager{0};
  std::atomic<int> dbt_cloud{0};
  std::atomic<int> writes{0};
  int total() const { return secrets_manager.load() + dbt_cloud.load(); }
};

class RunContext {
 public:
  RunContext(const EngineDeps& deps, bool concurrent);
  RunContext(const RunContext&) = delete;
  RunContext& operator=(const RunContext&) = delete;

  aws::SecretsManagerApi& sm() { return *secrets_; }
  /// A counted dbt API acting with `token`; nullptr if the factory refused.
  std::unique_ptr<dbtcloud::ServiceTokenApi> Dbt(const ConnectionInfo& connection,
                                                 SecretString token);
  Clock& clock() { return *deps_.clock; }
  Random& random() { return *deps_.random; }
  SystemTime Now() { return deps_.clock->Now(); }
  /// A fresh rotation id, tagged with this process when a probe is configured.
  std::string NewRotationId() { return OwnRotationId(random().UuidV4()); }
  /// `rotation_id` re-tagged as this process's (a run that takes a rotation over owns it).
  std::string OwnRotationId(std::string_view rotation_id) {
    return deps_.probe ? TagRotationId(rotation_id, deps_.probe->SelfTag())
                       : std::string(rotation_id);
  }
  /// True when the lock's writer was a process of this machine that is gone.
  bool OwnerIsDead(const std::optional<std::string>& rotation_id) {
    if (!deps_.probe || !rotation_id) return false;
    const auto tag = OwnerTagOf(*rotation_id);
    return tag && deps_.probe->IsDeadLocalProcess(*tag);
  }

  /// Runs `f` on another thread when concurrency is on, else when the result is asked for.
  template <class F>
  std::future<std::invoke_result_t<F>> Start(F&& f) {
    return std::async(concurrent_ ? std::launch::async : std::launch::deferred, std::forward<F>(f));
  }

  /// The last of a group of Start()s: with concurrency on, runs `f` right here, since this
  /// thread would only wait for the others (and a request sent from here waits for no thread
  /// to start); else when the result is asked for, like Start.
  template <class F>
  std::future<std::invoke_result_t<F>> StartHere(F&& f) {
    if (!concurrent_) return std::async(std::launch::deferred, std::forward<F>(f));
    std::promise<std::invoke_result_t<F>> done;
    try {
      done.set_value(std::forward<F>(f)());
    } catch (...) {
      done.set_exception(std::current_exception());
    }
    return done.get_future();
  }

  /// Times one step and reports it when finished (to the observer and the step list).
  class StepTimer {
   public:
    StepTimer(RunContext& context, std::string name);
    ~StepTimer();
    StepTimer(const StepTimer&) = delete;
    StepTimer& operator=(const StepTimer&) = delete;
    void Ok(std::string detail = {}) { Finish(StepStatus::kOk, std::move(detail)); }
    void Warn(std::string detail) { Finish(StepStatus::kWarning, std::move(detail)); }
    void Failed(std::string detail) { Finish(StepStatus::kFailed, std::move(detail)); }

   private:
    void Finish(StepStatus status, std::string detail);
    RunContext& context_;
    std::string name_;
    SystemTime start_;
    int calls_at_start_;
    bool finished_ = false;
  };
  StepTimer Begin(std::string name) { return StepTimer(*this, std::move(name)); }

  std::vector<StepRecord> TakeSteps() { return std::move(steps_); }
  RequestCounts Counts() const;
  /// Completes `report` with how the run ended, its steps and its request counts.
  Report Finish(Report report, Stop end) {
    report.outcome = end.outcome;
    report.message = std::move(end.message);
    report.steps = TakeSteps();
    report.requests = Counts();
    return report;
  }

 private:
  EngineDeps deps_;
  bool concurrent_;
  std::shared_ptr<CallCounters> counters_;
  std::unique_ptr<aws::SecretsManagerApi> secrets_;
  std::vector<StepRecord> steps_;
};

/// "transport error (HTTP 0): …" for messages.
std::string Describe(const aws::Error& error);
std::string Describe(const dbtcloud::Error& error);
/// Worth one more try with the same request (the write may or may not have happened).
bool MaybeTransient(const aws::Error& error);

}  // namespace dbtrotate::rotation::internal

#endif  // DBTROTATE_ROTATION_RUN_CONTEXT_H_
