// RunContext's two ways of starting work: Start (another thread, or deferred) and StartHere
// (the last of a group: this thread, at once, or deferred). The engine's request order in
// deferred mode, and the absence of a thread start before the first request, rest on them.

#include "rotation/run_context.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "fake_secrets_manager.h"

namespace dbtrotate::testing {
namespace {

class RunContextTest : public ::testing::Test {
 protected:
  rotation::EngineDeps Deps() {
    rotation::EngineDeps deps;
    deps.secrets = &secrets_;
    deps.clock = &clock_;
    deps.random = &random_;
    return deps;
  }

  FakeClock clock_{SystemTime{}};
  SeededRandom random_{7};
  FakeSecretsManager secrets_{clock_};
};

TEST_F(RunContextTest, ConcurrentStartHereRunsOnThisThreadAtOnce) {
  rotation::internal::RunContext context(Deps(), /*concurrent=*/true);
  std::vector<int> order;
  auto there = context.Start([] { return std::this_thread::get_id(); });
  auto here = context.StartHere([&] {
    order.push_back(1);
    return std::this_thread::get_id();
  });
  EXPECT_EQ(order.size(), 1u);  // ran before anyone asked
  EXPECT_EQ(here.get(), std::this_thread::get_id());
  EXPECT_NE(there.get(), std::this_thread::get_id());
}

TEST_F(RunContextTest, DeferredStartHereRunsWhenAskedInTheCallersOrder) {
  rotation::internal::RunContext context(Deps(), /*concurrent=*/false);
  std::vector<int> order;
  auto first = context.Start([&] {
    order.push_back(1);
    return 1;
  });
  auto second = context.StartHere([&] {
    order.push_back(2);
    return 2;
  });
  EXPECT_TRUE(order.empty());
  EXPECT_EQ(first.get(), 1);
  EXPECT_EQ(second.get(), 2);
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST_F(RunContextTest, StartHereKeepsAnExceptionForGet) {
  rotation::internal::RunContext context(Deps(), /*concurrent=*/true);
  auto failed = context.StartHere([]() -> int { throw std::runtime_error("boom"); });
  EXPECT_THROW(failed.get(), std::runtime_error);
}

}  // namespace
}  // namespace dbtrotate::testing
