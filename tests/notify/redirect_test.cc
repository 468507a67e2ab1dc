#include "notify/redirect.h"

#include <gtest/gtest.h>

namespace dbtrotate::notify {
namespace {

TEST(RedirectTest, ResolvesRelativeAndAbsoluteLocations) {
  EXPECT_EQ(ResolveLocation("https://h.example/a/b", "/c").value(), "https://h.example/c");
  EXPECT_EQ(ResolveLocation("https://h.example/a/b", "c").value(), "https://h.example/a/c");
  EXPECT_EQ(ResolveLocation("https://h.example/a", "https://o.example/x").value(),
            "https://o.example/x");
}

TEST(RedirectTest, SameHostOnlyAndNeverDowngraded) {
  EXPECT_EQ(RedirectRefusal("https://h.example/a", "https://h.example/b"), "");
  EXPECT_EQ(RedirectRefusal("https://h.example/a", "https://H.EXAMPLE:8443/b"), "");
  EXPECT_EQ(RedirectRefusal("http://127.0.0.1:1/a", "https://127.0.0.1:2/b"), "");
  EXPECT_NE(RedirectRefusal("https://h.example/a", "https://evil.example/a"), "");
  EXPECT_NE(RedirectRefusal("https://h.example/a", "http://h.example/a"), "");
  EXPECT_NE(RedirectRefusal("https://h.example/a", "ftp://h.example/a"), "");
}

}  // namespace
}  // namespace dbtrotate::notify
