#include "aws/credentials/refreshing_provider.h"

#include <utility>

#include "core/iso8601.h"

namespace dbtrotate::aws {

RefreshingProvider::RefreshingProvider(Fetch fetch, Clock& clock, RefreshPolicy policy)
    : fetch_(std::move(fetch)), clock_(clock), policy_(policy) {}

RefreshingProvider::State RefreshingProvider::StateOf(const Credentials& credentials,
                                                      SystemTime now) const {
  if (!credentials.expiration) return State::kFresh;
  auto left = *credentials.expiration - now;
  if (left > policy_.advisory) return State::kFresh;
  if (left > policy_.mandatory) return State::kAdvisory;
  return State::kMandatory;
}

bool RefreshingProvider::StillValid(const Credentials& credentials, SystemTime now) const {
  return !credentials.expiration || now < *credentials.expiration;
}

CredentialsResult RefreshingProvider::Resolve() {
  std::shared_ptr<const Credentials> old;
  {
    std::lock_guard lock(state_mutex_);
    const SystemTime now = clock_.Now();
    if (cached_) {
      State state = StateOf(*cached_, now);
      if (state == State::kFresh) return cached_;
      if (retry_not_before_ && now < *retry_not_before_ && StillValid(*cached_, now)) {
        return cached_;
      }
    }
    old = cached_;
  }

  const bool advisory_only = old && StateOf(*old, clock_.Now()) == State::kAdvisory;
  std::unique_lock refresh(refresh_mutex_, std::defer_lock);
  if (advisory_only) {
    // Someone else is already refreshing; the old credentials are good for 10+ minutes.
    if (!refresh.try_lock()) return old;
  } else {
    refresh.lock();
  }

  {
    // Another caller may have refreshed while we waited for the lock.
    std::lock_guard lock(state_mutex_);
    if (cached_ && cached_ != old && StillValid(*cached_, clock_.Now())) {
      return cached_;
    }
  }

  CredentialsResult fetched = fetch_();
  const SystemTime now = clock_.Now();
  std::lock_guard lock(state_mutex_);
  if (!fetched) {
    if (cached_ && StateOf(*cached_, now) == State::kAdvisory) {
      retry_not_before_ = now + policy_.retry_after;
      return cached_;
    }
    return fetched;
  }
  const auto& fresh = *fetched;
  if (!StillValid(*fresh, now)) {
    return Fail(CredentialsError{"credentials from " + fresh->source + " had already expired (at " +
                                 FormatIso8601(*fresh->expiration) + ")"});
  }
  cached_ = fresh;
  if (StateOf(*fresh, now) != State::kFresh) {
    retry_not_before_ = now + policy_.retry_after;
  } else {
    retry_not_before_.reset();
  }
  return cached_;
}

void RefreshingProvider::Invalidate() {
  std::lock_guard lock(state_mutex_);
  cached_.reset();
  retry_not_before_.reset();
}

}  // namespace dbtrotate::aws
