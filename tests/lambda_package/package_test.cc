// scripts/package-lambda's zip, tested the way Lambda runs it: unpacked into an otherwise empty
// root (plus a static /bin/sh, a CA bundle at Amazon Linux's path, /etc/hosts, /tmp and /proc)
// and started under chroot, so no library of this machine can be found. The chroot shares the
// network namespace, so the bootstrap reaches the emulators on loopback.
//
// Needs root and /usr/sbin/chroot (skipped visibly otherwise; the zip's contents are checked
// anyway). The full rotation needs `dbt-rotate lambda` (the rotation function): skipped,
// visibly, in a tree that does not have it yet.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/version.h"
#include "emulators/dbtcloud/dbtcloud_emulator.h"
#include "emulators/lambda/runtime_api_emulator.h"
#include "emulators/secretsmanager/emulator.h"
#include "support/process_runner.h"
#include "support/runtime_process.h"

namespace dbtrotate {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::ProcessResult;
using testing::RunProcess;
using testing::RuntimeProcess;
using testing::ScratchDir;
namespace fs = std::filesystem;

constexpr char kChroot[] = "/usr/sbin/chroot";
constexpr char kDebianCa[] = "/etc/ssl/certs/ca-certificates.crt";
constexpr char kTaskRoot[] = "/var/task";
const std::vector<std::string> kBaseEnv = {"PATH=/usr/bin:/bin:/usr/sbin:/sbin", "LANG=C.UTF-8"};

std::string BusyboxPath() {
  for (const char* path : {"/bin/busybox", "/usr/bin/busybox"}) {
    if (access(path, X_OK) == 0) return path;
  }
  return "";
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Packages once per test process into its own scratch build directory and unpacks the zip
// into <scratch>/root/var/task.
class LambdaPackageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(scratch_.path().empty());
    build_dir_ = scratch_.path() + "/build";
    // DBTROTATE_LAMBDA_BINARY: package another build of dbt-rotate (e.g. one with `lambda`).
    const char* other = std::getenv("DBTROTATE_LAMBDA_BINARY");
    binary_ = other != nullptr && *other != '\0' ? other : DBTROTATE_BINARY_DIR "/dbt-rotate";
    root_ = scratch_.path() + "/root";
    fs::create_directories(build_dir_);
    ProcessResult packaged = RunProcess(
        {std::string(DBTROTATE_SOURCE_DIR) + "/scripts/package-lambda"},
        {kBaseEnv[0], kBaseEnv[1], "BUILD_DIR=" + build_dir_, "DBTROTATE_LAMBDA_BINARY=" + binary_},
        scratch_.path());
    ASSERT_EQ(packaged.exit_code, 0) << packaged.err;
    EXPECT_THAT(packaged.out, HasSubstr("dbt-rotate-lambda.zip"));
    zip_ = build_dir_ + "/lambda/dbt-rotate-lambda.zip";
    ASSERT_TRUE(fs::exists(zip_));
    fs::create_directories(root_ + kTaskRoot);
    ProcessResult unzipped = RunProcess({"/usr/bin/unzip", "-q", zip_, "-d", root_ + kTaskRoot},
                                        kBaseEnv, scratch_.path());
    ASSERT_EQ(unzipped.exit_code, 0) << unzipped.err;
  }

  void TearDown() override {
    if (proc_mounted_) umount2((root_ + "/proc").c_str(), MNT_DETACH);
  }

  // Root, chroot and a static shell: what running the zip under chroot needs.
  bool CanChroot(std::string* why) {
    if (geteuid() != 0) {
      *why = "not running as root";
    } else if (access(kChroot, X_OK) != 0) {
      *why = std::string(kChroot) + " is missing";
    } else if (BusyboxPath().empty()) {
      *why = "busybox is missing (Debian package busybox-static; scripts/install-deps)";
    }
    return why->empty();
  }

  // The rest of the empty root: a shell for bootstrap, a CA bundle where Amazon Linux keeps
  // it, /etc/hosts, /tmp, and /proc (Lambda has one).
  void FurnishRoot(bool mount_proc) {
    fs::create_directories(root_ + "/bin");
    fs::copy_file(BusyboxPath(), root_ + "/bin/sh");
    fs::create_directories(root_ + "/etc/pki/tls/certs");
    fs::copy_file(kDebianCa, root_ + "/etc/pki/tls/certs/ca-bundle.crt");
    std::ofstream(root_ + "/etc/hosts") << "127.0.0.1 localhost\n::1 localhost\n";
    fs::create_directories(root_ + "/tmp");
    fs::permissions(root_ + "/tmp", fs::perms::all | fs::perms::sticky_bit);
    if (mount_proc) {
      fs::create_directories(root_ + "/proc");
      ASSERT_EQ(mount("proc", (root_ + "/proc").c_str(), "proc", 0, nullptr), 0)
          << "mount proc: " << std::strerror(errno);
      proc_mounted_ = true;
    }
  }

