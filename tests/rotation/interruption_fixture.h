#ifndef DBTROTATE_TESTS_ROTATION_INTERRUPTION_FIXTURE_H_
#define DBTROTATE_TESTS_ROTATION_INTERRUPTION_FIXTURE_H_

// A rotation set up to be interrupted: the rotated token, same-named bystanders (one created
// a minute before the run, inside the orphan search's clock-skew window) that must survive,
// and either self-rotation or a manager. Plus the end-state check shared by the crash, fault
// and concurrency suites: guarantees 1–4 after the dust settles.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "harness.h"
#include "rotation/intent.h"
#include "world.h"

namespace dbtrotate::testing {

struct InterruptionSetup {
  std::string secret;
  std::string name;  // the rotated token's name
  std::int64_t old_id = 0;
  /// With overlap until-next: the token before `old_id`, still valid, which the rotation
  /// supersedes and must revoke.
  std::optional<std::int64_t> superseded_id;
  std::set<std::int64_t> bystanders;  // same name, not ours: must stay active
  std::optional<std::int64_t> manager_id;
  rotation::RotateOptions options;
};

inline InterruptionSetup PrepareInterruption(
    Harness& h, bool manager, rotation::OverlapKind overlap = rotation::OverlapKind::kNone) {
  using namespace std::chrono;
  InterruptionSetup setup;
  auto& clock = h.clock();
  std::vector<dbtcloud::PermissionGrant> grants = AdminGrants();
  if (manager) {
    setup.secret = "dbt/runner";
    setup.name = "nightly-runner";
    grants = {{"job_runner", 7, std::vector<std::string>{}},
              {"job_viewer", std::nullopt, std::vector<std::string>{}}};
    auto admin = h.CreateToken("rotation-manager", AdminGrants());
    h.SeedSecret("dbt/manager", admin, clock.Now());
    setup.manager_id = admin.id;
  } else {
    setup.secret = "dbt_cloud_admin_service_token";
    setup.name = setup.secret;
  }
  setup.bystanders.insert(h.CreateToken(setup.name, grants).id);
  clock.Advance(hours(24));
  auto old = h.CreateToken(setup.name, grants);
  h.SeedSecret(setup.secret, old, clock.Now() - hours(24 * 40), rotation::Json{{"team", "data"}});
  setup.old_id = old.id;
  clock.Advance(minutes(59));
  setup.bystanders.insert(h.CreateToken(setup.name, grants).id);
  clock.Advance(minutes(1));

  setup.options = h.Options(setup.secret);
  setup.options.min_age = hours(24 * 30);
  setup.options.overlap = {overlap, {}};
  if (manager) setup.options.connection.manager_secret_id = "dbt/manager";
  if (overlap == rotation::OverlapKind::kUntilNext) {
    // One rotation already done: the old token's predecessor is still valid and recorded.
    auto first = h.Rotate(setup.options);
    EXPECT_EQ(first.outcome, rotation::Outcome::kRotated) << first.message;
    setup.superseded_id = setup.old_id;
    setup.old_id = first.new_token_id.value_or(0);
    clock.Advance(hours(24 * 31));
  }
  return setup;
}

/// After everything: AWSCURRENT works and is not the old token; the old token is revoked (or,
/// with until-next, recorded as previous while its predecessor is revoked); exactly those and
/// the bystanders are active under the name; the user's key survived; no unfinished rotation.
inline void ExpectSettled(Harness& h, const InterruptionSetup& setup) {
  EXPECT_TRUE(h.CurrentTokenWorks(setup.secret));
  const std::int64_t current = h.CurrentTokenId(setup.secret);
  EXPECT_NE(current, setup.old_id);
  std::set<std::int64_t> expected = setup.bystanders;
  expected.insert(current);
  if (setup.superseded_id) {
    EXPECT_FALSE(h.IsActive(*setup.superseded_id));
    EXPECT_EQ(h.Current(setup.secret)["previous_service_token_id"], setup.old_id);
    expected.insert(setup.old_id);
  } else {
    EXPECT_FALSE(h.IsActive(setup.old_id));
  }
  EXPECT_EQ(h.ActiveIds(setup.name), expected);
  EXPECT_EQ(h.Current(setup.secret)["team"], "data");
  EXPECT_FALSE(h.UnfinishedPending(setup.secret).has_value());
  if (setup.manager_id) {
    EXPECT_TRUE(h.IsActive(*setup.manager_id));
  }
}

/// Every token active under the name is the current one, the recorded previous one, or a
/// bystander: nothing this tool created is left unaccounted for.
inline ::testing::AssertionResult NoUntrackedTokens(Harness& h, const InterruptionSetup& setup) {
  auto current = h.Current(setup.secret);
  std::set<std::int64_t> allowed = setup.bystanders;
  allowed.insert(current.value("service_token_id", std::int64_t{0}));
  allowed.insert(current.value("previous_service_token_id", std::int64_t{0}));
  std::optional<rotation::Intent> intent;
  if (auto pending = h.UnfinishedPending(setup.secret)) {
    // A pending version is tracked state: its stored token, or what its intent's scan finds.
    auto value = h.world().Secrets().GetSecretValue({setup.secret, *pending, std::nullopt});
    if (value && value->secret_string) {
      auto doc = rotation::Json::parse(value->secret_string->expose(), nullptr, false);
      if (rotation::IsIntentDocument(doc)) {
        auto parsed = rotation::ParseIntent(doc, "pending");
        if (parsed) intent = std::move(*parsed);
      } else if (doc.is_object()) {
        allowed.insert(doc.value("service_token_id", std::int64_t{0}));
      }
    }
  }
  for (std::int64_t id : h.ActiveIds(setup.name)) {
    const bool scanned =
        intent && std::any_of(intent->scans.begin(), intent->scans.end(), [&](const auto& scan) {
          return std::find(scan.exclude_ids.begin(), scan.exclude_ids.end(), id) ==
                 scan.exclude_ids.end();
        });
    if (allowed.count(id) == 0 && !scanned) {
      return ::testing::AssertionFailure() << "token " << id << " is active and untracked";
    }
  }
  return ::testing::AssertionSuccess();
}

inline bool OneOf(rotation::Outcome outcome, std::initializer_list<rotation::Outcome> allowed) {
  for (auto o : allowed) {
    if (o == outcome) return true;
  }
  return false;
}

/// (world, manager?, overlap, fault kind): every combination for `worlds`.
using InterruptionParam = std::tuple<WorldParam, bool, rotation::OverlapKind, FaultKind>;

inline std::vector<InterruptionParam> InterruptionParams(const std::vector<WorldParam>& worlds) {
  std::vector<InterruptionParam> params;
  for (const auto& world : worlds) {
    for (bool manager : {false, true}) {
      for (auto overlap : {rotation::OverlapKind::kNone, rotation::OverlapKind::kUntilNext}) {
        for (auto kind : {FaultKind::kCrashBefore, FaultKind::kCrashAfter, FaultKind::kErrorBefore,
                          FaultKind::kErrorAfter}) {
          params.emplace_back(world, manager, overlap, kind);
        }
      }
    }
  }
  return params;
}

inline std::string InterruptionName(const ::testing::TestParamInfo<InterruptionParam>& info) {
  std::string kind = FaultKindName(std::get<3>(info.param));
  kind.erase(std::remove(kind.begin(), kind.end(), '-'), kind.end());
  return std::get<0>(info.param).name + (std::get<1>(info.param) ? "Manager" : "Self") +
         (std::get<2>(info.param) == rotation::OverlapKind::kNone ? "None" : "UntilNext") + kind;
}

/// Crash or fail at every call index of a rotation, then run again (interruption_test.cc).
class InterruptionTest : public ::testing::TestWithParam<InterruptionParam> {
 protected:
  struct Run {
    std::unique_ptr<World> world;
    std::unique_ptr<Harness> harness;
    InterruptionSetup setup;
  };
  Run Fresh() {
    Run run;
    run.world = std::get<0>(GetParam()).make();
    run.harness = std::make_unique<Harness>(*run.world);
    run.setup = PrepareInterruption(*run.harness, std::get<1>(GetParam()), std::get<2>(GetParam()));
    return run;
  }
  /// How many calls an uninterrupted rotation makes.
  int CallsOfACleanRun() {
    Run run = Fresh();
    auto plan = std::make_shared<FaultPlan>();
    auto report = run.harness->Rotate(run.setup.options, plan);
    EXPECT_EQ(report.outcome, rotation::Outcome::kRotated) << report.message;
    ExpectSettled(*run.harness, run.setup);
    return plan->calls();
  }
};

/// (world, manager?, overlap): a second run at every call of the first (concurrency_test.cc).
using ConcurrencyParam = std::tuple<WorldParam, bool, rotation::OverlapKind>;

inline std::vector<ConcurrencyParam> ConcurrencyParams(const std::vector<WorldParam>& worlds) {
  std::vector<ConcurrencyParam> params;
  for (const auto& world : worlds) {
    for (bool manager : {false, true}) {
      for (auto overlap : {rotation::OverlapKind::kNone, rotation::OverlapKind::kUntilNext}) {
        params.emplace_back(world, manager, overlap);
      }
    }
  }
  return params;
}

inline std::string ConcurrencyName(const ::testing::TestParamInfo<ConcurrencyParam>& info) {
  return std::get<0>(info.param).name + (std::get<1>(info.param) ? "Manager" : "Self") +
         (std::get<2>(info.param) == rotation::OverlapKind::kNone ? "OverlapNone" : "UntilNext");
}

class ConcurrencyTest : public ::testing::TestWithParam<ConcurrencyParam> {};

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_ROTATION_INTERRUPTION_FIXTURE_H_
