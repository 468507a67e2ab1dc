#include "support/scripted_http_client.h"

#include <gtest/gtest.h>

#include <memory>

namespace dbtrotate::testing {

http::Response MakeResponse(int status, std::string body, std::vector<http::Header> headers) {
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
  ADD_FAILURE() << "unexpected request " << http::MethodName(request.method) << " " << request.url;
  return Fail(http::Error{http::ErrorKind::kOther, "no scripted reply left", false});
}

void ScriptedHttpClient::Push(http::HttpResult result) {
  auto shared = std::make_shared<http::HttpResult>(std::move(result));
  script_.push_back([shared](const http::Request&) { return std::move(*shared); });
}

void ScriptedHttpClient::Reply(int status, std::string body, std::vector<http::Header> headers) {
  script_.push_back([status, body = std::move(body),
                     headers = std::move(headers)](const http::Request&) -> http::HttpResult {
    return MakeResponse(status, body, headers);
  });
}

void ScriptedHttpClient::FailTransport(http::ErrorKind kind, bool maybe_sent) {
  script_.push_back([kind, maybe_sent](const http::Request&) -> http::HttpResult {
    return Fail(http::Error{kind, "scripted transport failure", maybe_sent});
  });
}

}  // namespace dbtrotate::testing
