#include "emulators/common/emulator_server.h"

#include <httplib.h>

#include <cctype>
#include <exception>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "core/ascii.h"
#include "emulators/common/connection_control.h"

namespace dbtrotate::emulators {
namespace {

constexpr const char* kUnrouted = "unrouted";

// Header names and values a test may assert on, without the credentials themselves.
std::multimap<std::string, std::string> RecordedHeaders(const httplib::Request& request) {
  std::multimap<std::string, std::string> headers;
  for (const auto& [name, value] : request.headers) {
    std::string key = AsciiLower(name);
    if (key == "authorization") {
      const auto space = value.find(' ');
      headers.emplace(
          std::move(key),
          (space == std::string::npos ? std::string() : value.substr(0, space + 1)) + "<redacted>");
    } else if (key == "x-amz-security-token") {
      headers.emplace(std::move(key), "<redacted>");
    } else {
      headers.emplace(std::move(key), value);
    }
  }
  return headers;
}

void WriteFault(httplib::Response& response, const Fault& fault) {
  response.status = fault.status;
  for (const auto& [name, value] : fault.headers) response.set_header(name, value);
  if (!fault.body.empty()) response.set_content(fault.body, fault.content_type);
}

void Register(httplib::Server& server, Method method, const std::string& pattern,
              httplib::Server::Handler handler) {
  switch (method) {
    case Method::kGet:
      server.Get(pattern, std::move(handler));
      break;
    case Method::kPost:
      server.Post(pattern, std::move(handler));
      break;
    case Method::kPut:
      server.Put(pattern, std::move(handler));
      break;
    case Method::kDelete:
      server.Delete(pattern, std::move(handler));
      break;
    case Method::kPatch:
      server.Patch(pattern, std::move(handler));
      break;
  }
}

}  // namespace

void SetJsonBody(httplib::Response& response, int status, const std::string& json) {
  response.status = status;
  response.set_content(json, "application/json");
}

EmulatorServer::EmulatorServer() = default;

EmulatorServer::~EmulatorServer() { Stop(); }

void EmulatorServer::Route(Method method, std::string pattern, std::string operation,
                           Handler handler) {
  Route(method, std::move(pattern),
        OperationNamer(
            [operation = std::move(operation)](const httplib::Request&) { return operation; }),
        std::move(handler));
}

void EmulatorServer::Route(Method method, std::string pattern, OperationNamer namer,
                           Handler handler) {
  routes_.push_back(std::make_shared<RouteEntry>(
      RouteEntry{method, std::move(pattern), std::move(namer), std::move(handler)}));
}

void EmulatorServer::SetFallback(Handler handler) { fallback_ = std::move(handler); }

Result<void, std::string> EmulatorServer::Start(const ServerOptions& options) {
  if (server_) return Fail(std::string("emulator already started"));
  auto fallback = std::make_shared<RouteEntry>(RouteEntry{
      Method::kGet, ".*", [](const httplib::Request&) { return std::string(kUnrouted); },
      fallback_
          ? fallback_
          : [](const httplib::Request&, httplib::Response& response) { response.status = 404; }});
  ServerOptions with_handshake = options;
  with_handshake.on_accept = [this](std::chrono::steady_clock::time_point accepted) {
    faults_.NoteAccepted(accepted);
    faults_.SleepUntil(accepted + faults_.accept_latency());
  };
  auto started = LoopbackServer::Start(with_handshake, [this, fallback](httplib::Server& server) {
    for (const auto& route : routes_) {
      Register(server, route->method, route->pattern,
               [this, route](const httplib::Request& request, httplib::Response& response) {
                 Dispatch(*route, request, response);
               });
    }
    // Registered last, so only requests no route matched reach it.
    for (Method method :
         {Method::kGet, Method::kPost, Method::kPut, Method::kDelete, Method::kPatch}) {
      Register(server, method, fallback->pattern,
               [this, fallback](const httplib::Request& request, httplib::Response& response) {
                 Dispatch(*fallback, request, response);
               });
    }
  });
  if (!started.has_value()) return Fail(std::move(started).error());
  server_ = std::move(started).value();
  server_->AddStopHook([this] { faults_.Shutdown(); });
  return {};
}

void EmulatorServer::Stop() {
  faults_.Shutdown();
  if (server_) server_->Stop();
}

int EmulatorServer::port() const { return server_ ? server_->port() : 0; }

std::string EmulatorServer::base_url() const { return server_ ? server_->base_url() : ""; }

void EmulatorServer::Dispatch(const RouteEntry& route, const httplib::Request& request,
                              httplib::Response& response) {
  const std::string operation = route.namer(request);
  const RequestLog::Ticket ticket =
      log_.Begin(request.method, request.target, operation, RecordedHeaders(request));
  const RequestInfo info{ticket.index, ticket.operation_index, request.method, request.path,
                         operation};

  // Logged before the socket is cut, so a test that saw its request fail sees the record.
  auto drop = [&](bool applied, std::optional<FaultKind> kind) {
    log_.Finish(ticket, 0, applied, kind);
    DropConnection(request, response);
  };

  const auto delay =
      faults_.ConnectionDelay(request.remote_addr, request.remote_port) + faults_.latency();
  if (!faults_.SleepFor(delay)) return drop(false, std::nullopt);

  const std::optional<Fault> fault = faults_.Decide(info);
  const std::optional<FaultKind> kind =
      fault ? std::optional<FaultKind>(fault->kind) : std::nullopt;
  bool drop_after_apply = false;
  if (fault) {
    switch (fault->kind) {
      case FaultKind::kStatus:
      case FaultKind::kGarbage:
        WriteFault(response, *fault);
        log_.Finish(ticket, fault->status, false, kind);
        return;
      case FaultKind::kDrop:
        return drop(false, kind);
      case FaultKind::kHang:
        if (faults_.SleepFor(fault->delay) && fault->status > 0) {
          WriteFault(response, *fault);
          log_.Finish(ticket, fault->status, false, kind);
          return;
        }
        return drop(false, kind);
      case FaultKind::kHold: {
        const HoldRelease how = faults_.Hold(info);
        if (how == HoldRelease::kDrop) return drop(false, kind);
        drop_after_apply = how == HoldRelease::kApplyThenDrop;
        break;
      }
      case FaultKind::kApplyThenDrop:
        drop_after_apply = true;
        break;
      case FaultKind::kApplyThenStatus:
        break;
    }
  }

  try {
    route.handler(request, response);
  } catch (const std::exception& e) {
    // A handler bug must show up as a failed test, not a dead server thread.
    response = httplib::Response();
    SetJsonBody(
        response, 500,
        nlohmann::json{{"detail", std::string("emulator handler failed: ") + e.what()}}.dump());
  }

  if (drop_after_apply) return drop(true, kind);
  if (fault && fault->kind == FaultKind::kApplyThenStatus) {
    response = httplib::Response();
    WriteFault(response, *fault);
    log_.Finish(ticket, fault->status, true, kind);
    return;
  }
  log_.Finish(ticket, response.status < 0 ? 200 : response.status, true, kind);
}

}  // namespace dbtrotate::emulators
