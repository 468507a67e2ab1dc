#ifndef DBTROTATE_TESTS_AWS_CREDENTIALS_FAKE_STS_H_
#define DBTROTATE_TESTS_AWS_CREDENTIALS_FAKE_STS_H_

// A loopback STS for AssumeRole and AssumeRoleWithWebIdentity (reference §5.4, §5.5). It checks
// what real STS checks that matters here: AssumeRole must carry a valid SigV4 signature for
// service "sts" in the expected region (verified with the sigv4 verifier against the secret keys
// it knows, including keys it issued), web identity calls must be unsigned and carry the token.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/credentials/test_support.h"
#include "aws/sigv4/verifier.h"
#include "core/clock.h"
#include "core/secret_string.h"

namespace dbtrotate::aws::testing {

class FakeSts {
 public:
  struct Call {
    std::string action;
    std::map<std::string, std::string> params;
    bool had_authorization = false;
    std::optional<sigv4::ParsedAuthorization> authorization;  // when the signature verified
    std::string verify_error;                                 // when it did not
    std::string security_token;                               // X-Amz-Security-Token, if sent
    std::string content_type;
    std::string issued_access_key;  // empty when the call failed
  };

  FakeSts(Clock& clock, std::string region);
  ~FakeSts();

  void AddKey(const std::string& access_key_id, const std::string& secret);
  void Start() { server_.Start(); }
  std::string url() const { return server_.base_url(); }

  /// Every later call gets this answer instead of credentials.
  void FailWith(int status, std::string body);
  void Succeed() { failure_.reset(); }
  void SetLifetime(Duration lifetime) { lifetime_ = lifetime; }
  void ExpectWebIdentityToken(std::string token) { web_token_ = std::move(token); }

  std::vector<Call> calls();
  std::string SecretOf(const std::string& access_key_id);

 private:
  void Handle(const httplib::Request& request, httplib::Response& response);

  Clock& clock_;
  std::string region_;
  LoopbackServer server_;
  std::mutex mutex_;
  std::map<std::string, SecretString, std::less<>> keys_;
  std::vector<Call> calls_;
  std::optional<std::pair<int, std::string>> failure_;
  Duration lifetime_ = std::chrono::hours(1);
  std::string web_token_;
  int issued_ = 0;
};

}  // namespace dbtrotate::aws::testing

#endif  // DBTROTATE_TESTS_AWS_CREDENTIALS_FAKE_STS_H_
