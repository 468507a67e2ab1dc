#include <gtest/gtest.h>

#include "emulators/common/fault.h"
#include "emulators/common/fault_injector.h"

namespace dbtrotate::emulators {
namespace {

RequestInfo Info(std::uint64_t index, std::string operation, std::uint64_t operation_index = 1) {
  return RequestInfo{index, operation_index, "POST", "/x", std::move(operation)};
}

TEST(FaultRuleTest, CriteriaMustAllHold) {
  FaultRule rule = FaultRule::NthOfOperation("create", 2, Fault::Drop());
  EXPECT_FALSE(rule.Matches(Info(2, "create", 1)));
  EXPECT_TRUE(rule.Matches(Info(7, "create", 2)));
  EXPECT_FALSE(rule.Matches(Info(7, "delete", 2)));
  rule.method = "GET";
  EXPECT_FALSE(rule.Matches(Info(7, "create", 2)));
}

TEST(FaultInjectorTest, FirstMatchingRuleFiresAndUsesAnOccurrence) {
  FaultInjector injector;
  injector.AddRule(FaultRule::ForOperation("create", Fault::Status(500), 2));
  injector.AddRule(FaultRule::ForOperation("create", Fault::Status(429)));
  EXPECT_EQ(injector.Decide(Info(1, "create"))->status, 500);
  EXPECT_FALSE(injector.Decide(Info(2, "other")).has_value());
  EXPECT_EQ(injector.Decide(Info(3, "create"))->status, 500);
  EXPECT_EQ(injector.Decide(Info(4, "create"))->status, 429);
  EXPECT_FALSE(injector.Decide(Info(5, "create")).has_value());
  EXPECT_EQ(injector.PendingRules(), 0u);
}

TEST(FaultInjectorTest, ClearRulesRemovesEverything) {
  FaultInjector injector;
  injector.AddRule(FaultRule::NthRequest(1, Fault::Drop()));
  injector.ClearRules();
  EXPECT_FALSE(injector.Decide(Info(1, "x")).has_value());
}

TEST(FaultInjectorTest, ShutdownEndsSleepsAndHolds) {
  FaultInjector injector;
  injector.Shutdown();
  EXPECT_FALSE(injector.SleepFor(std::chrono::seconds(30)));
  EXPECT_EQ(injector.Hold(Info(1, "x")), HoldRelease::kDrop);
  EXPECT_TRUE(injector.shut_down());
}

TEST(FaultInjectorTest, SleepWithoutShutdownCompletes) {
  FaultInjector injector;
  EXPECT_TRUE(injector.SleepFor(std::chrono::milliseconds(1)));
  EXPECT_TRUE(injector.SleepFor(std::chrono::milliseconds(0)));
}

TEST(FaultTest, NamesAndApplyingKinds) {
  EXPECT_EQ(FaultKindName(FaultKind::kApplyThenDrop), "apply_then_drop");
  EXPECT_EQ(FaultKindName(FaultKind::kHold), "hold");
  EXPECT_TRUE(FaultApplies(FaultKind::kApplyThenStatus));
  EXPECT_FALSE(FaultApplies(FaultKind::kDrop));
  EXPECT_EQ(Fault::Garbage().status, 200);
  EXPECT_EQ(Fault::Hang(std::chrono::milliseconds(5)).status, 0);
}

}  // namespace
}  // namespace dbtrotate::emulators
