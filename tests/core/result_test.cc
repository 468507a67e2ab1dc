#include "core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace dbtrotate {
namespace {

struct TestError {
  int code = 0;
};

Result<int, TestError> Half(int x) {
  if (x % 2 != 0) return Fail(TestError{x});
  return x / 2;
}

TEST(Result, HoldsValueOrError) {
  auto ok = Half(8);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 4);
  auto bad = Half(3);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, 3);
}

TEST(Result, MovesOnlyTypes) {
  Result<std::unique_ptr<int>, TestError> r(std::make_unique<int>(5));
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 5);
}

TEST(Result, VoidSpecialisation) {
  Result<void, TestError> ok;
  EXPECT_TRUE(ok);
  Result<void, TestError> bad = Fail(TestError{9});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, 9);
}

}  // namespace
}  // namespace dbtrotate
