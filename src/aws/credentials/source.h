#ifndef DBTROTATE_AWS_CREDENTIALS_SOURCE_H_
#define DBTROTATE_AWS_CREDENTIALS_SOURCE_H_

// What looking at one credential source yields: a provider when the source is configured, or
// the reason it was skipped (collected for the "Unable to locate credentials" message). A source
// that is configured but broken (partial keys, bad URL, profile loop) is an error instead.

#include <memory>
#include <string>

#include "aws/credentials/credentials.h"
#include "core/result.h"

namespace dbtrotate::aws {

struct SourceProbe {
  std::unique_ptr<CredentialsProvider> provider;  // null: not configured
  std::string skip_reason;                        // set when provider is null

  static SourceProbe Skip(std::string reason) {
    SourceProbe probe;
    probe.skip_reason = std::move(reason);
    return probe;
  }
  static SourceProbe Found(std::unique_ptr<CredentialsProvider> provider) {
    SourceProbe probe;
    probe.provider = std::move(provider);
    return probe;
  }
};

using ProbeResult = Result<SourceProbe, CredentialsError>;

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_SOURCE_H_
