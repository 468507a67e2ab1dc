#ifndef DBTROTATE_DBTCLOUD_TIMESTAMP_H_
#define DBTROTATE_DBTCLOUD_TIMESTAMP_H_

// dbt sends ISO 8601 / RFC 3339 timestamps as Django renders them: "2025-01-01T00:00:00Z",
// "2025-01-01T00:00:00.123456+00:00", with or without fractional seconds.

#include <optional>
#include <string_view>

#include "core/clock.h"

namespace dbtrotate::dbtcloud {

/// `YYYY-MM-DD[T ]hh:mm:ss[.fraction](Z|±hh:mm)`. A zone is required: a timestamp without one
/// is ambiguous, and we compare it against our own clock. Returns nullopt for anything else,
/// including out-of-range fields (month 13, Feb 30, hour 24, leap second 60).
std::optional<SystemTime> ParseDbtTimestamp(std::string_view text);

}  // namespace dbtrotate::dbtcloud

#endif  // DBTROTATE_DBTCLOUD_TIMESTAMP_H_
