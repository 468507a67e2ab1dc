#ifndef DBTROTATE_NOTIFY_REDIRECT_H_
#define DBTROTATE_NOTIFY_REDIRECT_H_

// Whether a notification may follow a redirect: the Location resolved against the URL that
// answered, then the rule in sender.h (same host, no https -> http downgrade).

#include <string>

#include "core/result.h"

namespace dbtrotate::notify {

/// The absolute URL of `location` (absolute, or relative to `base`); an error for a Location
/// that does not parse.
Result<std::string, std::string> ResolveLocation(const std::string& base,
                                                 const std::string& location);

/// Empty when `to` may receive the payload that was sent to `from`, else why not.
std::string RedirectRefusal(const std::string& from, const std::string& to);

}  // namespace dbtrotate::notify

#endif  // DBTROTATE_NOTIFY_REDIRECT_H_
