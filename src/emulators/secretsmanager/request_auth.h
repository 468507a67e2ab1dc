#ifndef DBTROTATE_EMULATORS_SECRETSMANAGER_REQUEST_AUTH_H_
#define DBTROTATE_EMULATORS_SECRETSMANAGER_REQUEST_AUTH_H_

// SigV4 authentication of incoming requests against the credentials the emulator is configured
// with, answering with the codes and messages AWS JSON services use (reference §1.2, §4):
//   no Authorization                         → MissingAuthenticationTokenException
//   unparsable header, no X-Amz-Date, host or
//   x-amz-date not signed                    → IncompleteSignatureException
//   unknown access key, missing/wrong
//   X-Amz-Security-Token                     → UnrecognizedClientException
//   expired temporary credentials            → ExpiredTokenException
//   scope date/region/service wrong, X-Amz-Date
//   more than 15 min off, signature mismatch → InvalidSignatureException
// All are HTTP 400. The signature is recomputed from what was received and compared in
// constant time (aws/sigv4/verifier.h).

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials/credentials.h"
#include "core/clock.h"
#include "emulators/secretsmanager/api_error.h"
#include "http/client.h"

namespace dbtrotate::emulators::secretsmanager {

/// What arrived on the wire, as the verifier needs it.
struct ReceivedRequest {
  std::string_view method;
  std::string_view path;   // raw, without the query
  std::string_view query;  // raw, without '?'
  const std::vector<http::Header>* headers = nullptr;
  std::string_view body;
};

class RequestAuthenticator {
 public:
  /// `region` is the signing region requests must be scoped to; the service is secretsmanager.
  RequestAuthenticator(std::string region, Clock& clock);

  /// Accepts requests signed with these credentials. A non-empty session_token must then come
  /// as X-Amz-Security-Token; an expiration makes later requests ExpiredTokenException.
  void AddCredentials(const aws::Credentials& credentials);
  void RemoveCredentials(std::string_view access_key_id);

  /// Every x-amz-* header sent must be signed (botocore signs them all; AWS itself only insists
  /// on host and x-amz-date, so this is off by default).
  void set_require_amz_headers_signed(bool value) { require_amz_headers_signed_ = value; }

  ApiResult<void> Authenticate(const ReceivedRequest& request);

 private:
  struct Entry {
    SecretString secret_access_key;
    SecretString session_token;
    std::optional<SystemTime> expiration;
  };

  std::string region_;
  Clock& clock_;
  bool require_amz_headers_signed_ = false;
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> credentials_;
};

}  // namespace dbtrotate::emulators::secretsmanager

#endif  // DBTROTATE_EMULATORS_SECRETSMANAGER_REQUEST_AUTH_H_
