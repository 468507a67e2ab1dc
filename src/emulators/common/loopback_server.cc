#include "emulators/common/loopback_server.h"

#include <httplib.h>

#include <csignal>
#include <utility>

#include "emulators/common/connection_control.h"

namespace dbtrotate::emulators {
namespace {

bool IsLoopbackLiteral(const std::string& host) {
  return host == "127.0.0.1" || host == "::1" || host == "localhost";
}

// cpp-httplib sends without MSG_NOSIGNAL: writing a reply to a client that already gave up
// (timeouts, drops) would otherwise kill the whole test process with SIGPIPE.
void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] { std::signal(SIGPIPE, SIG_IGN); });
}

// httplib enqueues each accepted connection exactly once, on its listening thread, right after
// accept(): the one place that knows when a connection began.
class AcceptHookQueue : public httplib::TaskQueue {
 public:
  using Hook = std::function<void(std::chrono::steady_clock::time_point)>;
  AcceptHookQueue(std::size_t threads, Hook hook) : pool_(threads), hook_(std::move(hook)) {}
  void enqueue(std::function<void()> serve) override {
    pool_.enqueue(
        [hook = hook_, serve = std::move(serve), accepted = std::chrono::steady_clock::now()] {
          hook(accepted);
          serve();
        });
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
  Hook hook_;
};

}  // namespace

Result<std::unique_ptr<LoopbackServer>, std::string> LoopbackServer::Start(
    const ServerOptions& options, const Setup& setup) {
  if (!IsLoopbackLiteral(options.host)) {
    return Fail(std::string("emulator host must be 127.0.0.1 or ::1, got '") + options.host + "'");
  }
  if (options.port < 0 || options.port > 65535) {
    return Fail("emulator port out of range: " + std::to_string(options.port));
  }
  if (options.cert_path.empty() != options.key_path.empty()) {
    return Fail(std::string("HTTPS needs both a certificate and a key file"));
  }
  IgnoreSigpipeOnce();

  std::unique_ptr<LoopbackServer> self(new LoopbackServer());
  self->host_ = options.host == "localhost" ? "127.0.0.1" : options.host;
  self->tls_ = !options.cert_path.empty();
  if (self->tls_) {
    self->server_ =
        std::make_unique<httplib::SSLServer>(options.cert_path.c_str(), options.key_path.c_str());
  } else {
    self->server_ = std::make_unique<httplib::Server>();
  }
  httplib::Server& server = *self->server_;
  if (!server.is_valid()) {
    return Fail("cannot load the TLS certificate '" + options.cert_path + "' or key '" +
                options.key_path + "'");
  }
  const int threads = options.threads > 0 ? options.threads : 1;
  server.new_task_queue = [threads, hook = options.on_accept]() -> httplib::TaskQueue* {
    if (hook) return new AcceptHookQueue(static_cast<std::size_t>(threads), hook);
    return new httplib::ThreadPool(static_cast<std::size_t>(threads));
  };
  server.set_keep_alive_max_count(static_cast<std::size_t>(
      options.keep_alive_max_count > 0 ? options.keep_alive_max_count : 1));
  server.set_keep_alive_timeout(2);
  server.set_tcp_nodelay(true);  // else every keep-alive reply waits ~40 ms for a delayed ACK
  server.set_address_family(self->host_ == "::1" ? AF_INET6 : AF_INET);
  // httplib's default also sets SO_REUSEPORT, which lets a second server bind a port that
  // is in use and silently share its traffic; a chosen port must be ours alone.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  if (setup) setup(server);

  if (options.port == 0) {
    self->port_ = server.bind_to_any_port(self->host_);
    if (self->port_ <= 0) {
      return Fail("cannot bind a free port on " + self->host_);
    }
  } else {
    if (!server.bind_to_port(self->host_, options.port)) {
      return Fail("cannot bind " + self->host_ + ":" + std::to_string(options.port) +
                  " (in use, or not permitted); choose another port or 0");
    }
    self->port_ = options.port;
  }
  // The socket listens from bind on, so clients may connect before the thread runs.
  self->thread_ = std::thread([&server] { server.listen_after_bind(); });
  // httplib's stop() is a no-op until the listen loop has marked itself running; wait for
  // that (bounded) so an early Stop() cannot leave the thread listening forever.
  for (int i = 0; i < 5000 && !server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!server.is_running()) {
    self->Stop();
    return Fail("the emulator on " + self->base_url() + " did not start listening");
  }
  return self;
}

LoopbackServer::~LoopbackServer() { Stop(); }

void LoopbackServer::AddStopHook(std::function<void()> hook) {
  std::lock_guard<std::mutex> lock(mutex_);
  stop_hooks_.push_back(std::move(hook));
}

void LoopbackServer::Stop() {
  std::vector<std::function<void()>> hooks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    hooks.swap(stop_hooks_);
  }
  for (auto& hook : hooks) hook();
  if (server_) server_->stop();
  // Idle keep-alive connections and handlers writing to slow clients would hold the worker
  // pool (and so the join below) for seconds; cut them.
  ShutdownAcceptedConnections(host_, port_);
  if (thread_.joinable()) thread_.join();
}

std::string LoopbackServer::base_url() const {
  const std::string scheme = tls_ ? "https://" : "http://";
  const std::string host = host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
  return scheme + host + ":" + std::to_string(port_);
}

}  // namespace dbtrotate::emulators
