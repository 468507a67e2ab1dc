#include "cli/terminal_text.h"

#include <gtest/gtest.h>

namespace dbtrotate::cli {
namespace {

TEST(TerminalSafeTest, PrintableAsciiAndUtf8StayAsTheyAre) {
  EXPECT_EQ(TerminalSafe("job-runner 42 'x' \\ /"), "job-runner 42 'x' \\ /");
  EXPECT_EQ(TerminalSafe("Zürich 東京 🚀"), "Zürich 東京 🚀");
}

TEST(TerminalSafeTest, C0ControlsDelAndNulAreEscaped) {
  EXPECT_EQ(TerminalSafe("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(TerminalSafe("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
  EXPECT_EQ(TerminalSafe(std::string("a\0b\x7f", 4)), "a\\x00b\\x7f");
}

TEST(TerminalSafeTest, C1ControlsAndBidiOverridesAreEscaped) {
  EXPECT_EQ(TerminalSafe("\xc2\x9b"
                         "31m"),
            "\\u009b31m");
  EXPECT_EQ(TerminalSafe("\xc2\x85"), "\\u0085");
  EXPECT_EQ(TerminalSafe("a\xe2\x80\xae"
                         "b"),
            "a\\u202eb");
  EXPECT_EQ(TerminalSafe("\xe2\x80\xa8"), "\\u2028");
}

TEST(TerminalSafeTest, InvalidUtf8IsEscapedBytewise) {
  EXPECT_EQ(TerminalSafe("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(TerminalSafe("\xc3"), "\\xc3");                             // truncated
  EXPECT_EQ(TerminalSafe("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(TerminalSafe("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // surrogate
  EXPECT_EQ(TerminalSafe("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
}

}  // namespace
}  // namespace dbtrotate::cli
