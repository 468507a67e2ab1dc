#ifndef DBTROTATE_HTTP_PRECONNECT_H_
#define DBTROTATE_HTTP_PRECONNECT_H_

// TCP connections opened before the requests that will use them. A rotation knows its hosts
// before its first request (flags, environment), but its dbt requests must wait for the secret
// that Secrets Manager returns; opening their TCP connections while that read runs takes the
// TCP handshake off the critical path. CurlClient adopts such a socket (libcurl's
// CURLOPT_OPENSOCKETFUNCTION with CURL_SOCKOPT_ALREADY_CONNECTED) and runs TLS on it exactly as
// on a socket of its own: the certificate and host name are verified against the request's URL.
// Only TCP is done ahead: libcurl cannot adopt a TLS session, so that handshake stays on the path.

#include <sys/socket.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dbtrotate::http {

/// Looks up an environment variable (injected, so tests choose what is set).
using EnvGetter = std::function<std::optional<std::string>(const std::string& name)>;

/// True when libcurl would send a request for this scheme through a proxy taken from the
/// environment (https_proxy/HTTPS_PROXY or all_proxy/ALL_PROXY; http_proxy for http). A
/// connection opened ahead would go to the host itself, around the proxy: never do that.
/// NO_PROXY is not consulted: when in doubt, nothing is opened ahead.
bool ProxyConfigured(std::string_view scheme, const EnvGetter& env);

class Preconnector {
 public:
  /// Starts opening `count` connections to the host and port of `url` (http or https) on a
  /// thread of its own, since name resolution blocks. An unparsable URL opens nothing.
  /// Every connection attempt ends within `timeout`.
  static std::shared_ptr<Preconnector> Start(const std::string& url, int count,
                                             std::chrono::milliseconds timeout);
  /// Closes every socket nobody took. A name lookup still running is not waited for (a run
  /// that never needed the host must not wait on its DNS): the thread finishes on its own
  /// and closes what it opened.
  ~Preconnector();
  Preconnector(const Preconnector&) = delete;
  Preconnector& operator=(const Preconnector&) = delete;

  /// A connected socket to exactly this address, which the caller then owns, or -1 (none was
  /// opened to it, all were taken, the ones left were closed by the peer meanwhile, or they
  /// are still not open at the timeout). Waits for connections still being opened.
  int Take(const sockaddr* address, socklen_t length);

  /// Sockets connected and not yet taken, once opening has ended (tests).
  std::size_t Available();

 private:
  struct State;  // shared with the opening thread, which may outlive this object
  explicit Preconnector(std::shared_ptr<State> state) : state_(std::move(state)) {}

  std::shared_ptr<State> state_;
};

}  // namespace dbtrotate::http

#endif  // DBTROTATE_HTTP_PRECONNECT_H_
