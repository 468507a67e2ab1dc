// dbt-rotate-bench: the speed figures the README quotes.
//
// Both emulators run in this process on loopback with a fixed latency added to every request
// (default 20 ms) and to every new connection (default 40 ms, what a TCP + TLS set-up costs a
// real client; --connection-ms 0 turns it off). Of the 40 ms, one request latency is the TCP
// handshake, paid from the moment the emulator accepts the connection (a client that connects
// ahead pays it while it waits), and the rest is the TLS handshake, paid at the connection's
// first request (libcurl only starts TLS when it uses the connection). Each round rotates a
// notebook-format secret with the real `dbt-rotate rotate` binary (a child process, exactly as
// cron would run it) and with the seed notebook's logic (bench/seed_notebook.py on Debian's
// Python, boto3 and requests). For each it prints wall time, round trips seen by the emulators,
// the critical path (the longest chain of requests that had to wait for one another: the
// rounds), the connections each emulator saw, time from process start to first contact (its
// first connection or request, whichever came first), and peak RSS. The floor of a run is
// rounds × latency + one connection set-up per host (two hosts). Targets for dbt-rotate: ≤ 11
// round trips, ≤ 8 rounds, wall ≤ 1.10 × floor, first contact ≤ 5 ms, peak RSS ≤ 15 MiB.
//
// Start-up times depend on the machine's state (see StartState), so each process starts cold
// or warm on purpose, and the floor under dbt-rotate is measured the same way: curl-floor, a
// program that links only libcurl and reports when its main() starts.

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
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "emulators/dbtcloud/dbtcloud_emulator.h"
#include "emulators/secretsmanager/emulator.h"

extern char** environ;

namespace dbtrotate::bench {
namespace {

using Steady = std::chrono::steady_clock;
using emulators::RequestRecord;

struct RunFigures {
  double wall_ms = 0;
  double first_contact_ms = 0;
  long peak_rss_kib = 0;
  int round_trips = 0;
  int critical_path = 0;
  std::size_t dbt_connections = 0;
  std::size_t sm_connections = 0;
  int exit_code = -1;
  std::vector<std::string> timeline;  // one line per request, for --timeline
};

struct Child {
  int exit_code = -1;
  long peak_rss_kib = 0;
  std::string out;  // stdout, when captured
};

// The machine's state when a measured process starts. Start-up times on a VM depend on it more
// than on anything a program does: after the CPUs slept, a process runs its first milliseconds
// with cold caches. kCold: 300 ms of sleep first (a lone cron job). kWarm: the same program
// started and exited just before (rotating many secrets in a row).
enum class StartState { kCold, kWarm };

const char* Name(StartState state) { return state == StartState::kCold ? "cold" : "warm"; }

Child Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
            bool capture_stdout = false) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  int out_pipe[2] = {-1, -1};
  if (capture_stdout && pipe(out_pipe) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (capture_stdout) {
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  }
  posix_spawn_file_actions_addopen(&actions, 2, "/tmp/dbt-rotate-bench.stderr",
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = 0;
  Child child;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (capture_stdout) {
    close(out_pipe[1]);
    char buffer[256];
    ssize_t n = 0;
    while (spawned == 0 && (n = read(out_pipe[0], buffer, sizeof buffer)) > 0)
      child.out.append(buffer, static_cast<std::size_t>(n));
    close(out_pipe[0]);
  }
  if (spawned != 0) return child;
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  child.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  child.peak_rss_kib = usage.ru_maxrss;
  return child;
}

void Prepare(StartState state, const std::vector<std::string>& warm_up,
             const std::vector<std::string>& env) {
  if (state == StartState::kCold) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  } else {
    Spawn(warm_up, env, /*capture_stdout=*/true);
  }
}

// Longest chain of requests where each one arrived after the previous one was answered.
int CriticalPath(std::vector<RequestRecord> records) {
  std::sort(records.begin(), records.end(),
            [](const auto& a, const auto& b) { return a.received_at < b.received_at; });
  std::vector<int> chain(records.size(), 1);
  int longest = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (records[j].finished_at <= records[i].received_at)
        chain[i] = std::max(chain[i], chain[j] + 1);
    }
    longest = std::max(longest, chain[i]);
  }
  return longest;
}

struct Bench {
  emulators::DbtCloudEmulator dbt;
  emulators::secretsmanager::SecretsManagerEmulator sm;
  std::int64_t account = 0;
  aws::Credentials credentials;
  std::string secret_key = "benchmarkbenchmarkbenchmarkbenchmark0000";
  std::vector<std::string> base_env;

