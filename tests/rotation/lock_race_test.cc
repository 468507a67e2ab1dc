// Targeted races the every-index suites cannot produce, because they need two runs to
// interleave at two points each.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>

#include "fake_world.h"
#include "interruption_fixture.h"

namespace dbtrotate::testing {
namespace {

using rotation::Outcome;

// A one-shot flag a thread can wait on, with a bound so a broken engine fails instead of
// hanging the suite.
class Latch {
 public:
  void Set() {
    std::lock_guard lock(mutex_);
    set_ = true;
    cv_.notify_all();
  }
  bool Wait() {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::seconds(5), [&] { return set_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool set_ = false;
};

// Both runs read "no rotation in progress"; then A takes the lock; then B tries. B must lose
// before it creates anything (else a crash of either could orphan a token nobody records).
TEST(LockRaceTest, OfTwoRunsThatSawNoLockOnlyOneGetsIt) {
  for (const auto& param : FakeWorlds()) {
    SCOPED_TRACE(param.name);
    auto world = param.make();
    Harness h(*world);
    auto setup = PrepareInterruption(h, false);
    setup.options.concurrent_requests = false;

    Latch b_read, a_locked, b_tried;
    auto plan_a = std::make_shared<FaultPlan>();
    auto plan_b = std::make_shared<FaultPlan>();
    bool a_waited = false, b_waited = false;
    plan_a->before_call = [&](const CallInfo& call) {
      if (call.op == "sm.PutSecretValue" && !a_waited) {
        a_waited = true;
        EXPECT_TRUE(b_read.Wait());  // B has read the state and is about to write its intent
      }
    };
    bool a_held = false;
    plan_a->after_call = [&](const CallInfo& call) {
      if (call.op == "sm.UpdateSecretVersionStage" && !a_held) {
        a_held = true;
        a_locked.Set();
        EXPECT_TRUE(b_tried.Wait());  // A holds the lock while B tries to take it
      }
    };
    plan_b->before_call = [&](const CallInfo& call) {
      if (call.op == "sm.PutSecretValue" && !b_waited) {
        b_waited = true;
        b_read.Set();
        EXPECT_TRUE(a_locked.Wait());
      }
    };
    plan_b->after_call = [&](const CallInfo& call) {
      if (call.op == "sm.UpdateSecretVersionStage") b_tried.Set();
    };
    auto b_future = std::async(std::launch::async, [&] { return h.Rotate(setup.options, plan_b); });
    auto a = h.Rotate(setup.options, plan_a);
    auto b = b_future.get();
    EXPECT_EQ(a.outcome, Outcome::kRotated) << a.message;
    EXPECT_EQ(b.outcome, Outcome::kFailedSafely) << b.message;
    EXPECT_NE(b.message.find("took the rotation lock"), std::string::npos) << b.message;
    EXPECT_FALSE(b.new_token_id.has_value()) << "the loser created a token";
    ExpectSettled(h, setup);
  }
}

// An abandoned intent's orphan search must never revoke what AWSCURRENT uses, even when a
// person replaced the token (same name, inside the search window) while the lock was stale.
TEST(LockRaceTest, AnAbandonedIntentNeverRevokesTheCurrentToken) {
  for (const auto& param : FakeWorlds()) {
    SCOPED_TRACE(param.name);
    auto world = param.make();
    Harness h(*world);
    auto setup = PrepareInterruption(h, false);
    auto plan = std::make_shared<FaultPlan>();
    plan->ArmOp("sm.UpdateSecretVersionStage", 1, FaultKind::kCrashAfter);  // lock taken
    EXPECT_THROW(h.Rotate(setup.options, plan), SimulatedCrash);

    h.clock().Advance(std::chrono::minutes(1));
    auto replacement = h.CreateToken(setup.name, AdminGrants());
    rotation::InitOptions init;
    init.secret_id = setup.secret;
    init.token_id = replacement.id;
    init.token = replacement.token.Clone();
    init.account_id = world->Connection().account_id;
    init.access_url = world->Connection().access_url;
    init.force = true;
    ASSERT_EQ(h.MakeEngine().Init(init).outcome, Outcome::kInitialized);

    h.clock().Advance(setup.options.lease + std::chrono::minutes(1));
    auto report = h.Rotate(setup.options);
    EXPECT_EQ(report.outcome, Outcome::kRolledBack) << report.message;
    EXPECT_TRUE(report.orphans_revoked.empty());
    EXPECT_EQ(h.CurrentTokenId(setup.secret), replacement.id);
    EXPECT_TRUE(h.CurrentTokenWorks(setup.secret));
    EXPECT_FALSE(h.UnfinishedPending(setup.secret).has_value());
  }
}

// A run that stalls (a suspended laptop, a stopped container) past its lease may meet a run
// that took over: it must notice before it creates or stores anything.
TEST(LockRaceTest, AStalledRunStopsBeforeCreating) {
  FakeWorld world;
  Harness h(world);
  auto setup = PrepareInterruption(h, false);
  const auto tokens_before = h.Tokens().size();
  auto plan = std::make_shared<FaultPlan>();
  plan->after_call = [&](const CallInfo& call) {
    if (call.op == "sm.UpdateSecretVersionStage") h.clock().Advance(std::chrono::minutes(14));
  };
  auto report = h.Rotate(setup.options, plan);
  EXPECT_EQ(report.outcome, Outcome::kFailedSafely) << report.message;
  EXPECT_NE(report.message.find("lease"), std::string::npos) << report.message;
  EXPECT_EQ(h.Tokens().size(), tokens_before);
  EXPECT_EQ(h.CurrentTokenId(setup.secret), setup.old_id);
  EXPECT_FALSE(h.UnfinishedPending(setup.secret).has_value());
}

TEST(LockRaceTest, AStalledRunRevokesWhatItCreatedInsteadOfStoringIt) {
  FakeWorld world;
  Harness h(world);
  auto setup = PrepareInterruption(h, false);
  auto plan = std::make_shared<FaultPlan>();
  plan->after_call = [&](const CallInfo& call) {
    if (call.op == "dbt.CreateServiceToken") h.clock().Advance(std::chrono::minutes(20));
  };
  auto report = h.Rotate(setup.options, plan);
  EXPECT_EQ(report.outcome, Outcome::kFailedSafely) << report.message;
  ASSERT_TRUE(report.new_token_id.has_value());
  EXPECT_FALSE(h.IsActive(*report.new_token_id));
  EXPECT_EQ(h.CurrentTokenId(setup.secret), setup.old_id);
  EXPECT_TRUE(NoUntrackedTokens(h, setup));
}

}  // namespace
}  // namespace dbtrotate::testing
