#ifndef DBTROTATE_AWS_CREDENTIALS_CREDENTIALS_H_
#define DBTROTATE_AWS_CREDENTIALS_CREDENTIALS_H_

#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "core/secret_string.h"

namespace dbtrotate::aws {

struct Credentials {
  std::string access_key_id;
  SecretString secret_access_key;
  SecretString session_token;            // empty for long-term keys
  std::optional<SystemTime> expiration;  // absent = does not expire
  std::string source;                    // "environment", "profile:dev", "imds", … (for messages)
};

struct CredentialsError {
  std::string message;  // for "nothing found": every source tried and why it was skipped
};

using CredentialsResult = Result<std::shared_ptr<const Credentials>, CredentialsError>;

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  /// Current credentials; cached ones are refreshed before they expire. Thread-safe.
  virtual CredentialsResult Resolve() = 0;
  /// The service rejected the current credentials as expired (ExpiredToken): forget any cached
  /// ones so the next Resolve() fetches new credentials. Nothing cached, nothing to do.
  virtual void Invalidate() {}
};

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_CREDENTIALS_H_
