// Every call of a rotation-function rotation interrupted: killed before or after it was
// applied (the step is delivered again), or failing before or after it was applied (dbt 5xx
// or 429, a lost reply; Secrets Manager reattempts the rotation). AWSCURRENT works after every
// call, and the retry ends with exactly one live token of the secret's name.

#include <fmt/format.h>

#include "emulator_world.h"
#include "fake_world.h"
#include "lambda_steps_fixture.h"

namespace dbtrotate::testing {
namespace {

class LambdaInterruptionTest : public LambdaStepsTest {
 protected:
  void Reset() {
    reports_.clear();
    world_ = GetParam().make();
    harness_ = std::make_unique<Harness>(*world_);
    sim_ = std::make_unique<RotationSimSecretsManager>(world().Secrets());
  }

  /// Calls in an undisturbed rotation's four steps.
  int CountCalls() {
    Reset();
    const std::string arn = SeedRotatingSecret();
    auto plan = std::make_shared<FaultPlan>();
    EXPECT_TRUE(Rotate(arn, Options(), plan));
    return plan->calls();
  }

  void RunWithFault(int index, FaultKind kind) {
    Reset();
    const std::string arn = SeedRotatingSecret();
    const std::string token = world().Rand().UuidV4();
    ASSERT_TRUE(sim_->RotateSecret(arn, token));
    auto plan = std::make_shared<FaultPlan>();
    InvariantProbe probe(*plan, [&] { return h().CurrentTokenWorks(kAdminSecret); });
    plan->Arm(index, kind);
    bool done = false;
    for (auto step : kSteps) {
      auto report = Step(step, arn, token, Options(), plan);
      if (!report) {
        // Killed: Lambda reports Runtime.ExitError and the step is delivered again.
        report = Step(step, arn, token, Options(), plan);
      }
      if (!Succeeded(report)) break;
      done = step == rotation::RotationStep::kFinishSecret;
    }
    plan->after_call = nullptr;
    EXPECT_TRUE(probe.Result());
    // Secrets Manager reattempts the whole rotation (a bounded number of times).
    for (int attempt = 0; attempt < 2 && !done; ++attempt) done = Attempt(arn, token, Options());
    ASSERT_TRUE(done) << reports_.back().message;
    EXPECT_NE(h().CurrentTokenId(kAdminSecret), old_.id);
    ExpectSettled({h().CurrentTokenId(kAdminSecret)});
  }
};

TEST_P(LambdaInterruptionTest, EveryCallEveryFault) {
  const int calls = CountCalls();
  ASSERT_GT(calls, 10);
  for (int index = 1; index <= calls; ++index) {
    for (auto kind : {FaultKind::kCrashBefore, FaultKind::kCrashAfter, FaultKind::kErrorBefore,
                      FaultKind::kErrorAfter}) {
      SCOPED_TRACE(fmt::format("call #{} {}", index, FaultKindName(kind)));
      RunWithFault(index, kind);
      if (HasFatalFailure()) return;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fakes, LambdaInterruptionTest, ::testing::ValuesIn(FakeWorlds()),
                         WorldName);
INSTANTIATE_TEST_SUITE_P(Emulators, LambdaInterruptionTest,
                         ::testing::Values(EmulatorWorlds().front()), WorldName);

}  // namespace
}  // namespace dbtrotate::testing
