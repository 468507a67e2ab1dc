#ifndef DBTROTATE_TESTS_SUPPORT_SCRIPTED_HTTP_CLIENT_H_
#define DBTROTATE_TESTS_SUPPORT_SCRIPTED_HTTP_CLIENT_H_

// A scripted http::Client for unit tests: answers from a queue (then from a fallback handler),
// and records every request so tests can assert exact URLs, headers and bodies.

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "http/client.h"

namespace dbtrotate::testing {

http::Response MakeResponse(int status, std::string body, std::vector<http::Header> headers = {});

class ScriptedHttpClient final : public http::Client {
 public:
  using Handler = std::function<http::HttpResult(const http::Request&)>;

  http::HttpResult Send(const http::Request& request) override;

  void Push(http::HttpResult result);
  void Reply(int status, std::string body, std::vector<http::Header> headers = {});
  void FailTransport(http::ErrorKind kind, bool maybe_sent);
  /// One scripted reply computed from the request.
  void ReplyWith(Handler handler) { script_.push_back(std::move(handler)); }
  /// Answers every request once the script is used up; without one, such a request fails
  /// the test.
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }

  const std::vector<http::Request>& requests() const { return requests_; }
  std::size_t pending() const { return script_.size(); }
  int sent() const { return static_cast<int>(requests_.size()); }

 private:
  std::deque<Handler> script_;
  Handler fallback_;
  std::vector<http::Request> requests_;
};

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_SUPPORT_SCRIPTED_HTTP_CLIENT_H_
