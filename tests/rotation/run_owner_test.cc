#include "rotation/run_owner.h"

#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <string>
#include <vector>

extern char** environ;

namespace dbtrotate::rotation {
namespace {

std::vector<std::string> Parts(const std::string& tag) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (auto end = tag.find('/'); end != std::string::npos; end = tag.find('/', start)) {
    parts.push_back(tag.substr(start, end - start));
    start = end + 1;
  }
  parts.push_back(tag.substr(start));
  return parts;
}

std::string Join(const std::vector<std::string>& parts) {
  return parts[0] + "/" + parts[1] + "/" + parts[2] + "/" + parts[3];
}

TEST(RunOwner, ThisProcessIsAlive) {
  auto& probe = LinuxProcessProbe::Instance();
  const std::string tag = probe.SelfTag();
  ASSERT_EQ(Parts(tag).size(), 4u) << tag;
  EXPECT_FALSE(probe.IsDeadLocalProcess(tag));
}

TEST(RunOwner, AnExitedProcessIsDead) {
  pid_t pid = 0;
  char arg0[] = "/bin/true";
  char* argv[] = {arg0, nullptr};
  ASSERT_EQ(posix_spawn(&pid, "/bin/true", nullptr, nullptr, argv, environ), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  auto parts = Parts(LinuxProcessProbe::Instance().SelfTag());
  parts[2] = std::to_string(pid);
  EXPECT_TRUE(LinuxProcessProbe::Instance().IsDeadLocalProcess(Join(parts)));
}

TEST(RunOwner, AReusedPidIsDead) {
  auto parts = Parts(LinuxProcessProbe::Instance().SelfTag());
  parts[2] = "1";  // pid 1 runs, but it is not the process that wrote the lock
  parts[3] = "999999999999";
  EXPECT_TRUE(LinuxProcessProbe::Instance().IsDeadLocalProcess(Join(parts)));
}

TEST(RunOwner, OtherMachinesAndMalformedTagsAreNeverJudged) {
  auto& probe = LinuxProcessProbe::Instance();
  auto parts = Parts(probe.SelfTag());
  auto other_host = parts;
  other_host[0] = "some-other-host";
  other_host[2] = "999999";
  EXPECT_FALSE(probe.IsDeadLocalProcess(Join(other_host)));
  auto other_boot = parts;
  other_boot[1] = "00000000-0000-0000-0000-000000000000";
  other_boot[2] = "999999";
  EXPECT_FALSE(probe.IsDeadLocalProcess(Join(other_boot)));
  for (const char* bad : {"", "a/b/c", "host/boot/notapid/1", "host/boot/-4/1", "x/y/z/w/v"}) {
    EXPECT_FALSE(probe.IsDeadLocalProcess(bad)) << bad;
  }
}

TEST(RunOwner, RotationIdsCarryTheTag) {
  EXPECT_EQ(TagRotationId("abc", "h/b/1/2"), "abc@h/b/1/2");
  EXPECT_EQ(TagRotationId("abc@old/tag/3/4", "h/b/1/2"), "abc@h/b/1/2");
  EXPECT_EQ(OwnerTagOf("abc@h/b/1/2"), "h/b/1/2");
  EXPECT_FALSE(OwnerTagOf("0b9c6f2e-uuid-without-owner"));
  EXPECT_FALSE(OwnerTagOf("abc@"));
}

}  // namespace
}  // namespace dbtrotate::rotation
