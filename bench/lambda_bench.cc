// dbt-rotate-lambda-bench: the Lambda package's figures. Prints the zip's size and the cold
// init time of `bootstrap` — from process start to its first `GET …/invocation/next` — against
// the Runtime API emulator, the way Lambda's Init phase ends. Each start follows 300 ms idle,
// as a lone invocation after a quiet period. The zip comes from scripts/package-lambda.
//
//   build/bench/dbt-rotate-lambda-bench [--zip build/lambda/dbt-rotate-lambda.zip] [--rounds 9]

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "emulators/lambda/runtime_api_emulator.h"

extern char** environ;

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace lambda = dbtrotate::emulators::lambda;

pid_t Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& entry : env) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  pid_t pid = -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(),
                  env.empty() ? environ : envp.data()) != 0) {
    pid = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// Waits up to `limit` for `pid`; kills it if it is still running then.
void Reap(pid_t pid, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > until) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return;
    }
    std::this_thread::sleep_for(5ms);
  }
}

// One cold start; nullopt when bootstrap never called `next` (e.g. no `lambda` command).
std::optional<double> ColdInitMs(const std::string& task_root) {
  lambda::RuntimeApiEmulator runtime;
  if (!runtime.Start()) return std::nullopt;
  const std::vector<std::string> env = {"AWS_LAMBDA_RUNTIME_API=" + runtime.address(),
                                        "LAMBDA_TASK_ROOT=" + task_root,
                                        "_HANDLER=bootstrap",
                                        "AWS_REGION=us-east-1",
                                        "AWS_ACCESS_KEY_ID=AKIABENCH",
                                        "AWS_SECRET_ACCESS_KEY=bench",
                                        "PATH=/usr/bin:/bin",
                                        "TZ=:UTC"};
  std::this_thread::sleep_for(300ms);  // cold: the CPUs have been idle
  const auto started = std::chrono::steady_clock::now();
  const pid_t pid = Spawn({task_root + "/bootstrap"}, env);
  if (pid < 0) return std::nullopt;
  const bool polled = runtime.WaitForPoll(10s);
  const auto first = runtime.first_poll_at();
  runtime.Stop();  // `next` answers 500: the runtime exits
  Reap(pid, 2s);
  if (!polled || !first) return std::nullopt;
  return std::chrono::duration<double, std::milli>(*first - started).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string zip = "build/lambda/dbt-rotate-lambda.zip";
  int rounds = 9;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--zip") zip = argv[i + 1];
    if (flag == "--rounds") rounds = std::max(1, std::atoi(argv[i + 1]));
  }
  std::error_code error;
  const auto size = fs::file_size(zip, error);
  if (error) {
    std::fprintf(stderr, "dbt-rotate-lambda-bench: %s: %s (run scripts/package-lambda first)\n",
                 zip.c_str(), error.message().c_str());
    return 2;
  }
  const fs::path task_root =
      fs::temp_directory_path() / ("dbt-rotate-lambda-bench-" + std::to_string(getpid()));
  fs::create_directories(task_root);
  const pid_t unzip = Spawn({"/usr/bin/unzip", "-q", "-o", zip, "-d", task_root.string()}, {});
  int status = 0;
  if (unzip < 0 || waitpid(unzip, &status, 0) < 0 || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "dbt-rotate-lambda-bench: cannot unzip %s\n", zip.c_str());
    fs::remove_all(task_root, error);
    return 2;
  }
  std::uintmax_t unpacked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(task_root)) {
    if (entry.is_regular_file()) unpacked += entry.file_size();
  }
  std::printf("zip                 %s\n", zip.c_str());
  std::printf("zip size            %.1f MiB zipped, %.1f MiB unpacked (Lambda: 50 / 250 MiB)\n",
              static_cast<double>(size) / 1048576.0, static_cast<double>(unpacked) / 1048576.0);

  std::vector<double> times;
  for (int round = 0; round < rounds; ++round) {
    const auto ms = ColdInitMs(task_root.string());
    if (!ms) break;
    times.push_back(*ms);
  }
  fs::remove_all(task_root, error);
  if (times.empty()) {
    std::printf(
        "cold init           not measured: bootstrap never called next (this build has "
        "no `dbt-rotate lambda`?)\n");
    return 1;
  }
  std::sort(times.begin(), times.end());
  std::printf(
      "cold init           median %.2f ms, min %.2f, max %.2f over %zu starts "
      "(process start to first next)\n",
      times[times.size() / 2], times.front(), times.back(), times.size());
  return 0;
}
