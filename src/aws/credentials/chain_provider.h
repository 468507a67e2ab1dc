#ifndef DBTROTATE_AWS_CREDENTIALS_CHAIN_PROVIDER_H_
#define DBTROTATE_AWS_CREDENTIALS_CHAIN_PROVIDER_H_

// Tries credential sources in order. The first configured source is used from then on (its
// provider caches and refreshes); a configured source that fails is an error, except "soft"
// sources (IMDS) whose failure only means "not here". When nothing is found the error lists
// every source and why it was skipped, like the AWS CLI's "Unable to locate credentials".

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aws/credentials/credentials.h"
#include "aws/credentials/source.h"

namespace dbtrotate::aws {

struct ChainSource {
  std::string name;  // "environment variables", "profile dev", …
  std::function<ProbeResult()> probe;
  bool soft = false;  // a failure of its first Resolve() counts as a skip
};

class ChainProvider final : public CredentialsProvider {
 public:
  ChainProvider(std::vector<ChainSource> sources, std::string hint);

  CredentialsResult Resolve() override;
  /// Forwards to the source in use.
  void Invalidate() override;

  /// The name of the source in use, empty before the first successful Resolve().
  std::string ActiveSource();

 private:
  std::vector<ChainSource> sources_;
  std::string hint_;  // what to do when nothing is found

  std::mutex mutex_;
  std::shared_ptr<CredentialsProvider> active_;
  std::string active_name_;
};

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_CHAIN_PROVIDER_H_
