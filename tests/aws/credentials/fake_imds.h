#ifndef DBTROTATE_TESTS_AWS_CREDENTIALS_FAKE_IMDS_H_
#define DBTROTATE_TESTS_AWS_CREDENTIALS_FAKE_IMDS_H_

#include <mutex>
#include <string>
#include <vector>

#include "aws/credentials/test_support.h"

namespace dbtrotate::aws::testing {

// A loopback IMDS (reference §5.8). v2 mode: GETs need a token from PUT /latest/api/token.
// v1-only mode: the token PUT is refused with `token_status`.
class FakeImds {
 public:
  FakeImds() {
    auto& s = server_.server();
    s.Put("/latest/api/token", [this](const httplib::Request& q, httplib::Response& r) {
      std::lock_guard lock(mutex_);
      log_.push_back("PUT token ttl=" + q.get_header_value("x-aws-ec2-metadata-token-ttl-seconds"));
      if (token_status != 200) {
        r.status = token_status;
        return;
      }
      current_token_ = "imds-token-" + std::to_string(++tokens_issued_);
      r.set_content(current_token_, "text/plain");
    });
    s.Get("/latest/meta-data/iam/security-credentials/",
          [this](const httplib::Request& q, httplib::Response& r) {
            if (!Authorized(q, r, "GET roles")) return;
            if (role.empty()) {
              r.status = 404;
              return;
            }
            r.set_content(role + "\n", "text/plain");
          });
    s.Get(R"(/latest/meta-data/iam/security-credentials/([^/]+))",
          [this](const httplib::Request& q, httplib::Response& r) {
            if (!Authorized(q, r, "GET " + q.matches[1].str())) return;
            if (q.matches[1].str() != role) {
              r.status = 404;
              return;
            }
            r.set_content(credentials_body, "text/plain");
          });
    server_.Start();
  }
  ~FakeImds() { server_.Stop(); }
  FakeImds(const FakeImds&) = delete;
  FakeImds& operator=(const FakeImds&) = delete;

  std::string url() const { return server_.base_url(); }
  std::vector<std::string> log() {
    std::lock_guard lock(mutex_);
    return log_;
  }

  int token_status = 200;
  bool reject_next_token = false;  // the next GET with a token gets 401 (token expired)
  std::string role = "Rotator";
  std::string credentials_body =
      R"({"Code":"Success","LastUpdated":"2026-08-30T11:00:00Z","Type":"AWS-HMAC",)"
      R"("AccessKeyId":"ASIAIMDS","SecretAccessKey":"imds-secret","Token":"imds-token",)"
      R"("Expiration":"2026-08-30T18:00:00Z"})";

 private:
  bool Authorized(const httplib::Request& q, httplib::Response& r, const std::string& what) {
    std::lock_guard lock(mutex_);
    std::string token = q.get_header_value("x-aws-ec2-metadata-token");
    log_.push_back(what + (token.empty() ? " (v1)" : " token=" + token));
    if (token_status == 200) {
      if (token.empty() || token != current_token_ || reject_next_token) {
        reject_next_token = false;
        r.status = 401;
        return false;
      }
    }
    return true;
  }

  LoopbackServer server_;
  std::mutex mutex_;
  std::vector<std::string> log_;
  std::string current_token_;
  int tokens_issued_ = 0;
};

}  // namespace dbtrotate::aws::testing

#endif  // DBTROTATE_TESTS_AWS_CREDENTIALS_FAKE_IMDS_H_
