// Guarantee 8: two runs on one secret. Run B completely at each call of run A (before A's
// call is applied), so every interleaving point of A is tried. One rotation happens, the other
// run stops cleanly, and nothing is lost.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <tuple>

#include "fake_world.h"
#include "interruption_fixture.h"

namespace dbtrotate::testing {
namespace {

using rotation::Outcome;

TEST_P(ConcurrencyTest, SecondRunAtEveryPointOfTheFirst) {
  auto prepare = [&](Harness& h) {
    return PrepareInterruption(h, std::get<1>(GetParam()), std::get<2>(GetParam()));
  };
  int calls = 0;
  {
    auto world = std::get<0>(GetParam()).make();
    Harness h(*world);
    auto setup = prepare(h);
    auto plan = std::make_shared<FaultPlan>();
    ASSERT_EQ(h.Rotate(setup.options, plan).outcome, Outcome::kRotated);
    calls = plan->calls();
  }
  for (int index = 1; index <= calls; ++index) {
    auto world = std::get<0>(GetParam()).make();
    Harness h(*world);
    auto setup = prepare(h);
    auto probe_plan_a = std::make_shared<FaultPlan>();
    InvariantProbe probe_a(*probe_plan_a, [&] { return h.CurrentTokenWorks(setup.secret); });
    auto plan_b = std::make_shared<FaultPlan>();
    InvariantProbe probe_b(*plan_b, [&] { return h.CurrentTokenWorks(setup.secret); });

    std::atomic<bool> b_ran{false};
    rotation::Report b;
    std::string interrupted_op;
    probe_plan_a->before_call = [&](const CallInfo& call) {
      if (call.index != index || b_ran.exchange(true)) return;
      interrupted_op = call.op;
      b = h.Rotate(setup.options, plan_b);
    };
    rotation::Report a = h.Rotate(setup.options, probe_plan_a);
    SCOPED_TRACE(fmt::format("B ran before A's call #{} ({}); A: {} ({}); B: {} ({})", index,
                             interrupted_op, rotation::OutcomeName(a.outcome), a.message,
                             rotation::OutcomeName(b.outcome), b.message));
    ASSERT_TRUE(b_ran.load());
    EXPECT_TRUE(probe_a.Result());
    EXPECT_TRUE(probe_b.Result());
    const int rotations = (a.outcome == Outcome::kRotated) + (b.outcome == Outcome::kRotated);
    EXPECT_EQ(rotations, 1);
    for (const auto* run : {&a, &b}) {
      EXPECT_TRUE(
          OneOf(run->outcome, {Outcome::kRotated, Outcome::kFailedSafely, Outcome::kNotDue}))
          << rotation::OutcomeName(run->outcome);
    }
    EXPECT_TRUE(NoUntrackedTokens(h, setup));

    // Nothing is left for a person: a later run finds everything settled (or tidies the
    // loser's lock once its lease is over) and has nothing to rotate.
    h.clock().Advance(setup.options.lease + std::chrono::minutes(1));
    auto later = h.Rotate(setup.options);
    EXPECT_TRUE(OneOf(later.outcome, {Outcome::kNotDue, Outcome::kRolledBack}))
        << rotation::OutcomeName(later.outcome) << ": " << later.message;
    ExpectSettled(h, setup);
    if (::testing::Test::HasFailure()) break;
  }
}

INSTANTIATE_TEST_SUITE_P(Fakes, ConcurrencyTest,
                         ::testing::ValuesIn(ConcurrencyParams(FakeWorlds())), ConcurrencyName);

}  // namespace
}  // namespace dbtrotate::testing
