// Finding 5: the real binary cannot write a core dump, whatever the command.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <string>

#include "cli/cli_fixture.h"

namespace dbtrotate {
namespace {

class CoreDumpTest : public CliTest {};

TEST_F(CoreDumpTest, TheProcessIsNotDumpableAndHasNoCoreLimit) {
  auto result = Run({"hardening-check"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.out, "dumpable 0, core file size limit 0 (hard 0)\n");
}

// Seen from outside, while a rotation holds its tokens (held at the create).
TEST_F(CoreDumpTest, ARunningRotationHasACoreLimitOfZero) {
  dbt_.faults().AddRule(
      emulators::FaultRule::ForOperation("create_service_token", emulators::Fault::Hold(), 1));
  const pid_t pid = testing::StartProcess({kBinary, "--quiet", "rotate", "--secret-id", kSecret},
                                          Env(), testing::StandardStreams{});
  ASSERT_GT(pid, 0);
  const bool held = dbt_.faults().WaitForHeld(std::chrono::seconds(20));
  std::string core_line;
  std::ifstream limits("/proc/" + std::to_string(pid) + "/limits");
  for (std::string line; std::getline(limits, line);) {
    if (line.rfind("Max core file size", 0) == 0) core_line = line;
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  dbt_.faults().Release(emulators::HoldRelease::kDrop);
  ASSERT_TRUE(held) << "the run never reached the create";
  EXPECT_NE(core_line.find("Max core file size        0                    0"), std::string::npos)
      << core_line;
}

}  // namespace
}  // namespace dbtrotate
