#ifndef DBTROTATE_HTTP_CLIENT_H_
#define DBTROTATE_HTTP_CLIENT_H_

// The HTTP seam. Every remote system (dbt Cloud, Secrets Manager, STS, IMDS, container
// credentials) is reached through Client, so tests can put a fake or a loopback server behind
// it. Transport failures are an Error; any HTTP status, including 5xx, is a Response.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace dbtrotate::http {

enum class Method { kGet, kHead, kPost, kPut, kDelete, kPatch };
std::string_view MethodName(Method method);

/// GET, HEAD, PUT and DELETE (RFC 9110 §9.2.2).
constexpr bool IsIdempotentMethod(Method method) {
  return method == Method::kGet || method == Method::kHead || method == Method::kPut ||
         method == Method::kDelete;
}

struct Header {
  std::string name;
  std::string value;
};

/// Request and Response wipe their header values and body when destroyed: they carry bearer
/// tokens, signatures and secret values.
struct Request {
  Method method = Method::kGet;
  std::string url;
  std::vector<Header> headers;
  std::string body;
  /// Safe to send twice (GET, HEAD, PUT, DELETE by default; a POST only when the caller says so,
  /// e.g. it carries an idempotency key). Only these are retried after a failure that may have
  /// happened after the request was sent, and only these may share a pooled connection.
  bool idempotent = false;
  /// Overrides the client's total timeout for this request (e.g. short IMDS probes).
  std::optional<std::chrono::milliseconds> timeout;

  Request() = default;
  Request(Method m, std::string u)
      : method(m), url(std::move(u)), idempotent(IsIdempotentMethod(m)) {}
  Request(const Request&) = default;
  Request(Request&&) noexcept = default;
  Request& operator=(const Request&) = default;
  Request& operator=(Request&&) noexcept = default;
  ~Request();

  Request& AddHeader(std::string name, std::string value) {
    headers.push_back({std::move(name), std::move(value)});
    return *this;
  }
};

struct Response {
  int status = 0;
  std::vector<Header> headers;  // names lower-cased
  std::string body;

  Response() = default;
  Response(const Response&) = default;
  Response(Response&&) noexcept = default;
  Response& operator=(const Response&) = default;
  Response& operator=(Response&&) noexcept = default;
  ~Response();

  /// First header with this (case-insensitive) name.
  std::optional<std::string> HeaderValue(std::string_view name) const;
  bool IsSuccess() const { return status >= 200 && status < 300; }
};

enum class ErrorKind {
  kInvalidUrl,     // unparsable URL or unsupported scheme
  kInsecureUrl,    // plain http:// to a host that is not loopback
  kResolve,        // DNS failure (host or proxy)
  kConnect,        // could not connect; the request was certainly not sent
  kTls,            // handshake or certificate verification failed
  kTimeout,        // connect or total timeout
  kSendFailed,     // connection broke while sending
  kReceiveFailed,  // connection broke before a complete response arrived
  kResponseTooLarge,
  kOther,
};

struct Error {
  ErrorKind kind = ErrorKind::kOther;
  std::string message;  // what failed and where; never contains header values or bodies
  /// False only when the request certainly never reached the server (resolve/connect/URL
  /// errors). A non-idempotent request whose error has this true is *ambiguous*: the server
  /// may have applied it.
  bool maybe_sent = true;
};

std::string_view ErrorKindName(ErrorKind kind);

using HttpResult = Result<Response, Error>;

class Client {
 public:
  virtual ~Client() = default;
  /// Sends one request. Thread-safe: independent requests may be sent concurrently.
  virtual HttpResult Send(const Request& request) = 0;
};

}  // namespace dbtrotate::http

#endif  // DBTROTATE_HTTP_CLIENT_H_
