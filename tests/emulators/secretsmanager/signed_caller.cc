#include "signed_caller.h"

#include <gtest/gtest.h>

#include "aws/sigv4/signer.h"

namespace dbtrotate::emulators::secretsmanager::smtest {

aws::Credentials MakeCredentials(std::string access_key_id, std::string_view secret_key,
                                 std::string_view session_token) {
  aws::Credentials credentials;
  credentials.access_key_id = std::move(access_key_id);
  credentials.secret_access_key = SecretString::CopyOf(secret_key);
  credentials.session_token = SecretString::CopyOf(session_token);
  credentials.source = "test";
  return credentials;
}

namespace {

http::CurlClientOptions ClientOptions() {
  http::CurlClientOptions options;
  options.connect_timeout = std::chrono::milliseconds(5000);
  options.total_timeout = std::chrono::milliseconds(10000);
  return options;
}

}  // namespace

SignedCaller::SignedCaller(std::string endpoint, aws::Credentials credentials, Clock& clock,
                           std::string region)
    : endpoint_(std::move(endpoint)),
      credentials_(std::move(credentials)),
      clock_(clock),
      region_(std::move(region)),
      client_(ClientOptions()) {}

http::Request SignedCaller::Build(std::string_view operation, std::string body) const {
  http::Request request(http::Method::kPost, endpoint_ + "/");
  request.AddHeader("Content-Type", "application/x-amz-json-1.1");
  request.AddHeader("X-Amz-Target", "secretsmanager." + std::string(operation));
  request.body = std::move(body);
  return request;
}

http::Request SignedCaller::Signed(std::string_view operation, std::string body) const {
  http::Request request = Build(operation, std::move(body));
  Sign(request);
  return request;
}

void SignedCaller::Sign(http::Request& request) const { SignAt(request, clock_.Now()); }

void SignedCaller::SignAt(http::Request& request, SystemTime time) const {
  auto signed_ok =
      aws::sigv4::SignRequest(request, credentials_, {region_, "secretsmanager", time});
  ASSERT_TRUE(signed_ok.has_value()) << signed_ok.error();
}

http::HttpResult SignedCaller::Send(const http::Request& request) { return client_.Send(request); }

http::Response SignedCaller::Call(std::string_view operation, const nlohmann::json& body) {
  http::HttpResult result = Send(Signed(operation, body.dump()));
  if (!result.has_value()) {
    ADD_FAILURE() << "transport error: " << result.error().message;
    return {};
  }
  return std::move(result).value();
}

nlohmann::json BodyJson(const http::Response& response) {
  return nlohmann::json::parse(response.body, nullptr, false);
}

}  // namespace dbtrotate::emulators::secretsmanager::smtest
