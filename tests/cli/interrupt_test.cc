// Findings 10 and 13: a signal while a command runs leaves the terminal as it was and, during
// a rotation, still writes a report (outcome "interrupted", exit 128 + signal).

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_fixture.h"

namespace dbtrotate {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int WaitExitCode(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -2;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;  // -1: killed by the signal
}

class InterruptTest : public CliTest {
 protected:
  // Starts a rotation held at the create (the old token is current, an intent is recorded).
  pid_t StartHeldRotation(std::vector<std::string> extra) {
    dbt_.faults().AddRule(
        emulators::FaultRule::ForOperation("create_service_token", emulators::Fault::Hold(), 1));
    std::vector<std::string> argv = {kBinary, "rotate", "--secret-id", kSecret};
    argv.insert(argv.end(), extra.begin(), extra.end());
    testing::StandardStreams streams;
    streams.out = scratch_.path() + "/out";
    streams.err = scratch_.path() + "/err";
    const pid_t pid = testing::StartProcess(argv, Env(), streams);
    EXPECT_TRUE(dbt_.faults().WaitForHeld(std::chrono::seconds(20)));
    return pid;
  }
};

TEST_F(InterruptTest, SigtermDuringRotateWritesTheJsonReportSoFar) {
  const pid_t pid = StartHeldRotation({"--output", "json"});
  ASSERT_GT(pid, 0);
  ::kill(pid, SIGTERM);
  const int code = WaitExitCode(pid);
  dbt_.faults().Release(emulators::HoldRelease::kDrop);
  EXPECT_EQ(code, 143);
  const std::string out = ReadAll(scratch_.path() + "/out");
  auto report = json::parse(out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << out;
  EXPECT_EQ(report["outcome"], "interrupted");
  EXPECT_EQ(report["exit_code"], 143);
  EXPECT_EQ(report["secret_id"], kSecret);
  ASSERT_TRUE(report["steps"].is_array());
  EXPECT_GE(report["steps"].size(), 2u) << out;  // read secret, record intent, …
  EXPECT_NE(report["message"].get<std::string>().find("SIGTERM"), std::string::npos);

  // Nothing lost: the same command finishes.
  auto rerun = Run({"rotate", "--secret-id", kSecret, "--output", "json"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  EXPECT_EQ(json::parse(rerun.out)["outcome"], "rotated");
  EXPECT_EQ(ActiveTokens().size(), 1u);
}

TEST_F(InterruptTest, SigintDuringRotateWritesTheTextReportAndExits130) {
  const pid_t pid = StartHeldRotation({});
  ASSERT_GT(pid, 0);
  ::kill(pid, SIGINT);
  const int code = WaitExitCode(pid);
  dbt_.faults().Release(emulators::HoldRelease::kDrop);
  EXPECT_EQ(code, 130);
  const std::string out = ReadAll(scratch_.path() + "/out");
  EXPECT_EQ(out.rfind("interrupted: stopped by SIGINT", 0), 0u) << out;
  EXPECT_NE(ReadAll(scratch_.path() + "/err").find("run the same command again"),
            std::string::npos);
}

// `init` on a terminal, interrupted at the hidden prompt: echo must be back afterwards.
TEST_F(InterruptTest, SigintAtTheHiddenPromptRestoresTerminalEcho) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  const std::string slave_name = ::ptsname(master);
  const int slave = ::open(slave_name.c_str(), O_RDWR | O_NOCTTY);
  ASSERT_GE(slave, 0);
  termios before{};
  ASSERT_EQ(::tcgetattr(slave, &before), 0);
  ASSERT_NE(before.c_lflag & ECHO, 0u);

  std::vector<std::string> args = {kBinary,      "init", "--secret-id",  "dbt/typed",
                                   "--token-id", "5",    "--access-url", dbt_.base_url()};
  std::vector<std::string> env = Env();
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::setsid();
    const int tty = ::open(slave_name.c_str(), O_RDWR);  // becomes the controlling terminal
    if (tty < 0) ::_exit(120);
    ::dup2(tty, 0);
    ::dup2(tty, 1);
    ::dup2(tty, 2);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(121);
  }
  // Wait for the prompt, then for echo to be off.
  std::string seen;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (seen.find("input hidden") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    pollfd ready{master, POLLIN, 0};
    if (::poll(&ready, 1, 100) > 0) {
      char buffer[256];
      const ssize_t n = ::read(master, buffer, sizeof buffer);
      if (n > 0) seen.append(buffer, static_cast<std::size_t>(n));
    }
  }
  termios during{};
  ASSERT_EQ(::tcgetattr(slave, &during), 0);
  const bool prompted = seen.find("input hidden") != std::string::npos;
  ::kill(pid, SIGINT);
  const int code = WaitExitCode(pid);
  termios after{};
  ASSERT_EQ(::tcgetattr(slave, &after), 0);
  ::close(slave);
  ::close(master);
  ASSERT_TRUE(prompted) << seen;
  EXPECT_EQ(during.c_lflag & ECHO, 0u) << "echo was never off";
  EXPECT_NE(after.c_lflag & ECHO, 0u) << "echo left off after SIGINT";
  EXPECT_EQ(code, 130);
  EXPECT_EQ(Writes(), 0u);
}

}  // namespace
}  // namespace dbtrotate
