#ifndef DBTROTATE_CORE_ISO8601_H_
#define DBTROTATE_CORE_ISO8601_H_

// ISO 8601 / RFC 3339 timestamps, one parser for every source: dbt (Django: "…T00:00:00Z",
// "…T00:00:00.123456+00:00"), STS, IMDS, container and credential_process expirations.

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace dbtrotate {

/// `YYYY-MM-DD[T ]hh:mm:ss[.fraction](Z|±hh:mm|±hhmm)`. A zone is required: a timestamp without one
/// is ambiguous, and we compare it against our own clock. Returns nullopt for anything else,
/// including out-of-range fields (month 13, Feb 30, hour 24, leap second 60).
std::optional<SystemTime> ParseIso8601(std::string_view text);

/// "2026-08-30T13:36:05Z" (whole seconds, UTC).
std::string FormatIso8601(SystemTime time);

}  // namespace dbtrotate

#endif  // DBTROTATE_CORE_ISO8601_H_
