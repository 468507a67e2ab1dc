#ifndef DBTROTATE_AWS_CREDENTIALS_STS_CLIENT_H_
#define DBTROTATE_AWS_CREDENTIALS_STS_CLIENT_H_

// The two STS calls the credential chain needs (reference §5.4, §5.5), in the query protocol:
// a form-encoded POST answered with XML. AssumeRole is SigV4-signed with service "sts";
// AssumeRoleWithWebIdentity is unsigned (the token is the proof).

#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials/credentials.h"
#include "core/clock.h"
#include "core/secret_string.h"
#include "http/client.h"

namespace dbtrotate::aws {

struct StsEndpoint {
  std::string url;             // "https://sts.eu-west-1.amazonaws.com" or a configured override
  std::string signing_region;  // the region, also for a custom endpoint
};

struct AssumeRoleParams {
  std::string role_arn;
  std::string session_name;
  std::optional<std::string> external_id;
  std::optional<int> duration_seconds;
};

class StsClient {
 public:
  StsClient(http::Client& http, Clock& clock, StsEndpoint endpoint);

  CredentialsResult AssumeRole(const Credentials& source, const AssumeRoleParams& params);
  CredentialsResult AssumeRoleWithWebIdentity(const std::string& role_arn,
                                              const std::string& session_name,
                                              const SecretString& web_identity_token);

  const StsEndpoint& endpoint() const { return endpoint_; }

 private:
  CredentialsResult Send(std::string_view action, http::Request& request,
                         const std::string& role_arn);

  http::Client& http_;
  Clock& clock_;
  StsEndpoint endpoint_;
};

/// Credentials from a successful `<Action>Response` document.
Result<Credentials, std::string> ParseStsCredentials(std::string_view action,
                                                     std::string_view body);

/// "HTTP 403 AccessDenied: <message>" from an `<ErrorResponse>` body (or a generic description
/// when the body is not one), plus a hint for the common codes.
std::string DescribeStsError(int status, std::string_view body);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_STS_CLIENT_H_
