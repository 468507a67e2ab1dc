#ifndef DBTROTATE_ROTATION_DURATION_H_
#define DBTROTATE_ROTATION_DURATION_H_

// Human durations for --min-age, --overlap and the lease: "90s", "15m", "36h", "7d", "2w",
// and sums such as "1d12h".

#include <string>
#include <string_view>

#include "core/clock.h"
#include "rotation/error.h"

namespace dbtrotate::rotation {

/// A non-negative duration; `what` names the option in the error ("--min-age").
RotationResult<Duration> ParseDuration(std::string_view text, std::string_view what);

/// The inverse, largest units first: "1d12h", "15m", "0s". Sub-second parts are dropped.
std::string FormatDuration(Duration duration);

}  // namespace dbtrotate::rotation

#endif  // DBTROTATE_ROTATION_DURATION_H_
