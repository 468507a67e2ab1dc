#include "fleet/selection.h"

#include <fnmatch.h>

#include <algorithm>

namespace dbtrotate::fleet {
namespace {

bool Glob(const std::string& pattern, const std::string& text) {
  return fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

bool MatchesOnly(const FleetEntry& entry, const std::vector<std::string>& only) {
  if (only.empty()) return true;
  return std::any_of(only.begin(), only.end(), [&](const std::string& pattern) {
    return Glob(pattern, entry.name) || Glob(pattern, entry.rotate.secret_id);
  });
}

bool MatchesTags(const FleetEntry& entry, const std::vector<std::string>& tags) {
  if (tags.empty()) return true;
  return std::any_of(tags.begin(), tags.end(), [&](const std::string& tag) {
    return std::find(entry.tags.begin(), entry.tags.end(), tag) != entry.tags.end();
  });
}

}  // namespace

std::vector<FleetEntry> Select(const std::vector<FleetEntry>& entries, const Selection& selection) {
  std::vector<FleetEntry> selected;
  for (const auto& entry : entries) {
    if (MatchesOnly(entry, selection.only) && MatchesTags(entry, selection.tags)) {
      selected.push_back(entry);
    }
  }
  return selected;
}

}  // namespace dbtrotate::fleet