  ProcessResult InChroot(std::vector<std::string> argv,
                         const std::vector<std::string>& env = kBaseEnv) {
    argv.insert(argv.begin(), {kChroot, root_});
    return RunProcess(argv, env, scratch_.path());
  }

  std::vector<std::string> LoaderCommand(std::vector<std::string> args) {
    std::vector<std::string> argv = {std::string(kTaskRoot) + "/lib/ld-linux-x86-64.so.2",
                                     "--library-path", std::string(kTaskRoot) + "/lib",
                                     std::string(kTaskRoot) + "/bin/dbt-rotate"};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  ScratchDir scratch_;
  std::string build_dir_;
  std::string binary_;
  std::string root_;
  std::string zip_;
  bool proc_mounted_ = false;
};

TEST_F(LambdaPackageTest, ZipHoldsBootstrapTheBinaryAndEveryLibraryButNotTheEmulators) {
  ProcessResult listed = RunProcess({"/usr/bin/zipinfo", zip_}, kBaseEnv, scratch_.path());
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::set<std::string> names;
  for (const std::string& line : Lines(listed.out)) {
    const std::size_t space = line.rfind(' ');
    if (space == std::string::npos || line.rfind("-rw", 0) != 0) continue;
    names.insert(line.substr(space + 1));
    if (line.substr(space + 1) == "bootstrap" || line.substr(space + 1) == "bin/dbt-rotate") {
      EXPECT_EQ(line.rfind("-rwxr-xr-x", 0), 0u) << line;  // executable once unzipped
    }
  }
  for (const char* required :
       {"bootstrap", "bin/dbt-rotate", "lib/ld-linux-x86-64.so.2", "lib/libc.so.6",
        "lib/libcurl.so.4", "lib/libssl.so.3", "lib/libcrypto.so.3", "lib/libnss_dns.so.2",
        "lib/libnss_files.so.2", "lib/libresolv.so.2", "certs/ca-bundle.crt"}) {
    EXPECT_TRUE(names.count(required)) << required << " is not in the zip";
  }
  for (const std::string& name : names) {
    EXPECT_THAT(name, ::testing::Not(HasSubstr("emulators"))) << "the emulator module is packaged";
  }
  // Every library the loader maps for the binary on this machine is in lib/.
  ProcessResult ldd = RunProcess({"/usr/bin/ldd", binary_}, kBaseEnv, scratch_.path());
  ASSERT_EQ(ldd.exit_code, 0) << ldd.err;
  for (const std::string& line : Lines(ldd.out)) {
    const std::size_t arrow = line.find("=> /");
    if (arrow == std::string::npos) continue;
    const std::string path = line.substr(arrow + 3, line.find(" (") - arrow - 3);
    EXPECT_TRUE(names.count("lib/" + fs::path(path).filename().string())) << path;
  }
  EXPECT_LT(fs::file_size(zip_), 50u * 1024 * 1024) << "Lambda's direct-upload limit";
}

TEST_F(LambdaPackageTest, BundledLoaderStartsTheBinaryInAnEmptyChroot) {
  std::string why;
  if (!CanChroot(&why)) GTEST_SKIP() << "SKIPPED (visibly): chroot test needs root: " << why;
  FurnishRoot(/*mount_proc=*/false);
  ProcessResult version = InChroot(LoaderCommand({"--version"}));
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_THAT(version.out, HasSubstr(kVersion));
  // Nothing resolves outside the bundle (the root has no other library to find).
  ProcessResult listed = InChroot({std::string(kTaskRoot) + "/lib/ld-linux-x86-64.so.2",
                                   "--library-path", std::string(kTaskRoot) + "/lib", "--list",
                                   std::string(kTaskRoot) + "/bin/dbt-rotate"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  int resolved = 0;
  for (const std::string& line : Lines(listed.out)) {
    if (line.find("=>") == std::string::npos) continue;
    EXPECT_THAT(line, HasSubstr("=> /var/task/lib/")) << line;
    ++resolved;
  }
  EXPECT_GT(resolved, 10);
  // bootstrap is a script: /bin/sh (busybox here, bash on Amazon Linux) runs it and it execs
  // the binary through the loader. Without the Runtime API variables it cannot do more than
  // start, so only that it started is checked: its stderr comes from dbt-rotate.
  ProcessResult booted = InChroot({std::string(kTaskRoot) + "/bootstrap"},
                                  {kBaseEnv[0], kBaseEnv[1], "LAMBDA_TASK_ROOT=/var/task"});
  EXPECT_TRUE(booted.started) << booted.error;
  EXPECT_NE(booted.exit_code, 127) << "the shell could not run bootstrap: " << booted.err;
  EXPECT_THAT(booted.err, ::testing::Not(HasSubstr("not found")));
}

TEST_F(LambdaPackageTest, BootstrapUnderChrootCompletesARotationDrivenByRotateSecret) {
  std::string why;
  if (!CanChroot(&why)) GTEST_SKIP() << "SKIPPED (visibly): chroot test needs root: " << why;
  FurnishRoot(/*mount_proc=*/true);
  ProcessResult help = InChroot(LoaderCommand({"--help"}));
  if (help.out.find("\n  lambda ") == std::string::npos) {
    GTEST_SKIP() << "SKIPPED (visibly): this dbt-rotate has no `lambda` command (the rotation "
                    "function is another branch); the packaging itself is verified above. "
                 << help.err;
  }

  emulators::DbtCloudEmulator dbt;
  ASSERT_TRUE(dbt.Start().has_value());
  const std::int64_t account = dbt.CreateAccount("Lambda Analytics");
  auto admin = dbt.AddServiceToken(account, {"dbt_admin", emulators::DbtAdminGrants()});
  ASSERT_TRUE(admin.has_value()) << admin.error();

  emulators::lambda::RuntimeApiEmulatorOptions runtime_options;
  runtime_options.timeout = 30s;
  emulators::lambda::RuntimeApiEmulator runtime(runtime_options);
  ASSERT_TRUE(runtime.Start().has_value());

  aws::Credentials credentials;
  credentials.access_key_id = "AKIALAMBDAPACKAGE001";
  credentials.secret_access_key =
      SecretString(std::string("lambdaPackageTestSecretKey/0123456789"));
  emulators::secretsmanager::SecretsManagerEmulatorOptions sm_options;
  sm_options.invoker = &runtime;
  emulators::secretsmanager::SecretsManagerEmulator sm(sm_options);
  sm.AddCredentials(credentials);
  ASSERT_TRUE(sm.Start().has_value());
  const std::string old_token(admin->token_string.expose());
  auto seeded = sm.store().SeedSecret(
      "dbt/admin", nlohmann::json{{"service_token_id", admin->id},
                                  {"service_token", old_token},
                                  {"last_rotated_datetime_utc", "2026-01-01T00:00:00+00:00"}}
                       .dump());
  ASSERT_TRUE(seeded.has_value());

  const std::vector<std::string> env = {
      "AWS_LAMBDA_RUNTIME_API=" + runtime.address(),
      "LAMBDA_TASK_ROOT=/var/task",
      "LAMBDA_RUNTIME_DIR=/var/runtime",
      "_HANDLER=bootstrap",
      "AWS_REGION=us-east-1",
      "AWS_DEFAULT_REGION=us-east-1",
      "AWS_LAMBDA_FUNCTION_NAME=dbt-rotate",
      "AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
      "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256",
      "AWS_ACCESS_KEY_ID=" + credentials.access_key_id,
      "AWS_SECRET_ACCESS_KEY=" + std::string(credentials.secret_access_key.expose()),
      "AWS_ENDPOINT_URL_SECRETS_MANAGER=" + sm.endpoint_url(),
      "DBT_CLOUD_HOST=" + dbt.base_url(),
      "DBT_CLOUD_ACCOUNT_ID=" + std::to_string(account),
      "TZ=:UTC",
      "LANG=en_US.UTF-8",
      "PATH=/usr/local/bin:/usr/bin/:/bin:/opt/bin",
      "LD_LIBRARY_PATH=/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:"
      "/opt/lib",
  };
  std::string error;
  const pid_t pid = testing::StartProcess(
      {kChroot, root_, std::string(kTaskRoot) + "/bootstrap"}, env,
      {"/dev/null", scratch_.path() + "/function.out", scratch_.path() + "/function.err"}, &error);
  ASSERT_GT(pid, 0) << error;
  {
    RuntimeProcess process(runtime, pid);
    ASSERT_TRUE(runtime.WaitForPoll(10s)) << "bootstrap never called next";

    emulators::secretsmanager::RotateSecretInput input;
    input.secret_id = "dbt/admin";
    input.client_request_token = "c0ffee00-1111-4111-8111-111111111111";
    input.rotation_lambda_arn = runtime.function_arn();
    ASSERT_TRUE(sm.rotation().RotateSecret(input).has_value());
    ASSERT_TRUE(sm.rotation().WaitIdle(120s));
    runtime.Stop();  // `next` answers 500: the runtime exits
  }
  const auto rotations = sm.rotation().Rotations();
  ASSERT_EQ(rotations.size(), 1u);
  std::ifstream err_file(scratch_.path() + "/function.err");
  std::stringstream function_err;
  function_err << err_file.rdbuf();
  EXPECT_EQ(rotations[0].state, emulators::secretsmanager::RotationState::kSucceeded)
      << rotations[0].failure << "\nfunction stderr:\n"
      << function_err.str();
  ASSERT_EQ(rotations[0].steps.size(), 4u);
  auto state = sm.store().Inspect("dbt/admin");
  const auto* current = state->VersionWithStage("AWSCURRENT");
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(current->version_id, "c0ffee00-1111-4111-8111-111111111111");
  const auto value = nlohmann::json::parse(current->value->expose());
  EXPECT_TRUE(dbt.Authenticates(SecretString(value.value("service_token", ""))));
  EXPECT_FALSE(dbt.Authenticates(SecretString::CopyOf(old_token)));
}

}  // namespace
}  // namespace dbtrotate
