#include "aws/secretsmanager/fakes.h"

#include <algorithm>
#include <cctype>

namespace dbtrotate::aws::testing {

http::HttpResult MakeResponse(int status, std::string body, std::vector<http::Header> headers) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

http::HttpResult ScriptedHttpClient::Send(const http::Request& request) {
  requests_.push_back(request);
  if (!script_.empty()) {
    Handler handler = std::move(script_.front());
    script_.pop_front();
    return handler(request);
  }
  if (fallback_) return fallback_(request);
  return Fail(http::Error{http::ErrorKind::kOther, "no scripted reply left", false});
}

void ScriptedHttpClient::Reply(int status, std::string body, std::vector<http::Header> headers) {
  script_.push_back([status, body = std::move(body), headers = std::move(headers)](
                        const http::Request&) { return MakeResponse(status, body, headers); });
}

void ScriptedHttpClient::FailTransport(http::ErrorKind kind, bool maybe_sent) {
  script_.push_back([kind, maybe_sent](const http::Request&) -> http::HttpResult {
    return Fail(http::Error{kind, "scripted transport failure", maybe_sent});
  });
}

void ScriptedHttpClient::ReplyWith(Handler handler) { script_.push_back(std::move(handler)); }

FakeCredentialsProvider::FakeCredentialsProvider() { Set(kAccessKey, kSecretKey); }

void FakeCredentialsProvider::Set(std::string access_key_id, std::string secret,
                                  std::string token) {
  auto credentials = std::make_shared<Credentials>();
  credentials->access_key_id = std::move(access_key_id);
  credentials->secret_access_key = SecretString(std::move(secret));
  credentials->session_token = SecretString(std::move(token));
  credentials->source = "fake";
  current_ = std::move(credentials);
  failure_.clear();
}

CredentialsResult FakeCredentialsProvider::Resolve() {
  ++resolve_count_;
  if (!failure_.empty()) return Fail(CredentialsError{failure_});
  return current_;
}

void FixedRandom::Fill(unsigned char* out, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) out[i] = next_++;
}

std::string HeaderOf(const http::Request& request, std::string_view name) {
  for (const auto& header : request.headers) {
    if (std::equal(header.name.begin(), header.name.end(), name.begin(), name.end(),
                   [](char a, char b) {
                     return std::tolower(static_cast<unsigned char>(a)) ==
                            std::tolower(static_cast<unsigned char>(b));
                   })) {
      return header.value;
    }
  }
  return "<absent>";
}

}  // namespace dbtrotate::aws::testing
