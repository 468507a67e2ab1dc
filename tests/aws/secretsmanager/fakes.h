#ifndef DBTROTATE_TESTS_AWS_SECRETSMANAGER_FAKES_H_
#define DBTROTATE_TESTS_AWS_SECRETSMANAGER_FAKES_H_

// Test doubles for SecretsManagerClient: a scripted http::Client that records every request,
// a credentials provider with switchable credentials, and a Random with a fixed unit value.

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aws/credentials/credentials.h"
#include "core/random.h"
#include "http/client.h"

namespace dbtrotate::aws::testing {

inline constexpr char kAccessKey[] = "AKIDEXAMPLE";
inline constexpr char kSecretKey[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// Replies from a queue (then from `fallback`, if set); records every request it gets.
class ScriptedHttpClient final : public http::Client {
 public:
  using Handler = std::function<http::HttpResult(const http::Request&)>;

  http::HttpResult Send(const http::Request& request) override;

  void Reply(int status, std::string body, std::vector<http::Header> headers = {});
  void FailTransport(http::ErrorKind kind, bool maybe_sent);
  void ReplyWith(Handler handler);  // one scripted reply computed from the request
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }

  const std::vector<http::Request>& requests() const { return requests_; }
  std::size_t pending() const { return script_.size(); }

 private:
  std::deque<Handler> script_;
  Handler fallback_;
  std::vector<http::Request> requests_;
};

http::HttpResult MakeResponse(int status, std::string body, std::vector<http::Header> headers = {});

class FakeCredentialsProvider final : public CredentialsProvider {
 public:
  FakeCredentialsProvider();
  CredentialsResult Resolve() override;

  void Set(std::string access_key_id, std::string secret, std::string token = "");
  void FailWith(std::string message) { failure_ = std::move(message); }
  int resolve_count() const { return resolve_count_; }

 private:
  std::shared_ptr<const Credentials> current_;
  std::string failure_;
  int resolve_count_ = 0;
};

class FixedRandom final : public Random {
 public:
  explicit FixedRandom(double unit) : unit_(unit) {}
  double NextUnit() override { return unit_; }
  void Fill(unsigned char* out, std::size_t size) override;

 private:
  double unit_;
  unsigned char next_ = 0;
};

/// The value of the first header with this name (case-insensitive), or "<absent>".
std::string HeaderOf(const http::Request& request, std::string_view name);

}  // namespace dbtrotate::aws::testing

#endif  // DBTROTATE_TESTS_AWS_SECRETSMANAGER_FAKES_H_
