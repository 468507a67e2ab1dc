#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "core/clock.h"
#include "core/random.h"

namespace dbtrotate {
namespace {

using namespace std::chrono_literals;

TEST(Random, UuidV4HasTheRfc4122Shape) {
  const std::regex shape("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string id = SecureRandom::Instance().UuidV4();
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Random, SeededIsDeterministicAndUnitIsInRange) {
  SeededRandom a(1), b(1);
  EXPECT_EQ(a.UuidV4(), b.UuidV4());
  for (int i = 0; i < 1000; ++i) {
    const double u = SecureRandom::Instance().NextUnit();
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
}

TEST(Clock, FakeClockAdvancesOnlyWhenTold) {
  FakeClock clock(SystemTime{} + 1000h);
  const auto start = clock.Now();
  clock.SleepFor(1500ms);
  clock.Advance(1s);
  EXPECT_EQ(clock.Now() - start, 2500ms);
  EXPECT_EQ(clock.TotalSlept(), 1500ms);
}

}  // namespace
}  // namespace dbtrotate