  bool Start(int latency_ms, int connection_ms) {
    emulators::DbtBehavior behavior;
    behavior.delete_reply = emulators::DbtDeleteReply::kOkEnvelope;  // the notebook calls .json()
    dbt.SetBehavior(behavior);
    if (!dbt.Start()) return false;
    account = dbt.CreateAccount("Bench");
    credentials.access_key_id = "AKIABENCHMARK0000000";
    credentials.secret_access_key = SecretString::CopyOf(secret_key);
    sm.AddCredentials(credentials);
    if (!sm.Start()) return false;
    dbt.SetLatency(std::chrono::milliseconds(latency_ms));
    sm.SetLatency(std::chrono::milliseconds(latency_ms));
    // A new connection costs a TCP handshake (one round trip, paid from the connect) and a TLS
    // handshake (the rest, paid when the client first uses the connection).
    const int tcp_ms = std::min(latency_ms, connection_ms);
    for (auto* faults : {&dbt.faults(), &sm.faults()}) {
      faults->SetAcceptLatency(std::chrono::milliseconds(tcp_ms));
      faults->SetConnectionLatency(std::chrono::milliseconds(connection_ms - tcp_ms));
    }
    base_env = {
        "AWS_ACCESS_KEY_ID=" + credentials.access_key_id,
        "AWS_SECRET_ACCESS_KEY=" + secret_key,
        "AWS_REGION=us-east-1",
        "AWS_DEFAULT_REGION=us-east-1",
        "AWS_ENDPOINT_URL_SECRETS_MANAGER=" + sm.endpoint_url(),
        "AWS_CONFIG_FILE=/nonexistent/dbt-rotate-bench/config",
        "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/dbt-rotate-bench/credentials",
        "AWS_EC2_METADATA_DISABLED=true",
        "DBT_CLOUD_HOST=" + dbt.base_url(),
        "DBT_CLOUD_ACCOUNT_ID=" + std::to_string(account),
        std::string("PATH=") + (std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin"),
        std::string("HOME=") + (std::getenv("HOME") ? std::getenv("HOME") : "/tmp")};
    return true;
  }

  // A secret in the notebook's format holding a fresh account_admin token.
  bool Seed(const std::string& name) {
    auto token = dbt.AddServiceToken(account, {name, emulators::DbtAdminGrants()});
    if (!token) return false;
    std::string value = fmt::format(
        R"({{"service_token_id": {}, "service_token": "{}", "last_rotated_datetime_utc": "2026-01-01T00:00:00+00:00"}})",
        token->id, token->token_string.expose());
    const bool ok = sm.store().SeedSecret(name, value).has_value();
    WipeString(value);
    return ok;
  }

  // `warm_up`: what kWarm starts first (it must not send requests).
  RunFigures Measure(StartState state, const std::vector<std::string>& argv,
                     const std::vector<std::string>& warm_up, const std::vector<std::string>& env) {
    Prepare(state, warm_up, env);
    dbt.log().ResetLog();
    sm.log().ResetLog();
    const std::size_t dbt_before = dbt.faults().ConnectionCount();
    const std::size_t sm_before = sm.faults().ConnectionCount();
    const auto start = Steady::now();
    const Child child = Spawn(argv, env);
    const auto end = Steady::now();
    auto records = dbt.log().Log();
    for (auto& r : sm.log().Log()) records.push_back(std::move(r));
    RunFigures figures;
    figures.exit_code = child.exit_code;
    figures.peak_rss_kib = child.peak_rss_kib;
    figures.wall_ms = std::chrono::duration<double, std::milli>(end - start).count();
    figures.round_trips = static_cast<int>(records.size());
    figures.critical_path = CriticalPath(records);
    figures.dbt_connections = dbt.faults().ConnectionCount() - dbt_before;
    figures.sm_connections = sm.faults().ConnectionCount() - sm_before;
    std::sort(records.begin(), records.end(),
              [](const auto& a, const auto& b) { return a.received_at < b.received_at; });
    const auto ms = [&](Steady::time_point at) {
      return std::chrono::duration<double, std::milli>(at - start).count();
    };
    for (const auto& r : records) {
      figures.timeline.push_back(
          fmt::format("{:8.2f} {:8.2f} ms  {}", ms(r.received_at), ms(r.finished_at), r.operation));
    }
    // First contact: the first connection or request, whichever reached an emulator first.
    auto first = end;
    for (const auto& r : records) first = std::min(first, r.received_at);
    for (auto* server : {&dbt.faults(), &sm.faults()}) {
      const char* name = server == &sm.faults() ? "Secrets Manager" : "dbt Cloud";
      for (const auto at : server->AcceptTimes()) {
        if (at < start) continue;
        first = std::min(first, at);
        figures.timeline.push_back(fmt::format("{:8.2f}          connection to {}", ms(at), name));
      }
    }
    std::sort(figures.timeline.begin(), figures.timeline.end());  // by time (fixed width)
    figures.timeline.push_back(fmt::format("{:8.2f} ms  exit", ms(end)));
    figures.first_contact_ms = std::chrono::duration<double, std::milli>(first - start).count();
    return figures;
  }
};

// curl-floor prints when its main() started; "first contact" is that moment here.
RunFigures MeasureFloor(StartState state, const std::string& floor,
                        const std::vector<std::string>& env) {
  Prepare(state, {floor}, env);
  const auto start = Steady::now();
  const Child child = Spawn({floor}, env, /*capture_stdout=*/true);
  const auto end = Steady::now();
  RunFigures figures;
  figures.exit_code = child.exit_code;
  figures.peak_rss_kib = child.peak_rss_kib;
  figures.wall_ms = std::chrono::duration<double, std::milli>(end - start).count();
  long long seconds = 0;
  long nanoseconds = 0;
  if (std::sscanf(child.out.c_str(), "%lld %ld", &seconds, &nanoseconds) == 2) {
    const Steady::time_point at{std::chrono::seconds(seconds) +
                                std::chrono::nanoseconds(nanoseconds)};
    figures.first_contact_ms = std::chrono::duration<double, std::milli>(at - start).count();
  } else {
    figures.exit_code = 1;
  }
  return figures;
}

// Peak RSS of one more run of `argv`, through peak-rss (bench/peak_rss.cc): a process spawned
// from here reports this process's high-water mark (the emulators'), not its own.
long PeakRssKib(std::vector<std::string> argv, const std::vector<std::string>& env) {
  const std::string out = "/tmp/dbt-rotate-bench.peak-rss";
  argv.insert(argv.begin(), {DBTROTATE_PEAK_RSS_PATH, out});
  const Child child = Spawn(argv, env, /*capture_stdout=*/true);
  long kib = 0;
  std::ifstream(out) >> kib;
  return child.exit_code == 0 ? kib : 0;
}

// Every run of a tool reports the one figure PeakRssKib measured for it.
void SetPeakRss(std::vector<RunFigures>& runs, long kib) {
  for (auto& run : runs) run.peak_rss_kib = kib;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

// Rounds × latency + one connection set-up for each of the two hosts.
double FloorMs(const RunFigures& run, int latency_ms, int connection_ms) {
  return run.critical_path * latency_ms + 2.0 * connection_ms;
}

void PrintRow(const char* tool, StartState state, const std::vector<RunFigures>& runs,
              int latency_ms, int connection_ms) {
  std::vector<double> wall, first, rss, ratio;
  for (const auto& r : runs) {
    wall.push_back(r.wall_ms);
    first.push_back(r.first_contact_ms);
    rss.push_back(static_cast<double>(r.peak_rss_kib) / 1024.0);
    const double floor = FloorMs(r, latency_ms, connection_ms);
    ratio.push_back(floor > 0 ? r.wall_ms / floor : 0);
  }
  const auto& last = runs.back();
  std::printf("%-20s %4s %7.1f ms %6d %7d %6zu %5zu %10.2f %12.2f ms %9.1f MiB   exit %d\n", tool,
              Name(state), Median(wall), last.round_trips, last.critical_path, last.dbt_connections,
              last.sm_connections, Median(ratio), Median(first), Median(rss), last.exit_code);
}

void PrintFloorRow(StartState state, const std::vector<RunFigures>& runs) {
  std::vector<double> first, rss;
  for (const auto& r : runs) {
    first.push_back(r.first_contact_ms);
    rss.push_back(static_cast<double>(r.peak_rss_kib) / 1024.0);
  }
  std::printf("%-20s %4s %52s %9.2f ms %9.1f MiB   exit %d\n", "libcurl floor", Name(state),
              "(only links libcurl; time to its main())", Median(first), Median(rss),
              runs.back().exit_code);
}

}  // namespace
}  // namespace dbtrotate::bench

