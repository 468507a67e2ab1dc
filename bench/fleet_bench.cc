// dbt-rotate-fleet-bench: a fleet of secrets rotated by the real binary (`rotate --config`)
// against both emulators in this process, with the dbt emulator enforcing a per-account
// request rate (429 + cool-down). Prints wall time against the floor the limits set, 429s
// received, peak RSS and CPU time of the dbt-rotate process.
//
// The floor: for each limit, the requests the run made under it divided by its rate; the
// binding limit is the one with the largest quotient (dbt: requests to the busiest account /
// its rate; Secrets Manager: PutSecretValue + UpdateSecretVersionStage / the write rate).
// Target: wall <= 1.15 x floor, 0 429s. The rates are scaled (per second instead of per
// minute) so that a 1,000-secret fleet takes seconds; the client is told the same rate the
// emulator enforces (--dbt-rate N/1s).

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emulators/dbtcloud/dbtcloud_emulator.h"
#include "emulators/secretsmanager/emulator.h"

extern char** environ;

namespace dbtrotate::bench {
namespace {

constexpr char kAccessKey[] = "AKIAFLEETBENCH000000";
constexpr char kSecretKey[] = "fleet-bench-secret-key-fleet-bench-key00";

struct Settings {
  int secrets = 1000;
  int dbt_rate = 400;  // per second per account (scaled from dbt's per minute)
  int sm_rate = 400;   // writes per second (scaled)
  int jobs = 8;
  int latency_ms = 2;
  int connection_ms = 5;
  std::vector<int> accounts = {1, 3};
};

struct Figures {
  double wall_s = 0;
  double floor_s = 0;
  std::string binding;
  std::uint64_t dbt_requests = 0;
  std::uint64_t busiest_account_requests = 0;
  std::uint64_t sm_writes = 0;
  std::uint64_t too_many = 0;
  std::size_t connections = 0;
  long peak_rss_kib = 0;
  double cpu_s = 0;
  int exit_code = -1;
};

int Spawn(const std::vector<std::string>& args, const std::vector<std::string>& env,
          const std::string& out_path, rusage& usage) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) != 0) return -1;
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  wait4(pid, &status, 0, &usage);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Figures RunFleet(const Settings& settings, int account_count, const std::string& dir) {
  emulators::DbtCloudEmulatorOptions dbt_options;
  dbt_options.behavior.rate_limit.max_requests = settings.dbt_rate;
  dbt_options.behavior.rate_limit.window = std::chrono::seconds(1);
  dbt_options.behavior.rate_limit.cooldown = std::chrono::seconds(5);
  // One server thread per kept-alive connection (cpp-httplib): room for every worker's.
  dbt_options.server.threads = 4 * settings.jobs;
  emulators::DbtCloudEmulator dbt(dbt_options);
  emulators::secretsmanager::SecretsManagerEmulatorOptions sm_options;
  sm_options.server.threads = 4 * settings.jobs;
  emulators::secretsmanager::SecretsManagerEmulator sm(sm_options);
  aws::Credentials credentials;
  credentials.access_key_id = kAccessKey;
  credentials.secret_access_key = SecretString::CopyOf(kSecretKey);
  sm.AddCredentials(credentials);
  if (!dbt.Start() || !sm.Start()) {
    std::fprintf(stderr, "fleet-bench: an emulator did not start\n");
    std::exit(1);
  }
  std::vector<std::int64_t> accounts;
  for (int a = 0; a < account_count; ++a) accounts.push_back(dbt.CreateAccount("Bench", 0));
  std::string yaml = "secrets:\n";
  for (int i = 0; i < settings.secrets; ++i) {
    const std::int64_t account = accounts[static_cast<std::size_t>(i % account_count)];
    const std::string name = fmt::format("fleet/secret-{:04}", i);
    auto token = dbt.AddServiceToken(account, {name, emulators::DbtAdminGrants()});
    nlohmann::json value = {{"service_token_id", token->id},
                            {"service_token", token->token_string.expose()},
                            {"account_id", account},
                            {"access_url", dbt.base_url()}};
    (void)sm.store().SeedSecret(name, value.dump());
    yaml += "  - secret_id: " + name + "\n";
  }
  const std::string config = dir + "/fleet.yaml";
  std::ofstream(config) << yaml;
  dbt.SetLatency(std::chrono::milliseconds(settings.latency_ms));
  sm.SetLatency(std::chrono::milliseconds(settings.latency_ms));
  dbt.faults().SetConnectionLatency(std::chrono::milliseconds(settings.connection_ms));
  sm.faults().SetConnectionLatency(std::chrono::milliseconds(settings.connection_ms));
  dbt.log().ResetLog();
  sm.log().ResetLog();

  const std::vector<std::string> env = {"AWS_ACCESS_KEY_ID=" + std::string(kAccessKey),
                                        "AWS_SECRET_ACCESS_KEY=" + std::string(kSecretKey),
                                        "AWS_REGION=us-east-1",
                                        "AWS_ENDPOINT_URL_SECRETS_MANAGER=" + sm.endpoint_url(),
                                        "AWS_CONFIG_FILE=" + dir + "/none",
                                        "AWS_SHARED_CREDENTIALS_FILE=" + dir + "/none",
                                        "AWS_EC2_METADATA_DISABLED=true",
                                        "HOME=" + dir};
  // Through peak-rss (bench/peak_rss.cc): spawned from here, the binary's own peak RSS would
  // read as this process's, which holds the emulators' thousands of tokens.
  const std::string rss_file = dir + "/peak-rss";
  const std::vector<std::string> args = {DBTROTATE_PEAK_RSS_PATH,
                                         rss_file,
                                         DBTROTATE_BINARY_PATH,
                                         "--quiet",
                                         "rotate",
                                         "--config",
                                         config,
                                         "--jobs",
                                         std::to_string(settings.jobs),
                                         "--dbt-rate",
                                         fmt::format("{}/1s", settings.dbt_rate),
                                         "--sm-write-rate",
                                         fmt::format("{}/1s", settings.sm_rate)};
  Figures figures;
  rusage usage{};
  const auto start = std::chrono::steady_clock::now();
  figures.exit_code = Spawn(args, env, dir + "/report.txt", usage);
  figures.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::ifstream(rss_file) >> figures.peak_rss_kib;
  figures.cpu_s = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;

  std::map<std::string, std::uint64_t> per_account;
  for (const auto& record : dbt.log().Log()) {
    ++figures.dbt_requests;
    if (record.status == 429) ++figures.too_many;
    const auto begin = record.target.find("/accounts/");
    if (begin != std::string::npos) {
      const auto end = record.target.find('/', begin + 10);
      ++per_account[record.target.substr(begin + 10, end - begin - 10)];
    }
  }
  for (const auto& [account, count] : per_account) {
    figures.busiest_account_requests = std::max(figures.busiest_account_requests, count);
  }
  figures.sm_writes =
      sm.log().CountFor("PutSecretValue") + sm.log().CountFor("UpdateSecretVersionStage");
  figures.connections = dbt.faults().ConnectionCount() + sm.faults().ConnectionCount();
  std::fprintf(stderr, "connections: dbt %zu, SM %zu\n", dbt.faults().ConnectionCount(),
               sm.faults().ConnectionCount());
  const double dbt_floor =
      static_cast<double>(figures.busiest_account_requests) / settings.dbt_rate;
  const double sm_floor = static_cast<double>(figures.sm_writes) / settings.sm_rate;
  figures.floor_s = std::max(dbt_floor, sm_floor);
  figures.binding = dbt_floor >= sm_floor ? "dbt account rate" : "SM write rate";
  sm.Stop();
  dbt.Stop();
  return figures;
}

