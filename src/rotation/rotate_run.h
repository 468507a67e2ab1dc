#ifndef DBTROTATE_ROTATION_ROTATE_RUN_H_
#define DBTROTATE_ROTATION_ROTATE_RUN_H_

// One `rotate` invocation (internal). The protocol is described in README-design.md; the
// comments here say which guarantee each step serves.

#include <optional>
#include <string>
#include <vector>

#include "rotation/intent.h"
#include "rotation/options.h"
#include "rotation/report.h"
#include "rotation/run_context.h"
#include "rotation/secret_state.h"

namespace dbtrotate::rotation::internal {

class RotateRun {
 public:
  RotateRun(RunContext& context, const RotateOptions& options)
      : context_(context), options_(options) {}
  Report Execute();

 private:
  struct Due {
    bool due = true;
    std::string reason;
  };

  Stop Run();
  std::optional<Stop> ValidateOptions() const;
  Flow<Due> CheckDue(const SecretState& state, const Acting& acting);
  Stop NotDue(const SecretState& state, const Acting& acting, const Due& due);
  Stop RotateFresh(const SecretState& state, const Acting& acting, const Due& due);
  /// nullopt: the unfinished rotation was rolled back and the run starts over.
  std::optional<Stop> ResolvePending(const SecretState& state, const Acting& acting,
                                     const PendingRecord& pending);
  Stop PlanPending(const SecretState& state, const Acting& acting, const PendingRecord& pending);

  /// The value that becomes AWSCURRENT: the current one (every user key kept) with the new
  /// token, the time, the connection and what awaits revocation.
  TokenSecret BuildNext(const SecretState& state, std::int64_t token_id, const SecretString& token,
                        const std::string& rotation_id);
  Stop PromoteAndFinish(const SecretState& state, const Acting& acting, const TokenSecret& next,
                        const std::string& pending_version, const std::vector<std::string>& ours,
                        SystemTime lease_start, Outcome outcome);
  void RevokeOldAfterPromotion(const SecretState& state, const Acting& acting,
                               const TokenSecret& next);
  std::optional<Stop> RevokeDuePrevious(const SecretState& state, const Acting& acting);
  /// Revokes the tokens an intent shows are ours, then releases the lock. nullopt on success.
  std::optional<Stop> CleanupIntent(const Acting& acting, const Intent& intent,
                                    const std::string& lock_version);
  /// Takes the lock from an abandoned AWSPENDING with `record` and cleans up after it.
  std::optional<Stop> TakeOverAndClean(const Acting& acting, const PendingRecord& pending,
                                       Intent record);
  /// Undoes this run's token (revokes it unless AWSCURRENT now references it) and releases the
  /// lock; the old token stays current.
  Stop Abandon(const Acting& acting, std::int64_t token_id, const std::vector<std::string>& ours,
               const std::string& why);
  /// A rejected or revoked old token right after reading the secret may just mean another run
  /// rotated it meanwhile (and revoked the old token): then it is not the user's problem.
  /// Re-reads AWSCURRENT before reporting such a stop.
  Stop UnlessRotatedMeanwhile(const SecretState& state, Stop stop);
  bool LeaseRunningOut(SystemTime lease_start);
  std::string LeaseEnd(SystemTime since) const;
  /// When the token being replaced would be revoked, for the dry-run plan.
  void PlanOldRevocation(std::int64_t old_id, Plan& plan) const;

  RunContext& context_;
  const RotateOptions& options_;
  Report report_;
  bool rolled_back_ = false;
};

}  // namespace dbtrotate::rotation::internal

#endif  // DBTROTATE_ROTATION_ROTATE_RUN_H_
