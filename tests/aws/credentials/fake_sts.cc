#include "aws/credentials/fake_sts.h"

#include "core/iso8601.h"

namespace dbtrotate::aws::testing {

namespace {

std::string ErrorXml(const std::string& code, const std::string& message) {
  return "<ErrorResponse "
         "xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>" +
         code + "</Code><Message>" + message +
         "</Message></Error><RequestId>fake-request</RequestId></ErrorResponse>";
}

}  // namespace

FakeSts::FakeSts(Clock& clock, std::string region) : clock_(clock), region_(std::move(region)) {
  server_.server().Post("/", [this](const httplib::Request& request, httplib::Response& response) {
    Handle(request, response);
  });
}

FakeSts::~FakeSts() { server_.Stop(); }

void FakeSts::AddKey(const std::string& access_key_id, const std::string& secret) {
  std::lock_guard lock(mutex_);
  keys_[access_key_id] = SecretString::CopyOf(secret);
}

void FakeSts::FailWith(int status, std::string body) {
  std::lock_guard lock(mutex_);
  failure_ = std::make_pair(status, std::move(body));
}

std::vector<FakeSts::Call> FakeSts::calls() {
  std::lock_guard lock(mutex_);
  return calls_;
}

std::string FakeSts::SecretOf(const std::string& access_key_id) {
  std::lock_guard lock(mutex_);
  auto it = keys_.find(access_key_id);
  return it == keys_.end() ? "" : std::string(it->second.expose());
}

void FakeSts::Handle(const httplib::Request& request, httplib::Response& response) {
  std::lock_guard lock(mutex_);
  Call call;
  for (const auto& [name, value] : request.params) call.params[name] = value;
  call.action = call.params["Action"];
  call.had_authorization = request.has_header("Authorization");
  call.security_token = request.get_header_value("X-Amz-Security-Token");
  call.content_type = request.get_header_value("Content-Type");

  auto reply = [&](int status, const std::string& body) {
    response.status = status;
    response.set_content(body, "text/xml");
    calls_.push_back(call);
  };

  if (call.params["Version"] != "2011-06-15") {
    return reply(400, ErrorXml("InvalidAction", "missing or wrong Version"));
  }
  if (call.action == "AssumeRole") {
    std::vector<http::Header> headers = HeadersOf(request);
    sigv4::RequestView view{request.method, "/", "", &headers, request.body};
    auto verified = sigv4::VerifyRequest(
        view,
        [this](std::string_view akid) -> const SecretString* {
          auto it = keys_.find(akid);
          return it == keys_.end() ? nullptr : &it->second;
        },
        sigv4::VerifyOptions{region_, "sts", clock_.Now()});
    if (!verified) {
      call.verify_error = verified.error().message;
      return reply(403, ErrorXml("SignatureDoesNotMatch", "signature check failed"));
    }
    call.authorization = *verified;
    if (call.params["RoleArn"].empty() || call.params["RoleSessionName"].empty()) {
      return reply(400, ErrorXml("ValidationError", "RoleArn and RoleSessionName are required"));
    }
  } else if (call.action == "AssumeRoleWithWebIdentity") {
    if (call.had_authorization) {
      return reply(400, ErrorXml("InvalidParameterValue", "web identity calls are unsigned"));
    }
    if (!web_token_.empty() && call.params["WebIdentityToken"] != web_token_) {
      return reply(400, ErrorXml("InvalidIdentityToken", "Token is not valid"));
    }
  } else {
    return reply(400, ErrorXml("InvalidAction", "unknown action"));
  }
  if (failure_) return reply(failure_->first, failure_->second);

  ++issued_;
  const std::string akid = "ASIAFAKE" + std::to_string(issued_);
  const std::string secret = "issued-secret-" + std::to_string(issued_);
  keys_[akid] = SecretString::CopyOf(secret);
  call.issued_access_key = akid;
  const std::string action = call.action;
  reply(200, "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" +
                 action + "Result><AssumedRoleUser><Arn>" + call.params["RoleArn"] +
                 "</Arn><AssumedRoleId>AROAFAKE:" + call.params["RoleSessionName"] +
                 "</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>" + akid +
                 "</AccessKeyId><SecretAccessKey>" + secret +
                 "</SecretAccessKey><SessionToken>issued-token-" + std::to_string(issued_) +
                 "</SessionToken><Expiration>" + FormatIso8601(clock_.Now() + lifetime_) +
                 "</Expiration></Credentials></" + action +
                 "Result><ResponseMetadata><RequestId>r" + std::to_string(issued_) +
                 "</RequestId></ResponseMetadata></" + action + "Response>");
}

}  // namespace dbtrotate::aws::testing
