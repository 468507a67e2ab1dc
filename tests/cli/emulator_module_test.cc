// `sandbox` and `emulate` live in dbt-rotate-emulators.so, which the binary loads only for
// them (src/cli/emulator_module.h): the binary itself links no C++ shared library, so that
// rotate/status/init start fast. These tests hold that split in place, run both commands
// through the module, and check what happens when the module is missing, unloadable or foreign.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http/curl_client.h"
#include "support/process_runner.h"

namespace dbtrotate {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kModuleBinary[] = DBTROTATE_BINARY_DIR "/dbt-rotate";
constexpr char kModule[] = DBTROTATE_BINARY_DIR "/dbt-rotate-emulators.so";
const std::vector<std::string> kEnv = {"PATH=/usr/bin:/bin", "HOME=/nonexistent"};

std::vector<std::string> NeededLibraries(const std::string& elf, const std::string& scratch) {
  auto result = testing::RunProcess({"/usr/bin/readelf", "--dynamic", elf}, kEnv, scratch);
  EXPECT_EQ(result.exit_code, 0) << result.error << result.err;
  std::vector<std::string> needed;
  const std::regex line(R"(\(NEEDED\)\s+Shared library: \[([^\]]+)\])");
  for (std::sregex_iterator it(result.out.begin(), result.out.end(), line), end; it != end; ++it)
    needed.push_back((*it)[1]);
  return needed;
}

// A copy of the binary in a scratch directory, with or without a module beside it.
class CopiedBinary {
 public:
  CopiedBinary() {
    fs::create_directories(bin_dir());
    fs::copy_file(kModuleBinary, binary());
  }
  std::string bin_dir() const { return scratch_.path() + "/bin"; }
  std::string binary() const { return bin_dir() + "/dbt-rotate"; }
  const std::string& path() const { return scratch_.path(); }

  testing::ProcessResult Run(std::vector<std::string> args) const {
    args.insert(args.begin(), binary());
    return testing::RunProcess(args, kEnv, scratch_.path());
  }

 private:
  testing::ScratchDir scratch_;
};

TEST(EmulatorModuleTest, TheBinaryLinksNoCxxSharedLibrary) {
  testing::ScratchDir scratch;
  const auto needed = NeededLibraries(kModuleBinary, scratch.path());
  EXPECT_THAT(needed, Contains("libcurl.so.4"));
  std::vector<std::string> heavy = {"libcpp-httplib", "libbrotli", "libyaml-cpp", "libfmt"};
  // Every build but clang's sanitizer trees links the C++ runtime statically (CMakeLists.txt).
  if (DBTROTATE_STATIC_CXX_RUNTIME) heavy.insert(heavy.end(), {"libstdc++", "libgcc_s"});
  for (const auto& name : heavy) {
    for (const auto& library : needed) EXPECT_THAT(library, Not(HasSubstr(name)));
  }
  // ...and the module is where those went.
  EXPECT_THAT(NeededLibraries(kModule, scratch.path()), Contains("libcpp-httplib.so.0.11"));
}

TEST(EmulatorModuleTest, WithoutTheModuleOnlySandboxAndEmulateFailClearly) {
  CopiedBinary copy;
  auto version = copy.Run({"--version"});
  EXPECT_EQ(version.exit_code, 0) << version.err;

  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"sandbox"},
        std::vector<std::string>{"emulate", "secretsmanager"}}) {
    auto result = copy.Run(args);
    EXPECT_EQ(result.exit_code, 2) << args[0];
    EXPECT_THAT(result.err, HasSubstr("need dbt-rotate-emulators.so"));
    EXPECT_THAT(result.err, HasSubstr(copy.bin_dir() + "/dbt-rotate-emulators.so"));
  }
}

TEST(EmulatorModuleTest, AnUnloadableModuleIsAClearError) {
  CopiedBinary copy;
  std::ofstream(copy.bin_dir() + "/dbt-rotate-emulators.so") << "not an ELF file\n";
  auto result = copy.Run({"sandbox"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("cannot load"));
  EXPECT_THAT(result.err, HasSubstr("Rebuild"));
}

TEST(EmulatorModuleTest, AModuleOfAnotherVersionIsRefusedUnrun) {
  CopiedBinary copy;
  fs::copy_file(DBTROTATE_FOREIGN_MODULE, copy.bin_dir() + "/dbt-rotate-emulators.so");
  auto result = copy.Run({"sandbox"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("is not the emulator module of dbt-rotate"));
  EXPECT_THAT(result.err, Not(HasSubstr("FOREIGN MODULE RAN")));
}

TEST(EmulatorModuleTest, AnInstalledLayoutFindsTheModuleInLib) {
  CopiedBinary copy;  // <prefix>/bin/dbt-rotate + <prefix>/lib/dbt-rotate/dbt-rotate-emulators.so
  fs::create_directories(copy.path() + "/lib/dbt-rotate");
  fs::copy_file(kModule, copy.path() + "/lib/dbt-rotate/dbt-rotate-emulators.so");
  auto result = copy.Run({"--quiet", "sandbox"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Final state"));
}

// `emulate` through the module: it serves until SIGTERM and then exits 0.
TEST(EmulatorModuleTest, EmulateServesUntilTerminated) {
  testing::ScratchDir scratch;
  const std::string log = scratch.path() + "/stderr";
  testing::StandardStreams streams;
  streams.err = log;
  const pid_t pid = testing::StartProcess(
      {kModuleBinary, "emulate", "dbtcloud", "--secrets-file", scratch.path() + "/tokens.json"},
      kEnv, streams);
  ASSERT_GT(pid, 0);

  std::smatch url;
  const std::regex listening(R"(listening on (http://127\.0\.0\.1:[0-9]+))");
  std::string text;
  for (int i = 0; i < 400 && !std::regex_search(text, url, listening); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    std::ostringstream read;
    read << std::ifstream(log).rdbuf();
    text = read.str();
  }
  bool served = false;
  int status_code = 0;
  if (!url.empty()) {
    http::CurlClient client;
    // No credentials: the dbt Cloud emulator must answer 401, as dbt Cloud does.
    auto response = client.Send(
        http::Request(http::Method::kGet, url[1].str() + "/api/v3/accounts/1/service-tokens/"));
    served = response.has_value();
    if (response) status_code = response->status;
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_FALSE(url.empty()) << "the emulator never said where it listens: " << text;
  EXPECT_TRUE(served);
  EXPECT_EQ(status_code, 401);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << text;
  EXPECT_EQ(fs::status(scratch.path() + "/tokens.json").permissions() & fs::perms::group_all,
            fs::perms::none);
}

}  // namespace
}  // namespace dbtrotate
