// The part of a rotation that deals with one left behind by an earlier run: take it over,
// finish it or undo it (README-design.md §5).

#include <fmt/format.h>

#include <set>

#include "rotation/grants.h"
#include "rotation/lock.h"
#include "rotation/rotate_run.h"
#include "rotation/rotation_basis.h"
#include "rotation/token_ops.h"
#include "rotation/previous_token.h"

namespace dbtrotate::rotation::internal {

std::optional<Stop> RotateRun::CleanupIntent(const Acting& acting, const Intent& intent,
                                             const std::string& lock_version) {
  auto step = context_.Begin("find and revoke orphans");
  auto current_future = context_.Start([&] {
    return context_.sm().GetSecretValue(aws::GetSecretValueRequest{
        options_.secret_id, std::nullopt, std::string(aws::kStageCurrent)});
  });
  auto tokens_future = context_.StartHere([&] { return acting.api->ListServiceTokens(true); });
  auto current = current_future.get();
  auto tokens = tokens_future.get();
  const std::string retry = fmt::format(
      "the intent stays in AWSPENDING (version {}) and the "
      "next run after {} retries",
      lock_version, LeaseEnd(context_.Now()));
  if (!current || !tokens) {
    std::string error = !current ? Describe(current.error()) : Describe(tokens.error());
    step.Failed(error);
    return Stop{
        Outcome::kFailedSafely,
        fmt::format("could not look for tokens left by the rotation: {}; {}", error, retry)};
  }
  // Whatever AWSCURRENT references now is never revoked, whoever put it there.
  auto parsed = ParseTokenSecret(*current, SecretRole::kRotated,
                                 fmt::format("secret '{}' (AWSCURRENT)", options_.secret_id));
  if (!parsed) {
    step.Failed("malformed AWSCURRENT");
    // The intent was written: never "invalid input" (exit 2 means nothing was written).
    return Stop{Outcome::kNeedsAttention, parsed.error().message + "; " + retry};
  }
  std::set<std::int64_t> protected_ids{parsed->service_token_id};
  if (parsed->previous_service_token_id) protected_ids.insert(*parsed->previous_service_token_id);
  auto search = FindOrphans(intent, *tokens, protected_ids, options_.clock_skew, options_.lease);
  if (!search.unresolved.empty()) {
    step.Failed("cannot attribute tokens");
    return Stop{Outcome::kNeedsAttention,
                fmt::format("{}. dbt-rotate revokes only tokens it can show it created. Revoke "
                            "whichever of them is not in use (dbt Cloud → Account settings → "
                            "Service tokens), then release the lock: {}",
                            fmt::join(search.unresolved, "; "),
                            RemoveLockCommand(options_.secret_id, lock_version))};
  }
  for (std::int64_t id : search.orphans) {
    std::string error = Revoke(*acting.api, id);
    if (!error.empty()) {
      step.Failed(error);
      return Stop{Outcome::kFailedSafely,
                  fmt::format("could not revoke token {} left by an interrupted rotation: {}; {}",
                              id, error, retry)};
    }
    report_.orphans_revoked.push_back(id);
    report_.revoked_token_ids.push_back(id);
  }
  if (!ReleaseLock(context_, options_.secret_id, {lock_version})) {
    report_.warnings.push_back(fmt::format(
        "could not release the rotation lock (AWSPENDING on version {}); it expires at {}",
        lock_version, LeaseEnd(context_.Now())));
  }
  step.Ok(search.orphans.empty() ? std::string("none found")
                                 : fmt::format("revoked {}", fmt::join(search.orphans, ", ")));
  return std::nullopt;
}

std::optional<Stop> RotateRun::TakeOverAndClean(const Acting& acting, const PendingRecord& pending,
                                                Intent record) {
  record.rotation_id = context_.NewRotationId();
  record.started_at = context_.Now();
  auto lock =
      AcquireLock(context_, options_.secret_id, SerializeIntent(record), pending.info.version_id);
  if (!lock) return lock.error();
  return CleanupIntent(acting, record, *lock);
}

std::optional<Stop> RotateRun::ResolvePending(const SecretState& state, const Acting& acting,
                                              const PendingRecord& pending) {
  if (pending.intent) {
    // The run died before storing a token. Its token string is lost, so any token it created
    // cannot be adopted: revoke it and start over. The takeover record carries the dead run's
    // scans, so a crash during the cleanup is cleaned up in turn.
    Intent record;
    record.scans = pending.intent->scans;
    record.revoke_token_ids = pending.intent->revoke_token_ids;
    return TakeOverAndClean(acting, pending, std::move(record));
  }

  const TokenSecret& stored = *pending.token;
  const TokenSecret& current = state.current;
  auto referenced = [&](std::int64_t id) {
    return id == current.service_token_id ||
           (current.previous_service_token_id && id == *current.previous_service_token_id);
  };
  if (stored.previous_service_token_id != current.service_token_id ||
      referenced(stored.service_token_id)) {
    // Built on another AWSCURRENT (someone changed it meanwhile): promoting it would lose that
    // change. Revoke its token unless the current secret uses it.
    Intent record;
    if (!referenced(stored.service_token_id)) {
      record.revoke_token_ids.push_back(stored.service_token_id);
    }
    report_.warnings.push_back(fmt::format(
        "the interrupted rotation stored token {} for a different AWSCURRENT; rolled back",
        stored.service_token_id));
    return TakeOverAndClean(acting, pending, std::move(record));
  }

  if (auto unbound = ProveCurrentBinding(context_, state, acting, options_.secret_id)) {
    return *unbound;
  }
  std::vector<dbtcloud::PermissionGrant> expected;
  if (options_.grants) {
    expected = *options_.grants;
  } else {
    auto step = context_.Begin("read old token's permissions");
    auto rows = acting.api->ListPermissions(current.service_token_id);
    if (!rows) {
      step.Failed(Describe(rows.error()));
      return DbtStop(rows.error(), acting,
                     fmt::format("reading the permissions of token {}", current.service_token_id));
    }
    expected = dbtcloud::GrantsFromPermissionRows(*rows);
    step.Ok(DescribeGrants(expected));
  }

  auto verify = context_.Begin("verify stored token");
  auto verdict =
      VerifyToken(context_, acting, stored.service_token_id, stored.service_token, expected,
                  VerifySettings{options_.verify_attempts, options_.verify_backoff});
  if (verdict.verdict == Verdict::kInconclusive) {
    verify.Failed(verdict.detail);
    return Stop{Outcome::kFailedSafely,
                fmt::format("cannot verify token {} stored by an interrupted rotation ({}); "
                            "nothing was changed, retry later",
                            stored.service_token_id, verdict.detail)};
  }
  if (verdict.verdict == Verdict::kRejected) {
    verify.Failed(verdict.detail);
    Intent record;
    record.revoke_token_ids.push_back(stored.service_token_id);
    return TakeOverAndClean(acting, pending, std::move(record));
  }
  verify.Ok(verdict.detail);

  // Finish it. The value is rebuilt from today's AWSCURRENT (fresh times, so an overlap
  // window starts at promotion) and written as the takeover version, which also takes the lock.
  report_.new_token_id = stored.service_token_id;
  const SystemTime lease_start = context_.Now();
  TokenSecret next = BuildNext(
      state, stored.service_token_id, stored.service_token,
      stored.rotation_id ? context_.OwnRotationId(*stored.rotation_id) : context_.NewRotationId());
  auto lock = AcquireLock(context_, options_.secret_id, SerializeTokenSecret(next),
                          pending.info.version_id);
  if (!lock) return lock.error();
  const std::vector<std::string> ours{*lock};
  if (const auto& prev = current.previous_service_token_id;
      prev && *prev != current.service_token_id && *prev != stored.service_token_id) {
    auto step = context_.Begin("revoke superseded previous token");
    auto revocation = RevokeProvenPrevious(context_, options_.secret_id, *acting.api, *prev);
    if (!revocation.unproven.empty()) {
      step.Failed("not proven to be this secret's token");
      return Stop{Outcome::kNeedsAttention,
                  revocation.unproven + "; the verified new token stays pending"};
    }
    if (!revocation.error.empty()) {
      step.Failed(revocation.error);
      return Stop{Outcome::kFailedSafely,
                  fmt::format("could not revoke token {} (the previous token, superseded): {}. "
                              "The verified new token stays pending; the next run after {} "
                              "finishes",
                              *prev, revocation.error, LeaseEnd(lease_start))};
    }
    if (revocation.revoked) report_.revoked_token_ids.push_back(*prev);
    step.Ok(fmt::format("token {} {}", *prev,
                        revocation.revoked ? "revoked" : "already revoked"));
  }
  return PromoteAndFinish(state, acting, next, *lock, ours, lease_start, Outcome::kResumed);
}

Stop RotateRun::PlanPending(const SecretState& state, const Acting& acting,
                            const PendingRecord& pending) {
  Plan plan;
  plan.rotate = false;
  plan.reason = "an interrupted rotation is resolved first; a new rotation follows if due";
  plan.notes.push_back(DescribePending(pending.info));
  if (pending.intent) {
    auto tokens = acting.api->ListServiceTokens(true);
    if (!tokens) return DbtStop(tokens.error(), acting, "listing service tokens");
    std::set<std::int64_t> protected_ids{state.current.service_token_id};
    if (state.current.previous_service_token_id) {
      protected_ids.insert(*state.current.previous_service_token_id);
    }
    auto search =
        FindOrphans(*pending.intent, *tokens, protected_ids, options_.clock_skew, options_.lease);
    for (std::int64_t id : search.orphans) {
      plan.revocations.push_back({id, "now: created by the interrupted rotation"});
    }
    for (const auto& note : search.unresolved) plan.notes.push_back(note);
  } else {
    const TokenSecret& stored = *pending.token;
    if (stored.previous_service_token_id != state.current.service_token_id) {
      plan.revocations.push_back(
          {stored.service_token_id, "now: stored for a different AWSCURRENT (rolled back)"});
    } else {
      std::vector<dbtcloud::PermissionGrant> expected;
      if (options_.grants) {
        expected = *options_.grants;
      } else {
        auto rows = acting.api->ListPermissions(state.current.service_token_id);
        if (!rows) return DbtStop(rows.error(), acting, "reading permissions");
        expected = dbtcloud::GrantsFromPermissionRows(*rows);
      }
      auto verdict = VerifyToken(context_, acting, stored.service_token_id, stored.service_token,
                                 expected, VerifySettings{1, Duration{0}});
      if (verdict.verdict == Verdict::kAccepted) {
        plan.notes.push_back(
            fmt::format("would finish it: token {} becomes AWSCURRENT", stored.service_token_id));
        PlanOldRevocation(state.current.service_token_id, plan);
      } else if (verdict.verdict == Verdict::kRejected) {
        plan.revocations.push_back(
            {stored.service_token_id, "now: fails verification (" + verdict.detail + ")"});
      } else {
        plan.notes.push_back("cannot verify the stored token now: " + verdict.detail);
      }
    }
  }
  report_.plan = std::move(plan);
  return Stop{Outcome::kPlanned, "dry run: found an interrupted rotation; nothing was written"};
}

}  // namespace dbtrotate::rotation::internal
