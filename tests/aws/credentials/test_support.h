#ifndef DBTROTATE_TESTS_AWS_CREDENTIALS_TEST_SUPPORT_H_
#define DBTROTATE_TESTS_AWS_CREDENTIALS_TEST_SUPPORT_H_

// Helpers for the credentials tests: temporary directories, an http::Client over httplib (until
// the libcurl client lands), loopback servers and a scripted fake client.

#include <httplib.h>

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "http/client.h"
#include "http/curl_client.h"

namespace dbtrotate::aws::testing {

/// A fresh directory under $TMPDIR, removed with its contents at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  /// Writes `contents` to path()/name (creating parent directories) and returns the full path.
  std::string Write(const std::string& name, const std::string& contents, int mode = 0600) const;

 private:
  std::string path_;
};

/// The production http::CurlClient, guarded: only loopback hosts are let through (anything else
/// fails with kConnect before any network activity), so a test that reaches for 169.254.169.254
/// or a real AWS endpoint fails instead of leaving the machine.
class TestHttpClient final : public http::Client {
 public:
  http::HttpResult Send(const http::Request& request) override;

 private:
  http::CurlClient curl_;
};

/// An httplib server on 127.0.0.1 and a free port; register routes on server() before Start().
class LoopbackServer {
 public:
  LoopbackServer();
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  httplib::Server& server() { return server_; }
  void Start();
  void Stop();
  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

/// A scripted http::Client: records every request and answers from a handler.
class FakeHttpClient final : public http::Client {
 public:
  using Handler = std::function<http::HttpResult(const http::Request&)>;
  explicit FakeHttpClient(Handler handler) : handler_(std::move(handler)) {}

  http::HttpResult Send(const http::Request& request) override;
  std::vector<http::Request> requests();

 private:
  Handler handler_;
  std::mutex mutex_;
  std::vector<http::Request> requests_;
};

http::Response MakeResponse(int status, std::string body);
http::Error MakeTransportError(http::ErrorKind kind, std::string message = "fake");

/// std::chrono time for a fixed UTC date, e.g. Utc(2026, 8, 30, 12, 0, 0).
SystemTime Utc(int year, unsigned month, unsigned day, int hour, int minute, int second);

/// Converts httplib headers to http::Header (names as received).
std::vector<http::Header> HeadersOf(const httplib::Request& request);

}  // namespace dbtrotate::aws::testing

#endif  // DBTROTATE_TESTS_AWS_CREDENTIALS_TEST_SUPPORT_H_
