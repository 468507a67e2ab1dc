#ifndef DBTROTATE_EMULATORS_SECRETSMANAGER_SECRET_STORE_H_
#define DBTROTATE_EMULATORS_SECRETSMANAGER_SECRET_STORE_H_

// The state of an emulated Secrets Manager region: secrets, their versions and staging labels,
// with the semantics of shared/reference/aws-secrets-manager.md §2 (not any client's habits).
// No HTTP here; the JSON layer (json_api.h) maps wire requests onto these operations.
// Thread-safe: every public member takes the store's lock.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "emulators/secretsmanager/api_error.h"
#include "emulators/secretsmanager/store_types.h"

namespace dbtrotate::emulators::secretsmanager {

struct StoreOptions {
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  /// Reference §7.1: whether moving AWSCURRENT onto a version with UpdateSecretVersionStage
  /// also removes AWSPENDING from it (current user guide: yes; API reference, rotation templates
  /// and moto: no). Both are valid AWS end states, so clients must cope with either.
  bool clear_pending_on_current_move = false;
  /// ListSecretVersionIds page size when the request has no MaxResults.
  std::size_t default_page_size = 100;
  /// Reference §2: "NextToken can appear even on a page with no items". When set, the last
  /// non-empty page still carries a NextToken and the page after it is empty, without one.
  bool trailing_empty_page = false;
  /// Versions kept per secret before unlabelled versions older than 24 h are pruned.
  std::size_t max_versions = 100;
};

class SecretStore {
 public:
  /// `clock` stamps CreatedDate/LastChangedDate and expires deletions; `random` makes the
  /// ARN suffixes and the tokens of seeding helpers. Both must outlive the store.
  SecretStore(StoreOptions options, Clock& clock, Random& random);
  ~SecretStore();
  SecretStore(const SecretStore&) = delete;
  SecretStore& operator=(const SecretStore&) = delete;

  const StoreOptions& options() const { return options_; }

  // --- The operations (reference §2) ---
  ApiResult<CreateSecretOutput> CreateSecret(const CreateSecretInput& input);
  ApiResult<PutSecretValueOutput> PutSecretValue(const PutSecretValueInput& input);
  ApiResult<GetSecretValueOutput> GetSecretValue(const GetSecretValueInput& input);
  ApiResult<DescribeSecretOutput> DescribeSecret(std::string_view secret_id);
  ApiResult<SecretRef> UpdateSecretVersionStage(const UpdateSecretVersionStageInput& input);
  ApiResult<ListSecretVersionIdsOutput> ListSecretVersionIds(
      const ListSecretVersionIdsInput& input);
  ApiResult<DeleteSecretOutput> DeleteSecret(const DeleteSecretInput& input);
  ApiResult<SecretRef> RestoreSecret(std::string_view secret_id);

  // --- Rotation (reference §3; RotationRunner invokes the function, the store keeps state) ---
  /// RotateSecret's synchronous part: checks, rotation configuration, and (unless a previous
  /// rotation is incomplete: InvalidRequestException) a new AWSPENDING stub with no value.
  ApiResult<RotationPlan> BeginRotation(const RotateSecretInput& input);
  /// Turns rotation off; labels stay where they are (reference §2 CancelRotateSecret).
  ApiResult<CancelRotateSecretOutput> CancelRotateSecret(std::string_view secret_id);
  /// After finishSecret succeeded: only if AWSCURRENT is now on `version_id` does
  /// LastRotatedDate move (else InvalidRequestException saying why).
  ApiResult<void> CompleteRotation(std::string_view secret_id, std::string_view version_id);
  /// RotateImmediately=false: the test version loses AWSPENDING again.
  ApiResult<void> EndRotationTest(std::string_view secret_id, std::string_view version_id);
  /// Rotation is still enabled and `version_id` still carries AWSPENDING (worth (re)invoking).
  bool RotationStillPending(std::string_view secret_id, std::string_view version_id);

  // --- Seeding helpers for tests ---
  /// CreateSecret with a SecretString and a fresh ClientRequestToken.
  ApiResult<CreateSecretOutput> SeedSecret(std::string_view name, std::string_view secret_string);
  /// What RotateSecret does before invoking the Lambda: a version `version_id` with AWSPENDING
  /// (moved off any other version) and no value. GetSecretValue on it is ResourceNotFound until
  /// a PutSecretValue with that token fills it.
  ApiResult<void> SeedPendingStub(std::string_view secret_id, std::string_view version_id);
  /// Sets what DescribeSecret reports as RotationEnabled / RotationLambdaARN.
  ApiResult<void> SetRotation(std::string_view secret_id, bool enabled,
                              std::optional<std::string> lambda_arn = std::nullopt,
                              std::optional<std::int64_t> automatically_after_days = std::nullopt);

  // --- Inspection for tests ---
  /// The secret (by name or ARN, deleted or not) with every version, value and label.
  std::optional<SecretState> Inspect(std::string_view secret_id);
  /// Names of every secret, including those scheduled for deletion.
  std::vector<std::string> SecretNames();

 private:
  struct Version;
  struct Secret;

  ApiResult<Secret*> Lookup(std::string_view secret_id);
  ApiResult<Secret*> LookupLive(std::string_view secret_id);
  void PurgeExpired();
  std::string NewArn(std::string_view name);
  std::optional<ApiError> CheckLabelQuota(const Secret& secret,
                                          const std::vector<std::string>& new_labels) const;
  void AttachStages(Secret& secret, Version& target, const std::vector<std::string>& labels);
  void PruneVersions(Secret& secret);
  static Version* FindVersion(Secret& secret, std::string_view version_id);
  static Version* VersionWithStage(Secret& secret, std::string_view stage);
  static std::optional<SystemTime> NextRotationDate(const Secret& secret);

  StoreOptions options_;
  Clock& clock_;
  Random& random_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Secret>> secrets_;  // creation order
  std::uint64_t next_sequence_ = 0;
};

}  // namespace dbtrotate::emulators::secretsmanager

#endif  // DBTROTATE_EMULATORS_SECRETSMANAGER_SECRET_STORE_H_
