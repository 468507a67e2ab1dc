#ifndef DBTROTATE_AWS_CREDENTIALS_ISO8601_H_
#define DBTROTATE_AWS_CREDENTIALS_ISO8601_H_

// Expiration timestamps of STS, IMDS, container and credential_process credentials.

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace dbtrotate::aws {

/// "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)"; 't', 'z' and a space separator are also
/// accepted. nullopt for anything else, including impossible dates.
std::optional<SystemTime> ParseIso8601(std::string_view text);

/// "YYYY-MM-DDTHH:MM:SSZ" in UTC (for messages).
std::string FormatIso8601(SystemTime time);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_ISO8601_H_
