#ifndef DBTROTATE_TESTS_ROTATION_LAMBDA_STEPS_FIXTURE_H_
#define DBTROTATE_TESTS_ROTATION_LAMBDA_STEPS_FIXTURE_H_

// Drives the rotation function's steps as Secrets Manager does (RotateSecret, then the four
// steps in order with the same token; a failed step ends the attempt and the rotation is
// reattempted), over any World and through a FaultPlan.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "harness.h"
#include "rotate_secret_sim.h"
#include "rotation/lambda_steps.h"
#include "scenario_fixture.h"

namespace dbtrotate::testing {

class LambdaStepsTest : public ScenarioTest {
 protected:
  void SetUp() override {
    ScenarioTest::SetUp();
    sim_ = std::make_unique<RotationSimSecretsManager>(world().Secrets());
  }

  /// The notebook secret, self-rotating, with rotation enabled. Returns its ARN (the event's
  /// SecretId).
  std::string SeedRotatingSecret() {
    old_ = SeedSelfRotating();
    sim_->SetRotationEnabled(kAdminSecret, true);
    return h().Describe(kAdminSecret).arn;
  }

  rotation::StepOptions Options() const {
    rotation::StepOptions options;
    options.connection.account_id = world_->Connection().account_id;
    options.connection.access_url = world_->Connection().access_url;
    return options;
  }

  /// One step through `plan` (fresh counters when null). A SimulatedCrash becomes nullopt.
  std::optional<rotation::Report> Step(rotation::RotationStep step, const std::string& arn,
                                       const std::string& token,
                                       const rotation::StepOptions& options,
                                       std::shared_ptr<FaultPlan> plan = nullptr) {
    if (!plan) plan = std::make_shared<FaultPlan>();
    FaultySecretsManager secrets(*sim_, plan);
    rotation::EngineDeps deps;
    deps.secrets = &secrets;
    deps.dbt = FaultyFactory(world().DbtFactory(), plan);
    deps.clock = &world().Clock();
    deps.random = &world().Rand();
    deps.observer = &observer_;
    rotation::StepRequest request;
    request.step = step;
    request.secret_id = arn;
    request.client_request_token = token;
    request.rotation_token = SecretString(std::string(kRotationToken));
    try {
      auto report = rotation::RunRotationStep(deps, request, options);
      reports_.push_back(report);
      return report;
    } catch (const SimulatedCrash&) {
      return std::nullopt;
    }
  }

  static bool Succeeded(const std::optional<rotation::Report>& report) {
    return report && rotation::ExitCode(report->outcome) == 0;
  }

  /// The four steps in order; false at the first failed or crashed step.
  bool Attempt(const std::string& arn, const std::string& token,
               const rotation::StepOptions& options, std::shared_ptr<FaultPlan> plan = nullptr) {
    for (auto step : kSteps) {
      if (!Succeeded(Step(step, arn, token, options, plan))) return false;
    }
    return true;
  }

  /// RotateSecret and the steps; `attempts` tries in all (Secrets Manager reattempts).
  bool Rotate(const std::string& arn, const rotation::StepOptions& options,
              std::shared_ptr<FaultPlan> plan = nullptr, int attempts = 1) {
    const std::string token = world().Rand().UuidV4();
    if (!sim_->RotateSecret(arn, token)) return false;
    for (int i = 0; i < attempts; ++i) {
      if (Attempt(arn, token, options, plan)) return true;
    }
    return false;
  }

  /// AWSPENDING on a version other than AWSCURRENT's (as Secrets Manager, with stubs, sees it).
  bool PendingElsewhere() {
    auto description = sim_->DescribeSecret(kAdminSecret);
    EXPECT_TRUE(description.has_value());
    if (!description) return true;
    const auto pending = description->VersionWithStage(aws::kStagePending);
    return pending && pending != description->VersionWithStage(aws::kStageCurrent);
  }

  /// Every line any step produced, for leak checks.
  std::vector<std::string> AllOutput() const {
    std::vector<std::string> text = observer_.lines();
    for (const auto& report : reports_) {
      auto lines = AllText(report, {});
      text.insert(text.end(), lines.begin(), lines.end());
    }
    return text;
  }

  /// AWSCURRENT works, exactly `expected` tokens of its name are active, nothing pending,
  /// no token string or RotationToken in any output.
  void ExpectSettled(const std::set<std::int64_t>& expected) {
    EXPECT_TRUE(h().CurrentTokenWorks(kAdminSecret));
    EXPECT_EQ(h().ActiveIds(kAdminSecret), expected);
    EXPECT_FALSE(PendingElsewhere()) << "AWSPENDING left on a version other than AWSCURRENT's";
    auto issued = world().AllIssuedTokenStrings();
    issued.emplace_back(kRotationToken);
    for (const auto& line : AllOutput()) {
      for (const auto& token : issued) {
        ASSERT_EQ(line.find(token), std::string::npos) << "leak in: " << line;
      }
    }
  }

  static constexpr rotation::RotationStep kSteps[] = {
      rotation::RotationStep::kCreateSecret, rotation::RotationStep::kSetSecret,
      rotation::RotationStep::kTestSecret, rotation::RotationStep::kFinishSecret};
  static constexpr char kRotationToken[] = "rotation-token-0123456789-abcdef-0123456789";

  std::unique_ptr<RotationSimSecretsManager> sim_;
  Harness::Token old_;
  RecordingObserver observer_;
  std::vector<rotation::Report> reports_;
};

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_ROTATION_LAMBDA_STEPS_FIXTURE_H_
