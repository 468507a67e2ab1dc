#ifndef DBTROTATE_DBTCLOUD_ACCESS_URL_H_
#define DBTROTATE_DBTCLOUD_ACCESS_URL_H_

// The dbt Cloud "access URL" (Account settings → Access URLs) is configuration, never a
// default: cell-based accounts get 401 on the legacy cloud.getdbt.com host. Users paste it in
// many shapes (bare host, with /api, with /api/v3, with a trailing slash); all normalise to
// one base `scheme://host[:port]` that the client appends `/api/v3/…/` to.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dbtcloud/error.h"

namespace dbtrotate::dbtcloud {

struct AccessUrl {
  /// `https://host[:port]` (or `http://` for loopback test servers), no trailing slash.
  std::string base;
  /// Lower-cased host; IPv6 literals without brackets.
  std::string host;
  /// Only when given and not the scheme's default.
  std::optional<std::uint16_t> port;
  bool https = true;

  friend bool operator==(const AccessUrl&, const AccessUrl&) = default;
};

/// Accepts `cloud.getdbt.com`, `https://ab123.us1.dbt.com`, `https://emea.dbt.com/`, any of these
/// ending in `/api`, `/api/` or `/api/v3[/]`, single-tenant vanity hosts, and plain
/// `http://` only for loopback (127.0.0.0/8, ::1, localhost). Anything else is
/// ErrorCode::kInvalidConfig with a message that says what is wrong.
DbtResult<AccessUrl> ParseAccessUrl(std::string_view text);

/// `text` for a message, with any user-info (`user:password@`) replaced by `<redacted>@`.
std::string RedactedUrl(std::string_view text);

}  // namespace dbtrotate::dbtcloud

#endif  // DBTROTATE_DBTCLOUD_ACCESS_URL_H_
