#ifndef DBTROTATE_CLI_FLAG_VALUES_H_
#define DBTROTATE_CLI_FLAG_VALUES_H_

// The one parser for numbers given on the command line or in the environment
// (--account-id, DBT_CLOUD_ACCOUNT_ID, --token-id, --port, --latency-ms, --timeout): decimal
// digits only, so "012345" is 12345 and never octal, "0x10" and "1e3" are errors, and a value
// out of range is refused, never clamped.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dbtrotate::cli {

/// --timeout: below a second a request cannot complete a TLS handshake reliably (and
/// libcurl reads a value that rounds to 0 ms as "no timeout"); above ten minutes a hung
/// service would hold the rotation lock for most of its lease.
inline constexpr double kMinTimeoutSeconds = 1;
inline constexpr double kMaxTimeoutSeconds = 600;

/// Decimal digits only (no sign, no spaces), within [min, max]. `name` ("--port") and the
/// value are quoted in the message.
Result<std::int64_t, std::string> ParseDecimal(std::string_view text, std::string_view name,
                                               std::int64_t min, std::int64_t max);

/// A positive id: ParseDecimal in [1, INT64_MAX]; `what` says whose id ("your dbt Cloud
/// account id").
Result<std::int64_t, std::string> ParsePositiveId(std::string_view text, std::string_view name,
                                                  std::string_view what);

/// Seconds as decimal digits with an optional fraction ("30", "2.5"), within [min, max]. NaN,
/// infinities, signs, exponents and hex are refused.
Result<double, std::string> ParseSeconds(std::string_view text, std::string_view name, double min,
                                         double max);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_FLAG_VALUES_H_
