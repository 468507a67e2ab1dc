#ifndef DBTROTATE_DBTCLOUD_RECOVERY_H_
#define DBTROTATE_DBTCLOUD_RECOVERY_H_

// After an ambiguous create (error.ambiguous: the request may have been applied), the token
// can only be found again by name and creation time: dbt has no idempotency key and never
// shows the secret again. The caller then deletes what it finds (the secret is lost) and
// creates again.

#include <string>
#include <vector>

#include "core/clock.h"
#include "dbtcloud/error.h"
#include "dbtcloud/types.h"

namespace dbtrotate::dbtcloud {

/// Tokens named exactly `name` whose created_at is at or after `since`, in list order.
/// Pass `since` = our clock just before the create, minus an allowance for clock skew between
/// us and dbt (a minute is plenty): a missed token is a live credential nobody knows about.
/// Fails with kMalformedResponse when a same-named token's created_at cannot be parsed, rather
/// than guess whether it is ours.
DbtResult<std::vector<ServiceToken>> FindTokensCreatedSince(const std::vector<ServiceToken>& tokens,
                                                            const std::string& name,
                                                            SystemTime since);

}  // namespace dbtrotate::dbtcloud

#endif  // DBTROTATE_DBTCLOUD_RECOVERY_H_
