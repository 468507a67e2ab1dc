#include "rotation/rotate_run.h"

#include <fmt/format.h>

#include <algorithm>

#include "rotation/duration.h"
#include "rotation/grants.h"
#include "rotation/iso_time.h"
#include "rotation/lambda_checks.h"
#include "rotation/lock.h"
#include "rotation/previous_token.h"
#include "rotation/rotation_basis.h"
#include "rotation/token_ops.h"

namespace dbtrotate::rotation::internal {
namespace {

// ReadState → resolve an abandoned rotation → ReadState again: a bound, not a loop.
constexpr int kMaxRounds = 3;

}  // namespace

Report RotateRun::Execute() {
  report_.secret_id = options_.secret_id;
  Stop end = Run();
  return context_.Finish(std::move(report_), std::move(end));
}

std::optional<Stop> RotateRun::ValidateOptions() const {
  auto bad = [](std::string message) {
    return std::optional<Stop>(Stop{Outcome::kInvalidInput, std::move(message)});
  };
  if (options_.secret_id.empty()) return bad("no secret id given");
  if (options_.lease <= Duration{0}) return bad("the lease must be longer than 0");
  if (options_.clock_skew < Duration{0}) return bad("the clock skew must not be negative");
  if (options_.min_age && *options_.min_age < Duration{0}) return bad("--min-age is negative");
  if (options_.token_name && options_.token_name->empty()) return bad("--token-name is empty");
  if (options_.grants && options_.grants->empty()) return bad("--permissions lists no grants");
  if (options_.overlap.kind == OverlapKind::kDuration && options_.overlap.duration <= Duration{0}) {
    return bad("--overlap duration must be longer than 0");
  }
  if (options_.connection.manager_secret_id &&
      *options_.connection.manager_secret_id == options_.secret_id) {
    return bad("--manager-secret names the rotated secret itself; omit it for self-rotation");
  }
  if (options_.connection.account_id && *options_.connection.account_id <= 0) {
    return bad("--account-id must be a positive number");
  }
  if (options_.connection.access_url && options_.connection.access_url->empty()) {
    return bad("--access-url is empty");
  }
  return std::nullopt;
}

Stop RotateRun::Run() {
  if (auto bad = ValidateOptions()) return *bad;
  for (int round = 0; round < kMaxRounds; ++round) {
    auto state = ReadState(context_, options_.secret_id, options_.connection);
    if (!state) return state.error();
    report_.old_token_id = state->current.service_token_id;
    auto acting = MakeActing(context_, *state);
    if (!acting) return acting.error();

    if (state->pending_version) {
      auto pending =
          ReadPending(context_, options_.secret_id, *state->pending_version, options_.lease);
      if (!pending) return pending.error();
      report_.pending_found = pending->info;
      if (pending->info.kind == PendingInfo::Kind::kForeign) {
        return Stop{Outcome::kNeedsAttention,
                    fmt::format("{}: {}. dbt-rotate leaves it alone. Finish or cancel that "
                                "rotation, or if it is dead remove the label: {}",
                                DescribePending(pending->info), pending->foreign_reason,
                                RemoveLockCommand(options_.secret_id, pending->info.version_id))};
      }
      if (pending->info.kind == PendingInfo::Kind::kSecretsManager) {
        return Stop{options_.dry_run ? Outcome::kPlanned : Outcome::kFailedSafely,
                    RotationInFlightMessage(options_.secret_id, pending->info)};
      }
      const bool owner_dead = context_.OwnerIsDead(pending->info.rotation_id);
      if (owner_dead) {
        report_.warnings.push_back(fmt::format(
            "the run that wrote AWSPENDING version {} ran on this machine and is gone; resuming "
            "its rotation without waiting for the lease",
            pending->info.version_id));
      }
      if (!pending->info.stale && !options_.takeover && !owner_dead) {
        std::string message = fmt::format(
            "another run is rotating this secret ({}); it becomes resumable at {}. Nothing was "
            "changed. If that run is known to be dead, rerun with --takeover",
            DescribePending(pending->info), LeaseEnd(pending->info.since.value_or(SystemTime{})));
        if (options_.dry_run) {
          report_.plan = Plan{false, "another run holds the rotation lock", {}, {}, {}, {message}};
          return Stop{Outcome::kPlanned, "dry run: " + message};
        }
        return Stop{Outcome::kFailedSafely, message};
      }
      if (options_.dry_run) return PlanPending(*state, *acting, *pending);
      if (auto end = ResolvePending(*state, *acting, *pending)) return *end;
      rolled_back_ = true;
      continue;  // the abandoned rotation is undone: look again from the start
    }

    auto due = CheckDue(*state, *acting);
    if (!due) return due.error();
    if (!due->due) return NotDue(*state, *acting, *due);
    return RotateFresh(*state, *acting, *due);
  }
  return Stop{Outcome::kNeedsAttention,
              "the secret's AWSPENDING state kept changing while this run resolved it; another "
              "process is rotating this secret. Nothing more was changed; run `dbt-rotate "
              "status` and retry later"};
}

Flow<RotateRun::Due> RotateRun::CheckDue(const SecretState& state, const Acting& acting) {
  if (options_.force) return Due{true, "forced"};
  if (!options_.min_age) return Due{true, "no minimum age set"};
  auto step = context_.Begin("check age");
  SystemTime basis;
  std::string basis_name;
  if (state.current.last_rotated) {
    basis = *state.current.last_rotated;
    basis_name = kKeyLastRotated;
  } else {
    auto row = acting.api->GetServiceToken(state.current.service_token_id);
    if (!row) {
      step.Failed(Describe(row.error()));
      return Fail(DbtStop(row.error(), acting,
                          fmt::format("reading token {}", state.current.service_token_id)));
    }
    auto created = ParseIsoTime(row->created_at);
    if (!created) {
      step.Failed("no readable created_at");
      return StopWith(Outcome::kInvalidInput,
                      fmt::format("cannot tell the age of token {}: the secret has no '{}' and "
                                  "dbt's created_at is not readable; pass --force",
                                  row->id, kKeyLastRotated));
    }
    basis = *created;
    basis_name = "created_at";
  }
  const auto age = std::chrono::duration_cast<Duration>(context_.Now() - basis);
  Due due;
  due.due = age >= *options_.min_age;
  due.reason = fmt::format("age {} (from {}) {} minimum age {}", FormatDuration(age), basis_name,
                           due.due ? "reached" : "below", FormatDuration(*options_.min_age));
  step.Ok(due.reason);
  return due;
}

Stop RotateRun::NotDue(const SecretState& state, const Acting& acting, const Due& due) {
  const auto& current = state.current;
  const bool previous_due = current.previous_service_token_id &&
                            *current.previous_service_token_id != current.service_token_id &&
                            current.previous_revoke_after &&
                            *current.previous_revoke_after <= context_.Now();
  if (options_.dry_run) {
    Plan plan;
    plan.rotate = false;
    plan.reason = due.reason;
    if (previous_due) {
      auto row = acting.api->GetServiceToken(*current.previous_service_token_id);
      if (row && row->active()) {
        plan.revocations.push_back(
            {row->id, fmt::format("now: previous token, due since {}",
                                  FormatIsoTime(*current.previous_revoke_after))});
      }
    }
    report_.plan = std::move(plan);
    return Stop{Outcome::kPlanned, "dry run: not due (" + due.reason + "); nothing was written"};
  }
  if (auto failed = RevokeDuePrevious(state, acting)) return *failed;
  std::string message = "not due: " + due.reason;
  if (rolled_back_) {
    return Stop{Outcome::kRolledBack, "an abandoned rotation was rolled back; " + message};
  }
  return Stop{Outcome::kNotDue, message};
}

std::optional<Stop> RotateRun::RevokeDuePrevious(const SecretState& state, const Acting& acting) {
  const auto& current = state.current;
  if (!current.previous_service_token_id ||
      *current.previous_service_token_id == current.service_token_id ||
      !current.previous_revoke_after || *current.previous_revoke_after > context_.Now()) {
    return std::nullopt;
  }
  const std::int64_t previous = *current.previous_service_token_id;
  auto step = context_.Begin("revoke previous token");
  auto revocation = RevokeProvenPrevious(context_, options_.secret_id, *acting.api, previous);
  if (!revocation.unproven.empty()) {
    step.Failed("not proven to be this secret's token");
    return Stop{Outcome::kNeedsAttention, revocation.unproven};
  }
  if (!revocation.error.empty()) {
    step.Failed(revocation.error);
    return Stop{
        Outcome::kFailedSafely,
        fmt::format("previous token {} is due for revocation since {} but could not be "
                    "revoked: {}. It stays recorded in the secret; the next run tries "
                    "again",
                    previous, FormatIsoTime(*current.previous_revoke_after), revocation.error)};
  }
  if (revocation.revoked) report_.revoked_token_ids.push_back(previous);
  step.Ok(fmt::format("token {} {}", previous, revocation.revoked ? "revoked" : "already revoked"));
  return std::nullopt;
}

void RotateRun::PlanOldRevocation(std::int64_t old_id, Plan& plan) const {
  switch (options_.overlap.kind) {
    case OverlapKind::kNone:
      plan.revocations.push_back({old_id, "right after the new token is current (overlap none)"});
      break;
    case OverlapKind::kUntilNext:
      plan.notes.push_back(
          fmt::format("token {} stays valid until the next rotation (overlap until-next)", old_id));
      break;
    case OverlapKind::kDuration:
      plan.notes.push_back(
          fmt::format("token {} stays valid for {} after the rotation, then the "
                      "first run after that revokes it",
                      old_id, FormatDuration(options_.overlap.duration)));
      break;
  }
}

Stop RotateRun::RotateFresh(const SecretState& state, const Acting& acting, const Due& due) {
  const std::int64_t old_id = state.current.service_token_id;
  // Who exists, what the old token may do, and whether the secret's string is that token.
  auto basis =
      ReadRotationBasis(context_, state, acting, options_.grants, options_.secret_id, kCliNames);
  if (!basis) return UnlessRotatedMeanwhile(state, basis.error());
  const auto& tokens = basis->tokens;
  const auto& grants = basis->grants;
  const std::string name = options_.token_name.value_or(basis->old_row.name);
  std::vector<std::int64_t> same_name;
  for (const auto& token : tokens) {
    if (token.name == name) same_name.push_back(token.id);
  }
  // The token two rotations back, if an earlier run left it alive: this rotation supersedes it.
  std::optional<dbtcloud::ServiceToken> superseded;
  if (const auto& prev = state.current.previous_service_token_id; prev && *prev != old_id) {
    auto row = std::find_if(tokens.begin(), tokens.end(),
                            [&](const auto& t) { return t.id == *prev && t.active(); });
    if (row != tokens.end()) superseded = *row;
  }

  if (options_.dry_run) {
    Plan plan;
    plan.rotate = true;
    plan.reason = due.reason;
    plan.token_name = name;
    plan.grants = grants;
    if (superseded) {
      plan.revocations.push_back(
          {superseded->id, "before creating the new token: the previous token, superseded"});
    }
    PlanOldRevocation(old_id, plan);
    plan.notes.push_back("no unfinished rotation found");
    report_.plan = std::move(plan);
    return Stop{Outcome::kPlanned,
                fmt::format("dry run: would rotate token {} ({}); nothing was written", old_id,
                            due.reason)};
  }

  // Guarantee 4: record what we are about to create before creating it, and take the lock.
  Intent intent;
  intent.rotation_id = context_.NewRotationId();
  intent.started_at = context_.Now();
  intent.scans.push_back(OrphanScan{name, intent.started_at, same_name});
  auto lock =
      AcquireLock(context_, options_.secret_id, SerializeIntent(intent),
                  state.pending_on_current ? std::optional(state.version_id) : std::nullopt);
  if (!lock) return lock.error();
  std::vector<std::string> ours{*lock};

  if (superseded) {
    if (auto stop = RevokeSupersededBeforeCreate(context_, options_.secret_id, *acting.api,
                                                 *superseded, report_.revoked_token_ids)) {
      ReleaseLock(context_, options_.secret_id, ours);
      return *stop;
    }
  }

  auto create = context_.Begin("create token");
  if (LeaseRunningOut(intent.started_at)) {
    create.Failed("lease ran out");
    ReleaseLock(context_, options_.secret_id, ours);
    return Stop{Outcome::kFailedSafely,
                "this run took longer than its lease before creating the token; it stopped so "
                "that it cannot collide with a run that takes over. Nothing was created"};
  }
  auto created = acting.api->CreateServiceToken(name, grants);
  if (!created) {
    create.Failed(Describe(created.error()));
    if (created.error().ambiguous) {
      // The reply was lost: a token may exist. Look for it exactly as the next run would.
      if (auto stop = CleanupIntent(acting, intent, *lock)) {
        stop->message =
            fmt::format("creating the token: {}; {}", Describe(created.error()), stop->message);
        return *stop;
      }
      return Stop{Outcome::kFailedSafely,
                  fmt::format("creating the token: {}. Any token it created was found and "
                              "revoked; the old token stays current",
                              Describe(created.error()))};
    }
    ReleaseLock(context_, options_.secret_id, ours);
    if (created.error().code == dbtcloud::ErrorCode::kUnauthenticated ||
        created.error().code == dbtcloud::ErrorCode::kForbiddenOrNotFound) {
      return UnlessRotatedMeanwhile(state, DbtStop(created.error(), acting, "creating the token"));
    }
    return Stop{Outcome::kFailedSafely,
                fmt::format("creating the token: {}; the old token stays current",
                            Describe(created.error()))};
  }
  const std::int64_t new_id = created->token.id;
  report_.new_token_id = new_id;
  create.Ok(fmt::format("token {} '{}'", new_id, name));

  // Guarantee 1: stored (AWSPENDING, own ClientRequestToken) and verified before it can become
  // current. The two are independent, so they run at once (one round, not two): a crash
  // before the store landed leaves an orphan that the intent finds, after it a pending version
  // that the next run verifies again.
  TokenSecret next = BuildNext(state, new_id, created->token_string, intent.rotation_id);
  auto step = context_.Begin("store new token (AWSPENDING) and verify it");
  if (LeaseRunningOut(intent.started_at)) {
    step.Failed("lease ran out");
    return Abandon(acting, new_id, ours, "the lease ran out before the new token was stored");
  }
  auto verified = context_.Start([&] {
    return VerifyToken(context_, acting, new_id, next.service_token, grants,
                       VerifySettings{options_.verify_attempts, options_.verify_backoff});
  });
  auto pending = context_
                     .StartHere([&] {
                       return PutVersion(context_, options_.secret_id, SerializeTokenSecret(next),
                                         {aws::kStagePending});
                     })
                     .get();
  const auto verdict = verified.get();
  if (!pending) {
    step.Failed(Describe(pending.error()));
    return Abandon(acting, new_id, ours,
                   fmt::format("storing the new token failed: {}", Describe(pending.error())));
  }
  ours.insert(ours.begin(), *pending);
  if (verdict.verdict != Verdict::kAccepted) {
    step.Failed(verdict.detail);
    return Abandon(acting, new_id, ours, "verifying the new token: " + verdict.detail);
  }
  step.Ok(fmt::format("version {}; {}", *pending, verdict.detail));
  return PromoteAndFinish(state, acting, next, *pending, ours, intent.started_at,
                          Outcome::kRotated);
}

TokenSecret RotateRun::BuildNext(const SecretState& state, std::int64_t token_id,
                                 const SecretString& token, const std::string& rotation_id) {
  return BuildNextValue(state, token_id, token, options_.overlap, context_.Now(), rotation_id);
}

Stop RotateRun::PromoteAndFinish(const SecretState& state, const Acting& acting,
                                 const TokenSecret& next, const std::string& pending_version,
                                 const std::vector<std::string>& ours, SystemTime lease_start,
                                 Outcome outcome) {
  auto promote = context_.Begin("promote to AWSCURRENT");
  if (LeaseRunningOut(lease_start)) {
    promote.Failed("lease ran out");
    return Abandon(acting, next.service_token_id, ours,
                   "the lease ran out before the new token could be promoted");
  }
  std::string why;
  switch (Promote(context_, options_.secret_id, pending_version, state.version_id, why)) {
    case Promotion::kDone:
      promote.Ok(fmt::format("version {}", pending_version));
      break;
    case Promotion::kLost:
      promote.Failed(why);
      return Abandon(acting, next.service_token_id, ours,
                     fmt::format("AWSCURRENT could not be moved ({})", why));
    case Promotion::kUnknown:
      promote.Failed(why);
      return Stop{Outcome::kFailedSafely,
                  fmt::format("the promotion's result is unknown ({}): AWSCURRENT holds either "
                              "the old or the new token, both valid. The next run finishes the "
                              "rotation",
                              why)};
  }
  RevokeOldAfterPromotion(state, acting, next);
  std::string message = fmt::format("token {} replaced token {}", next.service_token_id,
                                    state.current.service_token_id);
  if (!next.previous_revoke_after) {
    message += fmt::format("; token {} stays valid until the next rotation",
                           state.current.service_token_id);
  } else if (*next.previous_revoke_after > context_.Now()) {
    message += fmt::format("; token {} stays valid until {}", state.current.service_token_id,
                           FormatIsoTime(*next.previous_revoke_after));
  }
  if (rolled_back_) message += " (after rolling back an abandoned rotation)";
  return Stop{outcome, message};
}

void RotateRun::RevokeOldAfterPromotion(const SecretState& state, const Acting& acting,
                                        const TokenSecret& next) {
  if (!next.previous_revoke_after || *next.previous_revoke_after > context_.Now()) return;
  const std::int64_t old_id = state.current.service_token_id;
  auto step = context_.Begin("revoke old token");
  // Self-rotation: revoke with the new token, as the notebook does (it is the admin now).
  std::unique_ptr<dbtcloud::ServiceTokenApi> own;
  dbtcloud::ServiceTokenApi* api = acting.api.get();
  if (acting.self) {
    own = context_.Dbt(state.connection, next.service_token.Clone());
    if (own) api = own.get();
  }
  std::string error = Revoke(*api, old_id);
  if (!error.empty()) {
    step.Warn(error);
    report_.warnings.push_back(fmt::format(
        "the old token {} could not be revoked yet ({}); it is recorded in the secret and the "
        "next run revokes it",
        old_id, error));
    return;
  }
  report_.revoked_token_ids.push_back(old_id);
  step.Ok(fmt::format("token {}", old_id));
}

Stop RotateRun::Abandon(const Acting& acting, std::int64_t token_id,
                        const std::vector<std::string>& ours, const std::string& why) {
  auto step = context_.Begin("roll back");
  const std::string left = fmt::format(
      "AWSPENDING still records it, so the next run after {} cleans up. The old token stays "
      "current",
      LeaseEnd(context_.Now()));
  // Never revoke what AWSCURRENT references, whoever put it there.
  auto current = context_.sm().GetSecretValue(aws::GetSecretValueRequest{
      options_.secret_id, std::nullopt, std::string(aws::kStageCurrent)});
  if (!current) {
    step.Failed(Describe(current.error()));
    return Stop{Outcome::kFailedSafely,
                fmt::format("{}; could not re-read AWSCURRENT to roll back token {} safely "
                            "({}); {}",
                            why, token_id, Describe(current.error()), left)};
  }
  auto parsed = ParseTokenSecret(*current, SecretRole::kRotated, "AWSCURRENT");
  if (parsed &&
      (parsed->service_token_id == token_id || parsed->previous_service_token_id == token_id)) {
    ReleaseLock(context_, options_.secret_id, ours);
    step.Warn(fmt::format("token {} is referenced by AWSCURRENT now; kept", token_id));
    return Stop{Outcome::kFailedSafely,
                fmt::format("{}; token {} is referenced by AWSCURRENT (another run finished "
                            "this rotation), so it was kept",
                            why, token_id)};
  }
  std::string error = Revoke(*acting.api, token_id);
  if (!error.empty()) {
    step.Failed(error);
    return Stop{Outcome::kFailedSafely,
                fmt::format("{}; the new token {} could not be revoked ({}); {}", why, token_id,
                            error, left)};
  }
  report_.revoked_token_ids.push_back(token_id);
  if (!ReleaseLock(context_, options_.secret_id, ours)) {
    report_.warnings.push_back(fmt::format("could not release the rotation lock; it expires at {}",
                                           LeaseEnd(context_.Now())));
  }
  step.Ok(fmt::format("token {} revoked", token_id));
  return Stop{Outcome::kFailedSafely,
              fmt::format("{}; rolled back: the new token {} was revoked and the old token stays "
                          "current",
                          why, token_id)};
}

Stop RotateRun::UnlessRotatedMeanwhile(const SecretState& state, Stop stop) {
  if (stop.outcome == Outcome::kFailedSafely) return stop;
  auto current = context_.sm().GetSecretValue(aws::GetSecretValueRequest{
      options_.secret_id, std::nullopt, std::string(aws::kStageCurrent)});
  if (current && current->version_id != state.version_id) {
    return Stop{Outcome::kFailedSafely,
                "AWSCURRENT changed while this run was working: another run rotated the secret "
                "(and revoked the token this run had read). This run changed nothing; run again "
                "to check the new state"};
  }
  return stop;
}

bool RotateRun::LeaseRunningOut(SystemTime lease_start) {
  // Stop well before the lease ends: past it, another run may take over and must not find this
  // one still creating or writing.
  const Duration margin = std::min<Duration>(options_.lease / 4, std::chrono::minutes(2));
  return context_.Now() - lease_start >= options_.lease - margin;
}

std::string RotateRun::LeaseEnd(SystemTime since) const {
  return FormatIsoTime(since + options_.lease);
}

}  // namespace dbtrotate::rotation::internal
