#include "aws/credentials/process_runner.h"

#include <gtest/gtest.h>

#include <chrono>

#include "aws/credentials/test_support.h"

namespace dbtrotate::aws {
namespace {

using testing::TempDir;

TEST(PosixProcessRunnerTest, CapturesStdoutStderrAndExitCode) {
  TempDir dir;
  std::string script = dir.Write("tool.sh",
                                 "#!/bin/sh\n"
                                 "printf 'out:%s|%s' \"$1\" \"$2\"\n"
                                 "echo 'to stderr' >&2\n"
                                 "exit 3\n",
                                 0755);
  auto output = PosixProcessRunner().Run({script, "one two", "$HOME"}, ProcessLimits{});
  ASSERT_TRUE(output) << output.error();
  EXPECT_EQ(output->stdout_text, "out:one two|$HOME") << "arguments reach the program verbatim";
  EXPECT_EQ(output->stderr_text, "to stderr\n");
  EXPECT_EQ(output->exit_code, 3);
  EXPECT_EQ(output->signal, 0);
}

TEST(PosixProcessRunnerTest, FindsProgramsOnPath) {
  auto output = PosixProcessRunner().Run({"printf", "%s", "hello"}, ProcessLimits{});
  ASSERT_TRUE(output) << output.error();
  EXPECT_EQ(output->stdout_text, "hello");
}

TEST(PosixProcessRunnerTest, StdinIsEmpty) {
  auto output = PosixProcessRunner().Run({"cat"}, ProcessLimits{});
  ASSERT_TRUE(output) << output.error();
  EXPECT_EQ(output->stdout_text, "");
  EXPECT_EQ(output->exit_code, 0);
}

TEST(PosixProcessRunnerTest, MissingProgramIsAnError) {
  TempDir dir;
  auto output = PosixProcessRunner().Run({dir.path() + "/does-not-exist"}, ProcessLimits{});
  ASSERT_FALSE(output);
  EXPECT_NE(output.error().find("cannot start"), std::string::npos) << output.error();
  EXPECT_FALSE(PosixProcessRunner().Run({}, ProcessLimits{}));
}

TEST(PosixProcessRunnerTest, TimeoutKillsTheProcessGroup) {
  TempDir dir;
  // The child starts a grandchild that would keep the pipe open; both must go.
  std::string script = dir.Write("slow.sh", "#!/bin/sh\nsleep 30 &\nsleep 30\n", 0755);
  auto start = std::chrono::steady_clock::now();
  auto output =
      PosixProcessRunner().Run({script}, ProcessLimits{std::chrono::milliseconds(200), 1024});
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(output);
  EXPECT_NE(output.error().find("did not finish within 200 ms and was killed"), std::string::npos)
      << output.error();
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST(PosixProcessRunnerTest, OutputIsBounded) {
  auto output = PosixProcessRunner().Run({"head", "-c", "100000", "/dev/zero"},
                                         ProcessLimits{std::chrono::seconds(10), 4096});
  ASSERT_FALSE(output);
  EXPECT_NE(output.error().find("wrote more than 4096 bytes to stdout"), std::string::npos)
      << output.error();
}

TEST(PosixProcessRunnerTest, ReportsDeathBySignal) {
  TempDir dir;
  std::string script = dir.Write("die.sh", "#!/bin/sh\nkill -TERM $$\n", 0755);
  auto output = PosixProcessRunner().Run({script}, ProcessLimits{});
  ASSERT_TRUE(output) << output.error();
  EXPECT_EQ(output->signal, 15);
}

}  // namespace
}  // namespace dbtrotate::aws
