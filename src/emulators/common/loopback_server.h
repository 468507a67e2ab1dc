#ifndef DBTROTATE_EMULATORS_COMMON_LOOPBACK_SERVER_H_
#define DBTROTATE_EMULATORS_COMMON_LOOPBACK_SERVER_H_

// A cpp-httplib server bound to a loopback address, listening on its own thread. Emulators
// and loopback test servers use it so that every server a test starts is stopped by RAII,
// quickly, even when a handler is deliberately hanging or a client keeps an idle keep-alive
// connection open (cpp-httplib 0.11.4 would otherwise wait for its keep-alive timeout).

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"

namespace httplib {
class Server;
}

namespace dbtrotate::emulators {

struct ServerOptions {
  /// "127.0.0.1" or "::1"; anything that is not a loopback literal is refused.
  std::string host = "127.0.0.1";
  /// 0 picks a free port.
  int port = 0;
  /// Both set: serve HTTPS (httplib::SSLServer) with this PEM certificate and key.
  std::string cert_path;
  std::string key_path;
  /// Worker threads; held or hanging requests each occupy one.
  int threads = 8;
  /// 1 answers every request with "Connection: close"; larger allows keep-alive reuse.
  int keep_alive_max_count = 100;
  /// Runs on the worker thread that serves a newly accepted connection, before any of its
  /// bytes are read, with the moment it was accepted (the emulators time a TCP handshake
  /// with it). Empty: none.
  std::function<void(std::chrono::steady_clock::time_point accepted)> on_accept;
};

class LoopbackServer {
 public:
  /// Registers routes on the not-yet-listening server.
  using Setup = std::function<void(httplib::Server&)>;

  /// Binds, starts listening, and returns a running server; the error says what failed.
  static Result<std::unique_ptr<LoopbackServer>, std::string> Start(const ServerOptions& options,
                                                                    const Setup& setup);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  /// Runs before the server stops, to wake handlers that wait (holds, hangs, latency).
  /// Call before Stop(); hooks run once, in the order added.
  void AddStopHook(std::function<void()> hook);

  /// Idempotent. Wakes waiting handlers, closes the listener, shuts down every accepted
  /// connection of this server, and joins the threads. Safe from any thread but a handler.
  void Stop();

  int port() const { return port_; }
  const std::string& host() const { return host_; }
  bool tls() const { return tls_; }
  /// "http://127.0.0.1:PORT" or "https://[::1]:PORT", without a trailing slash.
  std::string base_url() const;

 private:
  LoopbackServer() = default;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string host_;
  int port_ = 0;
  bool tls_ = false;
  std::mutex mutex_;
  std::vector<std::function<void()>> stop_hooks_;
  bool stopped_ = false;
};

}  // namespace dbtrotate::emulators

#endif  // DBTROTATE_EMULATORS_COMMON_LOOPBACK_SERVER_H_
