#ifndef DBTROTATE_ROTATION_ISO_TIME_H_
#define DBTROTATE_ROTATION_ISO_TIME_H_

// ISO 8601 timestamps as the notebook writes them (Python's isoformat(): microseconds and
// "+00:00") and as dbt Cloud sends them ("Z", "+00:00", with or without fractions).

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace dbtrotate::rotation {

/// dbt's timestamp grammar (ParseIso8601), except that a value without a zone
/// is read as UTC (the seed's key is `last_rotated_datetime_utc`). nullopt for anything else.
std::optional<SystemTime> ParseIsoTime(std::string_view text);

/// `2025-02-24T18:03:12.123456+00:00`, the exact shape of Python's
/// `datetime.now(timezone.utc).isoformat()`, so consumers of the seed format keep parsing it
/// (Python < 3.11 `fromisoformat` rejects "Z").
std::string FormatIsoTime(SystemTime time);

}  // namespace dbtrotate::rotation

#endif  // DBTROTATE_ROTATION_ISO_TIME_H_