int main(int argc, char** argv) {
  using namespace dbtrotate::bench;
  int latency_ms = 20;
  int connection_ms = 40;
  int rounds = 5;
  bool timeline = false;
  std::string binary = DBTROTATE_BINARY_PATH;
  std::string floor = DBTROTATE_FLOOR_PATH;
  std::string notebook = DBTROTATE_SOURCE_DIR "/bench/seed_notebook.py";
  // The seed notebook's logic on Debian's Python, boto3 and requests (not whatever python3
  // comes first on PATH).
  std::string python = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--latency-ms") latency_ms = std::atoi(argv[i + 1]);
    if (flag == "--connection-ms") connection_ms = std::atoi(argv[i + 1]);
    if (flag == "--rounds") rounds = std::max(1, std::atoi(argv[i + 1]));
    if (flag == "--binary") binary = argv[i + 1];
    if (flag == "--timeline") timeline = std::atoi(argv[i + 1]) != 0;
  }

  Bench bench;
  if (!bench.Start(latency_ms, connection_ms) || !bench.Seed("bench-dbt-rotate") ||
      !bench.Seed("bench-notebook")) {
    std::fprintf(stderr, "dbt-rotate-bench: cannot start or seed the emulators\n");
    return 1;
  }

  const std::vector<std::string> rotate = {binary,        "--quiet",          "rotate",
                                           "--secret-id", "bench-dbt-rotate", "--force"};
  auto notebook_env = bench.base_env;
  notebook_env.push_back("BENCH_DBT_BASE_URL=" + bench.dbt.base_url());
  notebook_env.push_back("BENCH_DBT_ACCOUNT_ID=" + std::to_string(bench.account));
  notebook_env.push_back("BENCH_SECRET_NAME=bench-notebook");
  notebook_env.push_back("BENCH_SM_ENDPOINT=" + bench.sm.endpoint_url());

  std::vector<RunFigures> ours_cold, ours_warm, seed, floor_cold, floor_warm;
  for (int round = 0; round < rounds; ++round) {
    ours_cold.push_back(bench.Measure(StartState::kCold, rotate, {}, bench.base_env));
    ours_warm.push_back(
        bench.Measure(StartState::kWarm, rotate, {binary, "--version"}, bench.base_env));
    seed.push_back(bench.Measure(StartState::kCold, {python, notebook}, {}, notebook_env));
    floor_cold.push_back(MeasureFloor(StartState::kCold, floor, bench.base_env));
    floor_warm.push_back(MeasureFloor(StartState::kWarm, floor, bench.base_env));
  }

  const long ours_rss = PeakRssKib(rotate, bench.base_env);
  SetPeakRss(ours_cold, ours_rss);
  SetPeakRss(ours_warm, ours_rss);
  SetPeakRss(seed, PeakRssKib({python, notebook}, notebook_env));
  const long floor_rss = PeakRssKib({floor}, bench.base_env);
  SetPeakRss(floor_cold, floor_rss);
  SetPeakRss(floor_warm, floor_rss);

  std::printf(
      "dbt-rotate-bench: %d rounds, %d ms added to every request and %d ms to every new "
      "connection, medians; cold = started after 300 ms idle, warm = started right after the "
      "same program; floor = rounds x %d ms + 2 hosts x %d ms\n",
      rounds, latency_ms, connection_ms, latency_ms, connection_ms);
  std::printf("%-20s %4s %10s %6s %7s %6s %5s %10s %15s %13s\n", "tool", "start", "wall", "trips",
              "rounds", "dbt-c", "sm-c", "wall/floor", "first contact", "peak RSS");
  PrintRow("dbt-rotate rotate", StartState::kCold, ours_cold, latency_ms, connection_ms);
  PrintRow("dbt-rotate rotate", StartState::kWarm, ours_warm, latency_ms, connection_ms);
  PrintRow("seed notebook (py)", StartState::kCold, seed, latency_ms, connection_ms);
  PrintFloorRow(StartState::kCold, floor_cold);
  PrintFloorRow(StartState::kWarm, floor_warm);
  std::printf(
      "targets for dbt-rotate: round trips <= 11, rounds <= 8, wall/floor <= 1.10, "
      "first contact <= 5 ms, peak RSS <= 15 MiB\n");
  if (timeline) {
    std::printf("last warm dbt-rotate run: each request received / answered, from the spawn\n");
    for (const auto& line : ours_warm.back().timeline) std::printf("  %s\n", line.c_str());
  }
  const bool failed = ours_cold.back().exit_code != 0 || ours_warm.back().exit_code != 0 ||
                      seed.back().exit_code != 0 || floor_cold.back().exit_code != 0 ||
                      floor_warm.back().exit_code != 0;
  if (failed)
    std::fprintf(stderr, "dbt-rotate-bench: a run failed; see /tmp/dbt-rotate-bench.stderr\n");
  return failed ? 1 : 0;
}