int ParseInt(const char* text) { return std::max(1, std::atoi(text)); }

}  // namespace
}  // namespace dbtrotate::bench

int main(int argc, char** argv) {
  using namespace dbtrotate::bench;
  Settings settings;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = ParseInt(argv[i + 1]);
    if (flag == "--secrets")
      settings.secrets = value;
    else if (flag == "--dbt-rate")
      settings.dbt_rate = value;
    else if (flag == "--sm-rate")
      settings.sm_rate = value;
    else if (flag == "--jobs")
      settings.jobs = value;
    else if (flag == "--latency-ms")
      settings.latency_ms = value;
    else if (flag == "--connection-ms")
      settings.connection_ms = value;
    else if (flag == "--accounts")
      settings.accounts = {value};
    else {
      std::fprintf(stderr,
                   "usage: dbt-rotate-fleet-bench [--secrets N] [--accounts N] [--dbt-rate "
                   "PER_S] [--sm-rate PER_S] [--jobs N] [--latency-ms MS] [--connection-ms MS]\n");
      return 2;
    }
  }
  const auto dir = std::filesystem::temp_directory_path() /
                   ("dbt-rotate-fleet-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::printf(
      "%d secrets, dbt limit %d req/s per account (emulator-enforced, 429 + 5 s "
      "cool-down), SM writes %d/s, --jobs %d, %d ms per request, %d ms per connection\n",
      settings.secrets, settings.dbt_rate, settings.sm_rate, settings.jobs, settings.latency_ms,
      settings.connection_ms);
  std::printf("%-9s %8s %8s %6s %-17s %9s %8s %6s %5s %6s %9s %7s %4s\n", "accounts", "wall",
              "floor", "ratio", "binding", "dbt reqs", "busiest", "SM wr", "429s", "conns",
              "peak RSS", "CPU", "exit");
  int worst = 0;
  for (const int accounts : settings.accounts) {
    const auto f = RunFleet(settings, accounts, dir.string());
    std::printf(
        "%-9d %7.2fs %7.2fs %6.3f %-17s %9llu %8llu %6llu %5llu %6zu %6.1f MiB %6.2fs %4d\n",
        accounts, f.wall_s, f.floor_s, f.wall_s / f.floor_s, f.binding.c_str(),
        static_cast<unsigned long long>(f.dbt_requests),
        static_cast<unsigned long long>(f.busiest_account_requests),
        static_cast<unsigned long long>(f.sm_writes), static_cast<unsigned long long>(f.too_many),
        f.connections, static_cast<double>(f.peak_rss_kib) / 1024.0, f.cpu_s, f.exit_code);
    std::fflush(stdout);
    worst = std::max(worst, f.exit_code);
  }
  std::filesystem::remove_all(dir);
  return worst == 0 ? 0 : 1;
}
