#ifndef DBTROTATE_TESTS_EMULATORS_SECRETSMANAGER_SIGNED_CALLER_H_
#define DBTROTATE_TESTS_EMULATORS_SECRETSMANAGER_SIGNED_CALLER_H_

// Test helper: builds AWS JSON 1.1 requests the way botocore does (POST /, Content-Type,
// X-Amz-Target), signs them with SigV4 and sends them over real loopback HTTP (CurlClient).
// Requests are returned before sending so tests can tamper with any part after signing.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "aws/credentials/credentials.h"
#include "core/clock.h"
#include "http/client.h"
#include "http/curl_client.h"

namespace dbtrotate::emulators::secretsmanager::smtest {

aws::Credentials MakeCredentials(std::string access_key_id, std::string_view secret_key,
                                 std::string_view session_token = {});

class SignedCaller {
 public:
  SignedCaller(std::string endpoint, aws::Credentials credentials, Clock& clock,
               std::string region = "us-east-1");

  /// An unsigned request for `operation` with `body`.
  http::Request Build(std::string_view operation, std::string body) const;
  /// Build + sign at the clock's current time.
  http::Request Signed(std::string_view operation, std::string body) const;
  /// Signs `request` in place at `time` (defaults to the clock's time).
  void Sign(http::Request& request) const;
  void SignAt(http::Request& request, SystemTime time) const;

  http::HttpResult Send(const http::Request& request);
  /// Sign and send; returns the response (ADD_FAILURE on transport errors).
  http::Response Call(std::string_view operation, const nlohmann::json& body);

  void set_credentials(aws::Credentials credentials) { credentials_ = std::move(credentials); }

 private:
  std::string endpoint_;
  aws::Credentials credentials_;
  Clock& clock_;
  std::string region_;
  http::CurlClient client_;
};

/// Parses a response body as JSON (discarded JSON value when it is not JSON).
nlohmann::json BodyJson(const http::Response& response);

}  // namespace dbtrotate::emulators::secretsmanager::smtest

#endif  // DBTROTATE_TESTS_EMULATORS_SECRETSMANAGER_SIGNED_CALLER_H_
