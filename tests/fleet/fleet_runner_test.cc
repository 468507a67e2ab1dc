// Fleets end to end over the emulators with the real clients (fleet_world.h).

#include "fleet/fleet_runner.h"

#include <gtest/gtest.h>

#include <set>

#include "fleet_world.h"

namespace dbtrotate::fleet {
namespace {

using emulators::Fault;
using emulators::FaultRule;
using rotation::Outcome;
using testing::FleetWorld;

std::map<std::string, Outcome> Outcomes(const FleetReport& report) {
  std::map<std::string, Outcome> outcomes;
  for (const auto& entry : report.entries) outcomes[entry.name] = entry.report.outcome;
  return outcomes;
}

std::string Describe(const FleetReport& report) {
  std::string text;
  for (const auto& entry : report.entries) {
    text += entry.name + ": " + std::string(rotation::OutcomeName(entry.report.outcome)) + " " +
            entry.report.message + "\n";
  }
  return text;
}

FleetLimits Limits(int jobs, int dbt_per_minute) {
  FleetLimits limits;
  limits.jobs = jobs;
  limits.dbt = {dbt_per_minute, std::chrono::minutes(1), std::chrono::seconds(1)};
  return limits;
}

TEST(FleetRunnerTest, MixedFleetRotatesWhatIsDueAndOneFailureStopsNothing) {
  FleetWorld world;
  ASSERT_TRUE(world.ok()) << world.error();
  std::vector<FleetEntry> entries;
  std::map<std::string, std::int64_t> before;
  for (const std::string id : {"prod/a", "prod/b", "prod/c"}) {
    before[id] = world.SeedSecret(id);
    entries.push_back(world.Entry(id));
  }
  before["prod/not-due"] = world.SeedSecret("prod/not-due");
  entries.push_back(world.Entry("prod/not-due"));
  entries.back().rotate.force = false;
  entries.back().rotate.min_age = std::chrono::hours(24 * 30);

  world.SeedSecret("prod/manager");  // not in the fleet: it acts for job-runner
  before["prod/job-runner"] = world.SeedSecret("prod/job-runner", 0, {{"job_runner", 7, {}}});
  entries.push_back(world.Entry("prod/job-runner"));
  entries.back().rotate.connection.manager_secret_id = "prod/manager";

  before["prod/revoked"] = world.SeedSecret("prod/revoked", 0, emulators::DbtAdminGrants(), "",
                                            emulators::kDbtStateDeleted);
  entries.push_back(world.Entry("prod/revoked"));

  // dbt answers 500 to everything about this one token (its permission list).
  before["prod/broken"] = world.SeedSecret("prod/broken");
  entries.push_back(world.Entry("prod/broken"));
  const std::string broken_path = "/api/v3/accounts/" + std::to_string(world.account_id()) +
                                  "/service-tokens/" + std::to_string(before["prod/broken"]) +
                                  "/permissions/";
  world.dbt().faults().AddRule(
      FaultRule::When([broken_path](const auto& info) { return info.path == broken_path; },
                      Fault::Status(503), -1));

  entries.push_back(world.Entry("prod/missing"));  // no such secret

  FleetRunner runner(world.Deps(), Limits(4, 3000));
  const FleetReport report = runner.Run(entries, {});
  const auto outcomes = Outcomes(report);
  SCOPED_TRACE(Describe(report));
  for (const std::string id : {"prod/a", "prod/b", "prod/c", "prod/job-runner"}) {
    EXPECT_EQ(outcomes.at(id), Outcome::kRotated) << id;
    EXPECT_NE(world.CurrentTokenId(id), before[id]) << id;
    EXPECT_TRUE(world.CurrentAuthenticates(id)) << id;
  }
  EXPECT_EQ(outcomes.at("prod/not-due"), Outcome::kNotDue);
  EXPECT_EQ(world.CurrentTokenId("prod/not-due"), before["prod/not-due"]);
  EXPECT_EQ(outcomes.at("prod/revoked"), Outcome::kNeedsAttention);
  EXPECT_EQ(outcomes.at("prod/broken"), Outcome::kFailedSafely);
  EXPECT_EQ(world.CurrentTokenId("prod/broken"), before["prod/broken"]);
  EXPECT_TRUE(world.CurrentAuthenticates("prod/broken"));
  EXPECT_NE(rotation::ExitCode(outcomes.at("prod/missing")), 0);
  EXPECT_EQ(report.ExitCode(), 3);  // needs attention beats failed
  EXPECT_EQ(report.TooManyRequests(), 0);
  ASSERT_EQ(report.accounts.size(), 1U);  // one limiter for the one account
}

TEST(FleetRunnerTest, ExitCodeIsOneWhenTheWorstIsAFailure) {
  FleetWorld world;
  ASSERT_TRUE(world.ok()) << world.error();
  world.SeedSecret("ok");
  FleetRunner runner(world.Deps(), Limits(2, 3000));
  const auto report = runner.Run({world.Entry("ok"), world.Entry("missing")}, {});
  EXPECT_EQ(report.ExitCode(), 1) << Describe(report);
  const auto clean = runner.Run({world.Entry("ok")}, {});
  EXPECT_EQ(clean.ExitCode(), 0) << Describe(clean);
}

TEST(FleetRunnerTest, DryRunWritesNothing) {
  FleetWorld world;
  ASSERT_TRUE(world.ok()) << world.error();
  std::vector<FleetEntry> entries;
  for (int i = 0; i < 5; ++i) {
    world.SeedSecret("s" + std::to_string(i));
    entries.push_back(world.Entry("s" + std::to_string(i)));
  }
  const auto tokens = world.dbt().Tokens(world.account_id()).size();
  FleetRunner runner(world.Deps(), Limits(3, 3000));
  const auto report = runner.Run(entries, {.dry_run = true});
  for (const auto& entry : report.entries) EXPECT_EQ(entry.report.outcome, Outcome::kPlanned);
  EXPECT_EQ(world.dbt().Tokens(world.account_id()).size(), tokens);
  for (const auto& entry : report.entries) EXPECT_EQ(entry.report.requests.writes, 0);
}

// The server allows 30 requests a minute; the client is told 1,000. Every 429 pauses the account, and every rotation still finishes.
TEST(FleetRunnerTest, TooManyRequestsStormPausesTheAccountInsteadOfFailing) {
  emulators::DbtBehavior strict;
  strict.rate_limit.max_requests = 30;
  // A one-minute cool-down, announced: with five-minute ones, several pauses in one rotation
  // (and the shared fake clock, which every sleeping worker moves) can outlast the 15-minute
  // lease, and the engine then rolls that rotation back, safely but not what this test checks.
  strict.rate_limit.cooldown = std::chrono::minutes(1);
  strict.rate_limit.retry_after_seconds = 60;
  FleetWorld world({strict});
  ASSERT_TRUE(world.ok()) << world.error();
  std::vector<FleetEntry> entries;
  for (int i = 0; i < 8; ++i) {
    world.SeedSecret("s" + std::to_string(i));
    entries.push_back(world.Entry("s" + std::to_string(i)));
  }
  FleetRunner runner(world.Deps(), Limits(4, 1000));
  const auto report = runner.Run(entries, {});
  SCOPED_TRACE(Describe(report));
  for (const auto& entry : report.entries) EXPECT_EQ(entry.report.outcome, Outcome::kRotated);
  EXPECT_GT(report.TooManyRequests(), 0);
  ASSERT_EQ(report.accounts.size(), 1U);
  EXPECT_GT(report.accounts[0].limiter.pauses, 0);
  for (const auto& entry : entries) EXPECT_TRUE(world.CurrentAuthenticates(entry.name));
}

// Told the server's own limit, the fleet never gets a 429.
TEST(FleetRunnerTest, AtTheServersRateNoRequestIsRefused) {
  emulators::DbtBehavior strict;
  strict.rate_limit.max_requests = 40;
  FleetWorld world({strict});
  ASSERT_TRUE(world.ok()) << world.error();
  std::vector<FleetEntry> entries;
  for (int i = 0; i < 16; ++i) {
    world.SeedSecret("s" + std::to_string(i));
    entries.push_back(world.Entry("s" + std::to_string(i)));
  }
  // Four workers sharing the fake clock: while one request is between its send and its
  // arrival, another worker's sleep moves the clock by up to a window, so the server stamps the
  // arrival that much later: worse jitter than a real network's. A request counts until its
  // answer, so even that never exceeds the limit, with no margin at all.
  FleetLimits limits = Limits(4, 40);
  limits.dbt.margin = Duration(0);
  FleetRunner runner(world.Deps(), limits);
  const auto report = runner.Run(entries, {});
  SCOPED_TRACE(Describe(report));
  for (const auto& entry : report.entries) EXPECT_EQ(entry.report.outcome, Outcome::kRotated);
  EXPECT_EQ(report.TooManyRequests(), 0);
  const auto sent = report.accounts.at(0).limiter.acquired;
  EXPECT_GE(sent, 40 * 2);  // two windows' worth at least (5 dbt requests a rotation)
}

// Two accounts (two dbt hosts): the strict one gets 429s and pauses; the other never waits
// for it and gets none.
TEST(FleetRunnerTest, TwoAccountsWithDifferentLimitsAreLimitedApart) {
  emulators::DbtBehavior strict;
  strict.rate_limit.max_requests = 8;  // 3 rotations send 15 requests to this account
  strict.rate_limit.cooldown = std::chrono::minutes(1);  // see the storm test
  strict.rate_limit.retry_after_seconds = 60;
  FleetWorld world({strict, emulators::DbtBehavior{}});
  ASSERT_TRUE(world.ok()) << world.error();
  std::vector<FleetEntry> entries;
  for (int i = 0; i < 6; ++i) {
    const std::size_t account = static_cast<std::size_t>(i % 2);
    const std::string id = "acct" + std::to_string(account) + "/s" + std::to_string(i);
    world.SeedSecret(id, account);
    entries.push_back(world.Entry(id, account));
  }
  FleetRunner runner(world.Deps(), Limits(4, 1000));
  const auto report = runner.Run(entries, {});
  SCOPED_TRACE(Describe(report));
  for (const auto& entry : report.entries) EXPECT_EQ(entry.report.outcome, Outcome::kRotated);
  ASSERT_EQ(report.accounts.size(), 2U);
  for (const auto& account : report.accounts) {
    if (account.account_id == world.account_id(0)) {
      EXPECT_GT(account.too_many_requests, 0);
    } else {
      EXPECT_EQ(account.too_many_requests, 0);
      EXPECT_EQ(account.limiter.pauses, 0);
    }
  }
}

// Secrets Manager stops answering mid-fleet (as if the process died there): the rerun finishes
// or rolls back every unfinished rotation, and a third run finds nothing due.
TEST(FleetRunnerTest, CrashMidFleetThenRerunLeavesEverySecretWorking) {
  FleetWorld world;
  ASSERT_TRUE(world.ok()) << world.error();
  std::vector<FleetEntry> entries;
  for (int i = 0; i < 10; ++i) {
    world.SeedSecret("s" + std::to_string(i));
    entries.push_back(world.Entry("s" + std::to_string(i)));
  }
  world.sm().faults().AddRule(
      FaultRule::When([](const auto& info) { return info.index > 40; }, Fault::Drop(), -1));
  {
    FleetRunner crashed(world.Deps(), Limits(4, 3000));
    const auto report = crashed.Run(entries, {});
    EXPECT_NE(report.ExitCode(), 0) << Describe(report);
  }
  int unfinished = 0;
  for (const auto& entry : entries) unfinished += world.HasUnfinishedRotation(entry.name) ? 1 : 0;
  EXPECT_GT(unfinished, 0);

  world.sm().faults().ClearRules();
  world.clock().Advance(std::chrono::minutes(16));  // the dead run's lease has passed
  for (auto& entry : entries) {
    entry.rotate.force = false;
    entry.rotate.min_age = std::chrono::hours(24);
  }
  FleetRunner rerun(world.Deps(), Limits(4, 3000));
  const auto second = rerun.Run(entries, {});
  SCOPED_TRACE(Describe(second));
  const std::set<Outcome> settled = {Outcome::kRotated, Outcome::kResumed, Outcome::kRolledBack,
                                     Outcome::kNotDue};
  for (const auto& entry : second.entries) {
    EXPECT_TRUE(settled.contains(entry.report.outcome)) << entry.name;
    EXPECT_FALSE(world.HasUnfinishedRotation(entry.name)) << entry.name;
    EXPECT_TRUE(world.CurrentAuthenticates(entry.name)) << entry.name;
  }
  EXPECT_EQ(second.ExitCode(), 0);
  // No orphan survives: one active token per secret (overlap none).
  EXPECT_EQ(world.dbt().ActiveTokens(world.account_id()).size(), entries.size());

  const auto third = rerun.Run(entries, {});
  for (const auto& entry : third.entries) {
    EXPECT_EQ(entry.report.outcome, Outcome::kNotDue) << entry.name;
  }
}

TEST(FleetRunnerTest, NoTokenStringInAnyReport) {
  FleetWorld world;
  ASSERT_TRUE(world.ok()) << world.error();
  std::vector<FleetEntry> entries;
  for (int i = 0; i < 4; ++i) {
    world.SeedSecret("s" + std::to_string(i));
    entries.push_back(world.Entry("s" + std::to_string(i)));
  }
  FleetRunner runner(world.Deps(), Limits(2, 3000));
  const auto report = runner.Run(entries, {});
  for (const auto& entry : report.entries) {
    for (const auto& line : rotation::FormatReport(entry.report)) {
      EXPECT_EQ(line.find("dbtc_"), std::string::npos) << line;
    }
  }
}

}  // namespace
}  // namespace dbtrotate::fleet
