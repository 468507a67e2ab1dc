#include "emulators/secretsmanager/store_types.h"

#include <algorithm>

namespace dbtrotate::emulators::secretsmanager {

bool VersionState::HasStage(std::string_view stage) const {
  return std::find(stages.begin(), stages.end(), stage) != stages.end();
}

const VersionState* SecretState::FindVersion(std::string_view version_id) const {
  for (const VersionState& version : versions) {
    if (version.version_id == version_id) return &version;
  }
  return nullptr;
}

const VersionState* SecretState::VersionWithStage(std::string_view stage) const {
  for (const VersionState& version : versions) {
    if (version.HasStage(stage)) return &version;
  }
  return nullptr;
}

}  // namespace dbtrotate::emulators::secretsmanager
