#include "aws/credentials/shell_split.h"

#include <gtest/gtest.h>

namespace dbtrotate::aws {
namespace {

using Words = std::vector<std::string>;

TEST(ShellSplitTest, SplitsLikeShlex) {
  EXPECT_EQ(*ShellSplit("/usr/local/bin/get-creds --json"),
            (Words{"/usr/local/bin/get-creds", "--json"}));
  EXPECT_EQ(*ShellSplit("  a \t b\n c  "), (Words{"a", "b", "c"}));
  EXPECT_EQ(*ShellSplit("cmd 'two words' \"and three words\""),
            (Words{"cmd", "two words", "and three words"}));
  EXPECT_EQ(*ShellSplit("a'b'\"c\"d"), (Words{"abcd"}));
  EXPECT_EQ(*ShellSplit("''"), (Words{""}));
  EXPECT_EQ(*ShellSplit("a\\ b"), (Words{"a b"}));
  EXPECT_EQ(*ShellSplit("'$HOME' \"$HOME\""), (Words{"$HOME", "$HOME"})) << "no expansion";
  EXPECT_EQ(*ShellSplit("\"a\\\"b\\\\c\\d\""), (Words{"a\"b\\c\\d"}))
      << "inside double quotes only \\\" and \\\\ escape";
  EXPECT_EQ(*ShellSplit("'a\\b'"), (Words{"a\\b"}));
  EXPECT_EQ(*ShellSplit("x # y"), (Words{"x", "#", "y"})) << "no comments";
  EXPECT_TRUE(ShellSplit("")->empty());
}

TEST(ShellSplitTest, RejectsUnterminatedQuotes) {
  EXPECT_FALSE(ShellSplit("cmd 'open"));
  EXPECT_FALSE(ShellSplit("cmd \"open"));
  EXPECT_FALSE(ShellSplit("cmd \\"));
}

}  // namespace
}  // namespace dbtrotate::aws
