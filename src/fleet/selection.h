#ifndef DBTROTATE_FLEET_SELECTION_H_
#define DBTROTATE_FLEET_SELECTION_H_

// `--only NAME_OR_GLOB` and `--tag TAG`: which entries of a fleet file a run touches.

#include <string>
#include <vector>

#include "fleet/fleet_config.h"

namespace dbtrotate::fleet {

struct Selection {
  /// Shell globs (fnmatch) matched against the entry's name and its secret_id; any may match.
  std::vector<std::string> only;
  /// An entry must carry at least one of these tags.
  std::vector<std::string> tags;
};

/// The entries both filters accept, in file order (an empty filter accepts everything).
std::vector<FleetEntry> Select(const std::vector<FleetEntry>& entries, const Selection& selection);

}  // namespace dbtrotate::fleet

#endif  // DBTROTATE_FLEET_SELECTION_H_
