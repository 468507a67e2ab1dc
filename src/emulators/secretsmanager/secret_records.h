#ifndef DBTROTATE_EMULATORS_SECRETSMANAGER_SECRET_RECORDS_H_
#define DBTROTATE_EMULATORS_SECRETSMANAGER_SECRET_RECORDS_H_

// The store's private records, shared by the .cc files that implement SecretStore
// (secret_store.cc: the value operations; secret_store_rotation.cc: RotateSecret & co).
// Not for anyone else: everything here is guarded by SecretStore's lock.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulators/secretsmanager/secret_store.h"

namespace dbtrotate::emulators::secretsmanager {

// One version: VersionId, an optional value (a RotateSecret stub has none), its labels.
struct SecretStore::Version {
  std::string id;
  std::optional<SecretString> value;
  bool binary = false;
  SystemTime created;
  std::optional<SystemTime> last_accessed;
  std::vector<std::string> stages;
  std::uint64_t sequence = 0;  // creation order, to break CreatedDate ties

  bool HasStage(std::string_view stage) const {
    return std::find(stages.begin(), stages.end(), stage) != stages.end();
  }
  void AddStage(const std::string& stage) {
    if (!HasStage(stage)) stages.push_back(stage);
  }
  void RemoveStage(std::string_view stage) {
    stages.erase(std::remove(stages.begin(), stages.end(), stage), stages.end());
  }
};

struct SecretStore::Secret {
  std::string name;
  std::string arn;
  std::optional<std::string> description;
  std::optional<std::string> kms_key_id;
  std::vector<Tag> tags;
  SystemTime created;
  std::optional<SystemTime> last_changed;
  std::optional<SystemTime> last_accessed;
  std::optional<SystemTime> deleted;   // DeleteSecret time, while recoverable
  std::optional<SystemTime> purge_at;  // end of the recovery window
  std::optional<bool> rotation_enabled;
  std::optional<std::string> rotation_lambda_arn;
  std::optional<std::int64_t> rotation_days;
  std::optional<std::string> rotation_schedule;  // ScheduleExpression
  std::optional<std::string> rotation_window;    // Duration
  std::optional<SystemTime> last_rotated;
  std::vector<Version> versions;  // creation order
  // CreateSecret's token when it created no version, so a retry of that call is a no-op.
  std::optional<std::string> valueless_create_token;
};

}  // namespace dbtrotate::emulators::secretsmanager

#endif  // DBTROTATE_EMULATORS_SECRETSMANAGER_SECRET_RECORDS_H_
