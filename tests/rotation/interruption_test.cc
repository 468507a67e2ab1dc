// Guarantees 1–4 under interruption: for every call a rotation makes, crash there (before or
// after the call is applied) or fail there (before applying, or after: a lost reply), then
// run again, and check the invariants after every single call.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <tuple>

#include "fake_world.h"
#include "interruption_fixture.h"

namespace dbtrotate::testing {
namespace {

using rotation::Outcome;

TEST_P(InterruptionTest, EveryCallIndex) {
  const FaultKind kind = std::get<3>(GetParam());
  const bool crash = kind == FaultKind::kCrashBefore || kind == FaultKind::kCrashAfter;
  const int calls = CallsOfACleanRun();
  ASSERT_GE(calls, 10);
  for (int index = 1; index <= calls; ++index) {
    Run run = Fresh();
    Harness& h = *run.harness;
    const auto& setup = run.setup;
    auto plan = std::make_shared<FaultPlan>();
    InvariantProbe probe(*plan, [&] { return h.CurrentTokenWorks(setup.secret); });
    plan->Arm(index, kind);

    bool crashed = false;
    rotation::Report first;
    try {
      first = h.Rotate(setup.options, plan);
    } catch (const SimulatedCrash&) {
      crashed = true;
    }
    const auto log = plan->log();
    SCOPED_TRACE(fmt::format("{} at call #{} ({})", FaultKindName(kind), index,
                             index <= static_cast<int>(log.size()) ? log[index - 1].op : "?"));
    EXPECT_TRUE(probe.Result());
    EXPECT_EQ(crashed, crash);
    if (!crash) {
      // Never "success" with damage: either rotated, or stopped with the old token current.
      ASSERT_TRUE(OneOf(first.outcome, {Outcome::kRotated, Outcome::kFailedSafely}))
          << rotation::OutcomeName(first.outcome) << ": " << first.message;
      if (first.outcome == Outcome::kFailedSafely) {
        EXPECT_EQ(h.CurrentTokenId(setup.secret), setup.old_id) << first.message;
      } else {
        EXPECT_NE(h.CurrentTokenId(setup.secret), setup.old_id);
      }
    }
    EXPECT_TRUE(NoUntrackedTokens(h, setup));

    // The same command again, once any lock has expired.
    h.clock().Advance(setup.options.lease + std::chrono::minutes(1));
    auto again_plan = std::make_shared<FaultPlan>();
    InvariantProbe again_probe(*again_plan, [&] { return h.CurrentTokenWorks(setup.secret); });
    auto again = h.Rotate(setup.options, again_plan);
    EXPECT_TRUE(again_probe.Result());
    EXPECT_TRUE(OneOf(again.outcome, {Outcome::kRotated, Outcome::kResumed, Outcome::kNotDue}))
        << rotation::OutcomeName(again.outcome) << ": " << again.message;
    ExpectSettled(h, setup);
    if (::testing::Test::HasFailure()) break;  // one index's story is enough to debug
  }
}

INSTANTIATE_TEST_SUITE_P(Fakes, InterruptionTest,
                         ::testing::ValuesIn(InterruptionParams(FakeWorlds())), InterruptionName);

// A rerun right after a crash must not trample what might be a live run: it stops, changing
// nothing, until the lease runs out (or --takeover says the other run is dead).
TEST(InterruptionLeaseTest, AFreshLockIsNotStolen) {
  FakeWorld world;
  Harness h(world);
  auto setup = PrepareInterruption(h, false);
  auto plan = std::make_shared<FaultPlan>();
  // Crash right after the create: the lock is held, a token exists, nothing is stored.
  int create_index = 0;
  plan->before_call = [&](const CallInfo& call) {
    if (call.op == "dbt.CreateServiceToken") create_index = call.index;
  };
  plan->Arm(7, FaultKind::kCrashAfter);
  EXPECT_THROW(h.Rotate(setup.options, plan), SimulatedCrash);
  ASSERT_EQ(create_index, 7) << "the normal path changed; update the index";
  ASSERT_TRUE(h.UnfinishedPending(setup.secret).has_value());

  auto watcher = std::make_shared<FaultPlan>();
  auto blocked = h.Rotate(setup.options, watcher);
  EXPECT_EQ(blocked.outcome, Outcome::kFailedSafely) << blocked.message;
  EXPECT_NE(blocked.message.find("--takeover"), std::string::npos);
  EXPECT_EQ(watcher->writes(), 0);
  ASSERT_TRUE(blocked.pending_found.has_value());
  EXPECT_EQ(blocked.pending_found->kind, rotation::PendingInfo::Kind::kIntent);
  EXPECT_FALSE(blocked.pending_found->stale);
  rotation::StatusOptions status_options;
  status_options.secret_id = setup.secret;
  status_options.connection = setup.options.connection;
  auto status = h.MakeEngine().Status(status_options);
  EXPECT_EQ(status.outcome, Outcome::kReported) << status.message;
  ASSERT_TRUE(status.pending.has_value());
  EXPECT_EQ(status.pending->kind, rotation::PendingInfo::Kind::kIntent);

  auto options = setup.options;
  options.takeover = true;
  auto taken = h.Rotate(options);
  EXPECT_EQ(taken.outcome, Outcome::kRotated) << taken.message;
  EXPECT_EQ(taken.orphans_revoked.size(), 1u);
  ExpectSettled(h, setup);
}

// A token stored in AWSPENDING by a dead run is verified and finished, not recreated.
TEST(InterruptionLeaseTest, AStoredTokenIsResumed) {
  FakeWorld world;
  Harness h(world);
  auto setup = PrepareInterruption(h, false);
  auto plan = std::make_shared<FaultPlan>();
  // Right after storing the new token (the second write of a value: the first is the intent);
  // the verification runs at the same time and may or may not have been sent.
  plan->ArmOp("sm.PutSecretValue", 2, FaultKind::kCrashAfter);
  EXPECT_THROW(h.Rotate(setup.options, plan), SimulatedCrash);
  const auto stored = h.Tokens().back().id;
  h.clock().Advance(setup.options.lease);
  auto resumed = h.Rotate(setup.options);
  EXPECT_EQ(resumed.outcome, Outcome::kResumed) << resumed.message;
  EXPECT_EQ(resumed.new_token_id, stored);
  EXPECT_EQ(h.CurrentTokenId(setup.secret), stored);
  ExpectSettled(h, setup);
}

// Two tokens the dead run might have made: revoke neither, ask a person.
TEST(InterruptionLeaseTest, AnAmbiguousOrphanNeedsAttention) {
  FakeWorld world;
  Harness h(world);
  auto setup = PrepareInterruption(h, false);
  auto plan = std::make_shared<FaultPlan>();
  plan->Arm(7, FaultKind::kCrashAfter);  // after the create
  EXPECT_THROW(h.Rotate(setup.options, plan), SimulatedCrash);
  auto stranger = h.CreateToken(setup.name, AdminGrants());  // same name, same minute
  h.clock().Advance(setup.options.lease + std::chrono::minutes(1));
  auto watcher = std::make_shared<FaultPlan>();
  auto report = h.Rotate(setup.options, watcher);
  EXPECT_EQ(report.outcome, Outcome::kNeedsAttention) << report.message;
  EXPECT_NE(report.message.find("cannot tell which"), std::string::npos) << report.message;
  EXPECT_TRUE(h.IsActive(stranger.id));
  EXPECT_TRUE(h.CurrentTokenWorks(setup.secret));
  EXPECT_EQ(h.CurrentTokenId(setup.secret), setup.old_id);
}

}  // namespace
}  // namespace dbtrotate::testing
