#include "aws/secretsmanager/types.h"

#include <algorithm>

namespace dbtrotate::aws {

std::optional<std::string> SecretDescription::VersionWithStage(const std::string& stage) const {
  for (const auto& [version_id, stages] : version_ids_to_stages) {
    if (std::find(stages.begin(), stages.end(), stage) != stages.end()) return version_id;
  }
  return std::nullopt;
}

}  // namespace dbtrotate::aws
