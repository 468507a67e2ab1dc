#ifndef DBTROTATE_AWS_CREDENTIALS_REFRESHING_PROVIDER_H_
#define DBTROTATE_AWS_CREDENTIALS_REFRESHING_PROVIDER_H_

// Caches temporary credentials and fetches new ones before they expire (reference §5.9, botocore
// RefreshableCredentials): with less than `advisory` left one caller tries to refresh and, if that
// fails, everyone keeps using the old credentials; with less than `mandatory` left every caller
// waits for a refresh and a failure is an error. Time comes from the injected Clock.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "aws/credentials/credentials.h"
#include "core/clock.h"

namespace dbtrotate::aws {

struct RefreshPolicy {
  Duration advisory = std::chrono::minutes(15);
  Duration mandatory = std::chrono::minutes(10);
  /// After a failed advisory refresh, or when the source hands out credentials that are already
  /// inside the refresh window (IMDS does near expiry), wait this long before asking again.
  Duration retry_after = std::chrono::minutes(1);
};

class RefreshingProvider final : public CredentialsProvider {
 public:
  /// `fetch` gets fresh credentials from the source (STS, IMDS, …); it is called with no lock
  /// held that other callers need for cached credentials.
  using Fetch = std::function<CredentialsResult()>;

  RefreshingProvider(Fetch fetch, Clock& clock, RefreshPolicy policy = {});

  CredentialsResult Resolve() override;
  void Invalidate() override;

 private:
  enum class State { kFresh, kAdvisory, kMandatory };
  State StateOf(const Credentials& credentials, SystemTime now) const;
  bool StillValid(const Credentials& credentials, SystemTime now) const;

  Fetch fetch_;
  Clock& clock_;
  RefreshPolicy policy_;

  std::mutex state_mutex_;  // guards cached_ and retry_not_before_
  std::shared_ptr<const Credentials> cached_;
  std::optional<SystemTime> retry_not_before_;

  std::mutex refresh_mutex_;  // one fetch at a time
};

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_REFRESHING_PROVIDER_H_
