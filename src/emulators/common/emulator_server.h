#ifndef DBTROTATE_EMULATORS_COMMON_EMULATOR_SERVER_H_
#define DBTROTATE_EMULATORS_COMMON_EMULATOR_SERVER_H_

// The frame every emulator is built on: routes carry an operation name, and each request goes
// through the same pipeline — numbered and logged, delayed by the injected latency, then the
// FaultInjector decides whether the handler runs and what the client sees. Handlers only
// implement the service; they never deal with faults.
//
//   EmulatorServer server;
//   server.Route(Method::kPost, R"(/api/v3/accounts/(\d+)/service-tokens/)",
//                "create_service_token", [&](const httplib::Request& q, httplib::Response& r) {…});
//   server.Start(ServerOptions{});  // then server.base_url(), server.faults(), server.log()

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "emulators/common/fault_injector.h"
#include "emulators/common/loopback_server.h"
#include "emulators/common/request_log.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace dbtrotate::emulators {

enum class Method { kGet, kPost, kPut, kDelete, kPatch };

class EmulatorServer {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
  /// For services whose operation is not in the path (AWS: the X-Amz-Target header).
  using OperationNamer = std::function<std::string(const httplib::Request&)>;

  EmulatorServer();
  ~EmulatorServer();  // stops
  EmulatorServer(const EmulatorServer&) = delete;
  EmulatorServer& operator=(const EmulatorServer&) = delete;

  /// Before Start(). `pattern` is an ECMAScript regex matched against the whole path (no
  /// query); captures are in request.matches. Routes are tried in registration order.
  void Route(Method method, std::string pattern, std::string operation, Handler handler);
  void Route(Method method, std::string pattern, OperationNamer namer, Handler handler);
  /// Before Start(). Answers requests no route matched (operation "unrouted"); default: 404
  /// with an empty body. Unrouted requests are logged and can be faulted like any other.
  void SetFallback(Handler handler);

  Result<void, std::string> Start(const ServerOptions& options);
  /// Idempotent: ends holds/hangs/latency waits (held requests are dropped), then stops.
  void Stop();

  int port() const;
  std::string base_url() const;

  FaultInjector& faults() { return faults_; }
  RequestLog& log() { return log_; }
  /// Shorthand for faults().SetLatency().
  void SetLatency(std::chrono::milliseconds latency) { faults_.SetLatency(latency); }

 private:
  struct RouteEntry {
    Method method;
    std::string pattern;
    OperationNamer namer;
    Handler handler;
  };

  void Dispatch(const RouteEntry& route, const httplib::Request& request,
                httplib::Response& response);

  std::vector<std::shared_ptr<RouteEntry>> routes_;
  Handler fallback_;
  FaultInjector faults_;
  RequestLog log_;
  std::unique_ptr<LoopbackServer> server_;
};

/// Writes a JSON body with Content-Type application/json.
void SetJsonBody(httplib::Response& response, int status, const std::string& json);

}  // namespace dbtrotate::emulators

#endif  // DBTROTATE_EMULATORS_COMMON_EMULATOR_SERVER_H_
