#ifndef DBTROTATE_HTTP_CURL_CLIENT_H_
#define DBTROTATE_HTTP_CURL_CLIENT_H_

// The production http::Client, over libcurl. One CurlClient per process: all requests share
// one connection cache, TLS session cache and DNS cache (a curl "share"), so a rotation pays
// one TCP+TLS handshake per host, also when requests run on several threads.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "http/client.h"
#include "http/preconnect.h"

namespace dbtrotate::http {

struct CurlClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{30'000};
  /// Bodies larger than this are refused (kResponseTooLarge): no API we call sends megabytes.
  std::size_t max_response_bytes = 8u << 20;
  /// PEM CA bundle (--ca-bundle, SSL_CERT_FILE, AWS_CA_BUNDLE); empty = the system default.
  std::string ca_bundle;
  /// Plain http:// is refused except to loopback hosts (127.0.0.0/8, ::1, localhost)...
  bool allow_http_loopback = true;
  /// ...and to these hosts: the link-local metadata endpoints (IMDS, ECS, EKS Pod Identity),
  /// which only exist in plain http. Only the metadata client sets them.
  std::vector<std::string> plain_http_hosts;
  /// Never use a proxy (metadata endpoints are link-local; a proxy would see the credentials).
  bool no_proxy = false;
  /// Idle connections the shared cache keeps (libcurl's default: 5). A caller with more
  /// requests in flight at once raises it, or connections are closed and reopened all along.
  long max_idle_connections = 5;
  /// TCP connections opened ahead (http/preconnect.h): a request that needs a new connection
  /// to one of their addresses adopts one instead of connecting.
  std::shared_ptr<Preconnector> preconnected;
};

/// Counters for tests and the benchmark (connection reuse is a requirement, not a hope).
struct CurlClientStats {
  std::size_t requests = 0;
  std::size_t new_connections = 0;
};

/// The URL policy with these options applied (https anywhere; http to loopback and to
/// `plain_http_hosts`). Nothing is sent.
Result<void, Error> CheckRequestUrl(const std::string& url, const CurlClientOptions& options);

class CurlClient final : public Client {
 public:
  explicit CurlClient(CurlClientOptions options = {});
  ~CurlClient() override;
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  HttpResult Send(const Request& request) override;
  CurlClientStats Stats() const;

 private:
  struct Shared;  // the curl share handle and its locks
  void* AcquireHandle();
  void ReleaseHandle(void* handle);

  CurlClientOptions options_;
  std::unique_ptr<Shared> shared_;
  std::mutex pool_mutex_;
  std::vector<void*> idle_handles_;
  std::atomic<std::size_t> requests_{0};
  std::atomic<std::size_t> new_connections_{0};
};

}  // namespace dbtrotate::http

#endif  // DBTROTATE_HTTP_CURL_CLIENT_H_
