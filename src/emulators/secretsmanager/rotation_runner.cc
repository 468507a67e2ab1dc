#include "emulators/secretsmanager/rotation_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <utility>

namespace dbtrotate::emulators::secretsmanager {
namespace {

constexpr std::array<const char*, 4> kAllSteps = {"createSecret", "setSecret", "testSecret",
                                                  "finishSecret"};
constexpr std::array<const char*, 1> kTestOnly = {"testSecret"};

}  // namespace

std::string_view RotationStateName(RotationState state) {
  switch (state) {
    case RotationState::kRunning:
      return "running";
    case RotationState::kSucceeded:
      return "succeeded";
    case RotationState::kFailed:
      return "failed";
  }
  return "unknown";
}

RotationRunner::RotationRunner(SecretStore& store, Clock& clock, Random& random)
    : store_(store), clock_(clock), random_(random), thread_([this] { Loop(); }) {}

RotationRunner::~RotationRunner() { Stop(); }

void RotationRunner::SetInvoker(lambda::FunctionInvoker* invoker) {
  std::lock_guard lock(mutex_);
  invoker_ = invoker;
}

void RotationRunner::SetPolicy(RotationRetryPolicy policy) {
  policy.attempts_per_step = std::max(policy.attempts_per_step, 1);
  policy.rotation_attempts = std::max(policy.rotation_attempts, 1);
  std::lock_guard lock(mutex_);
  policy_ = policy;
}

void RotationRunner::SetObserver(StepObserver observer) {
  std::lock_guard lock(mutex_);
  observer_ = std::move(observer);
}

ApiResult<RotationPlan> RotationRunner::RotateSecret(const RotateSecretInput& input) {
  ApiResult<RotationPlan> plan = store_.BeginRotation(input);
  if (!plan) return plan;
  {
    std::lock_guard lock(mutex_);
    RotationRecord record;
    record.secret_arn = plan->arn;
    record.version_id = plan->version_id;
    record.immediately = plan->immediately;
    records_.push_back(std::move(record));
    queue_.push_back(Job{*plan, records_.size() - 1});
  }
  changed_.notify_all();
  return plan;
}

int RotationRunner::Reattempt() {
  std::vector<Job> again;
  {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < records_.size(); ++i) {
      const RotationRecord& record = records_[i];
      if (record.state != RotationState::kFailed || !record.immediately) continue;
      // A later rotation of the same secret supersedes this one.
      const bool superseded = std::any_of(
          records_.begin() + static_cast<std::ptrdiff_t>(i) + 1, records_.end(),
          [&](const RotationRecord& later) { return later.secret_arn == record.secret_arn; });
      if (superseded) continue;
      again.push_back(Job{RotationPlan{record.secret_arn, "", record.version_id, "", true}, i});
    }
  }
  int queued = 0;
  for (Job& job : again) {
    if (!store_.RotationStillPending(job.plan.arn, job.plan.version_id)) continue;
    ApiResult<DescribeSecretOutput> described = store_.DescribeSecret(job.plan.arn);
    if (!described || !described->rotation_lambda_arn) continue;
    job.plan.name = described->name;
    job.plan.lambda_arn = *described->rotation_lambda_arn;
    std::lock_guard lock(mutex_);
    records_[job.record].state = RotationState::kRunning;
    records_[job.record].failure.clear();
    queue_.push_back(std::move(job));
    ++queued;
  }
  changed_.notify_all();
  return queued;
}

bool RotationRunner::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return queue_.empty() && !busy_; });
}

std::vector<RotationRecord> RotationRunner::Rotations() {
  std::lock_guard lock(mutex_);
  return records_;
}

void RotationRunner::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RotationRunner::Loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    Run(job);
    lock.lock();
    busy_ = false;
    changed_.notify_all();
  }
}

void RotationRunner::Run(const Job& job) {
  RotationRetryPolicy policy;
  {
    std::lock_guard lock(mutex_);
    policy = policy_;
  }
  // Opaque to the function; it passes it back to PutSecretValue (reference §3.1).
  const std::string rotation_token = random_.UuidV4();
  std::optional<std::string> failure;
  for (int run = 1; run <= policy.rotation_attempts; ++run) {
    if (run > 1) clock_.SleepFor(policy.between_rotation_attempts);
    {
      std::lock_guard lock(mutex_);
      ++records_[job.record].runs;
      if (stopping_) return;
    }
    failure = RunSteps(job, rotation_token);
    if (!failure) break;
    if (!job.plan.immediately) break;  // a configuration test is not reattempted
  }
  if (!job.plan.immediately) {
    // The test version loses AWSPENDING again, whatever testSecret answered.
    (void)store_.EndRotationTest(job.plan.arn, job.plan.version_id);
  }
  std::lock_guard lock(mutex_);
  RotationRecord& record = records_[job.record];
  record.state = failure ? RotationState::kFailed : RotationState::kSucceeded;
  record.failure = failure.value_or("");
}

std::optional<std::string> RotationRunner::RunSteps(const Job& job,
                                                    const std::string& rotation_token) {
  std::vector<const char*> steps(kAllSteps.begin(), kAllSteps.end());
  if (!job.plan.immediately) steps.assign(kTestOnly.begin(), kTestOnly.end());
  for (const char* step : steps) {
    if (job.plan.immediately && !store_.RotationStillPending(job.plan.arn, job.plan.version_id)) {
      return fmt::format("before {}: rotation is disabled or version {} lost AWSPENDING", step,
                         job.plan.version_id);
    }
    lambda::InvokeOutcome outcome = InvokeStep(job, step, rotation_token);
    if (!outcome.ok()) {
      return fmt::format("{} failed ({}): {}: {}", step, lambda::InvokeStatusName(outcome.status),
                         outcome.error_type, outcome.error_message);
    }
  }
  if (!job.plan.immediately) return std::nullopt;
  ApiResult<void> completed = store_.CompleteRotation(job.plan.arn, job.plan.version_id);
  if (!completed) return completed.error().message;
  return std::nullopt;
}

lambda::InvokeOutcome RotationRunner::InvokeStep(const Job& job, const std::string& step,
                                                 const std::string& rotation_token) {
  const std::string event = nlohmann::json{
      {"Step", step},
      {"SecretId", job.plan.arn},
      {"ClientRequestToken", job.plan.version_id},
      {"RotationToken",
       rotation_token}}.dump();
  lambda::InvokeOutcome outcome;
  for (int attempt = 1;; ++attempt) {
    lambda::FunctionInvoker* invoker = nullptr;
    StepObserver observer;
    int attempts = 1;
    {
      std::lock_guard lock(mutex_);
      invoker = invoker_;
      observer = observer_;
      attempts = policy_.attempts_per_step;
      if (stopping_) return {lambda::InvokeStatus::kUnavailable, "", "", "emulator stopping"};
    }
    const auto started = std::chrono::steady_clock::now();
    if (invoker != nullptr) {
      outcome = invoker->Invoke(job.plan.lambda_arn, event);
    } else {
      outcome = {lambda::InvokeStatus::kUnavailable, "", "ResourceNotFoundException",
                 "No rotation function is attached to this emulator."};
    }
    RotationRecord snapshot;
    RotationStepRecord step_record{step, attempt, outcome,
                                   std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::steady_clock::now() - started)};
    {
      std::lock_guard lock(mutex_);
      records_[job.record].steps.push_back(step_record);
      snapshot = records_[job.record];
    }
    if (observer) observer(snapshot, step_record);
    if (outcome.ok() || attempt >= attempts) return outcome;
  }
}

}  // namespace dbtrotate::emulators::secretsmanager
