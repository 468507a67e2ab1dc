#ifndef DBTROTATE_AWS_CREDENTIALS_PROCESS_PROVIDER_H_
#define DBTROTATE_AWS_CREDENTIALS_PROCESS_PROVIDER_H_

// credential_process (reference §5.6): run the profile's command without a shell and read
// `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}` from its
// stdout. Credentials with an Expiration are fetched again before they expire.

#include <memory>
#include <string>

#include "aws/credentials/credentials.h"
#include "aws/credentials/process_runner.h"
#include "aws/credentials/refreshing_provider.h"
#include "core/clock.h"

namespace dbtrotate::aws {

struct ProcessProviderConfig {
  std::string command;  // the credential_process value
  std::string profile;  // for messages
  ProcessLimits limits;
};

std::unique_ptr<CredentialsProvider> MakeProcessProvider(ProcessProviderConfig config,
                                                         ProcessRunner& runner, Clock& clock,
                                                         RefreshPolicy policy = {});

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_PROCESS_PROVIDER_H_
