#include "cli/emulator_commands/sandbox_lambda.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "cli/terminal_text.h"
#include "core/random.h"
#include "core/secret_string.h"
#include "emulators/lambda/runtime_api_emulator.h"

namespace dbtrotate::cli {
namespace {

using namespace std::chrono_literals;
namespace sm = emulators::secretsmanager;

// The function process: this binary as `dbt-rotate lambda`, with the variables Lambda sets.
class FunctionProcess {
 public:
  FunctionProcess(emulators::lambda::RuntimeApiEmulator& runtime, std::vector<std::string> env,
                  bool quiet)
      : runtime_(runtime) {
    std::vector<char*> envp;
    for (auto& entry : env) envp.push_back(entry.data());
    envp.push_back(nullptr);
    char arg0[] = "dbt-rotate";
    char arg1[] = "lambda";
    char* argv[] = {arg0, arg1, nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    // The function logs JSON lines on stdout: shown on our stderr, beside the step lines.
    if (quiet) {
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    } else {
      posix_spawn_file_actions_adddup2(&actions, 2, 1);
    }
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);  // main() blocks signals for its guard
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
    const int spawned =
        posix_spawn(&pid_, "/proc/self/exe", &actions, &attributes, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    for (auto& entry : env) WipeString(entry);  // the sandbox's own AWS key was in there
    if (spawned != 0) {
      pid_ = -1;
      return;
    }
    watcher_ = std::thread([this] {
      int status = 0;
      waitpid(pid_, &status, 0);
      exited_ = true;
      runtime_.RuntimeExited(WIFEXITED(status)
                                 ? "exit status " + std::to_string(WEXITSTATUS(status))
                                 : "killed by a signal");
    });
  }
  ~FunctionProcess() {
    if (pid_ <= 0) return;
    runtime_.Stop();  // `next` answers 500: the runtime exits by itself
    for (int i = 0; i < 50 && !exited_; ++i) std::this_thread::sleep_for(20ms);
    if (!exited_) kill(pid_, SIGKILL);
    watcher_.join();
  }
  FunctionProcess(const FunctionProcess&) = delete;
  FunctionProcess& operator=(const FunctionProcess&) = delete;
  bool started() const { return pid_ > 0; }

 private:
  emulators::lambda::RuntimeApiEmulator& runtime_;
  pid_t pid_ = -1;
  std::atomic<bool> exited_{false};
  std::thread watcher_;
};

std::vector<std::string> FunctionEnvironment(const LambdaSandbox& sandbox,
                                             const std::string& runtime_api) {
  return {"AWS_LAMBDA_RUNTIME_API=" + runtime_api,
          "AWS_LAMBDA_FUNCTION_NAME=dbt-rotate-sandbox",
          "AWS_REGION=" + sandbox.region,
          "AWS_ACCESS_KEY_ID=" + sandbox.credentials.access_key_id,
          "AWS_SECRET_ACCESS_KEY=" + std::string(sandbox.credentials.secret_access_key.expose()),
          "AWS_ENDPOINT_URL_SECRETS_MANAGER=" + sandbox.sm.endpoint_url(),
          "AWS_CONFIG_FILE=/nonexistent/dbt-rotate-sandbox/config",
          "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/dbt-rotate-sandbox/credentials",
          "AWS_EC2_METADATA_DISABLED=true",
          "DBT_CLOUD_HOST=" + sandbox.dbt.base_url(),
          "DBT_CLOUD_ACCOUNT_ID=" + std::to_string(sandbox.account_id),
          "TZ=:UTC",
          "PATH=/usr/bin:/bin"};
}

void PrintStep(const sm::RotationRecord& rotation, const sm::RotationStepRecord& step, Io io) {
  std::string line = fmt::format(
      "RotateSecret {}: {} (attempt {}) {} in {} ms", rotation.version_id, step.step, step.attempt,
      emulators::lambda::InvokeStatusName(step.outcome.status), step.duration.count());
  if (!step.outcome.ok()) {
    line += fmt::format(": {} {}", step.outcome.error_type, step.outcome.error_message);
  }
  PrintLine(io.err, line);
}

}  // namespace

int RunLambdaSandboxRotation(const LambdaSandbox& sandbox, const GlobalFlags& global, Io io) {
  emulators::lambda::RuntimeApiEmulator runtime;
  if (auto started = runtime.Start(); !started) {
    PrintMessage(io.err, "cannot start the Runtime API emulator: " + started.error());
    return kExitFailedSafely;
  }
  sandbox.sm.rotation().SetInvoker(&runtime);
  if (!global.quiet) {
    sandbox.sm.rotation().SetObserver(
        [io](const sm::RotationRecord& rotation, const sm::RotationStepRecord& step) {
          PrintStep(rotation, step, io);
        });
  }
  std::optional<sm::RotationRecord> record;
  {
    FunctionProcess function(runtime, FunctionEnvironment(sandbox, runtime.address()),
                             global.quiet);
    if (!function.started() || !runtime.WaitForPoll(10s)) {
      PrintMessage(io.err, "the rotation function (dbt-rotate lambda) did not start");
      return kExitFailedSafely;
    }
    if (!global.quiet) {
      PrintLine(io.err, fmt::format("sandbox: rotation function polling the Runtime API at {}; "
                                    "calling RotateSecret on '{}'",
                                    runtime.address(), sandbox.secret_id));
    }
    sm::RotateSecretInput input;
    input.secret_id = sandbox.secret_id;
    input.client_request_token = SecureRandom::Instance().UuidV4();
    input.rotation_lambda_arn = runtime.function_arn();
    if (auto accepted = sandbox.sm.rotation().RotateSecret(input); !accepted) {
      PrintMessage(io.err, "RotateSecret was refused");
      return kExitFailedSafely;
    }
    if (!sandbox.sm.rotation().WaitIdle(180s)) {
      PrintMessage(io.err, "the rotation did not finish within 180 s");
      return kExitFailedSafely;
    }
    auto rotations = sandbox.sm.rotation().Rotations();
    if (!rotations.empty()) record = rotations.back();
  }
  sandbox.sm.rotation().SetObserver(nullptr);
  sandbox.sm.rotation().SetInvoker(nullptr);
  const bool ok = record && record->state == sm::RotationState::kSucceeded;
  PrintLine(ok ? io.out : io.err,
            ok ? fmt::format("rotated by the rotation function: AWSCURRENT is version {}",
                             record->version_id)
               : "the rotation failed: " + (record ? record->failure : std::string("no record")));
  return ok ? kExitOk : kExitFailedSafely;
}

}  // namespace dbtrotate::cli
