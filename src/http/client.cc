#include "http/client.h"

#include <algorithm>
#include <cctype>

#include "core/ascii.h"
#include "core/secret_string.h"

namespace dbtrotate::http {

namespace {

void WipeMessage(std::vector<Header>& headers, std::string& body) {
  for (auto& header : headers) WipeString(header.value);
  WipeString(body);
}

}  // namespace

std::string_view MethodName(Method method) {
  switch (method) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kDelete:
      return "DELETE";
    case Method::kPatch:
      return "PATCH";
  }
  return "GET";
}

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidUrl:
      return "invalid URL";
    case ErrorKind::kInsecureUrl:
      return "insecure URL";
    case ErrorKind::kResolve:
      return "name resolution failed";
    case ErrorKind::kConnect:
      return "connection failed";
    case ErrorKind::kTls:
      return "TLS failure";
    case ErrorKind::kTimeout:
      return "timed out";
    case ErrorKind::kSendFailed:
      return "send failed";
    case ErrorKind::kReceiveFailed:
      return "receive failed";
    case ErrorKind::kResponseTooLarge:
      return "response too large";
    case ErrorKind::kOther:
      return "transport error";
  }
  return "transport error";
}

Request::~Request() { WipeMessage(headers, body); }

Response::~Response() { WipeMessage(headers, body); }

std::optional<std::string> Response::HeaderValue(std::string_view name) const {
  for (const auto& header : headers) {
    if (AsciiEqualsIgnoreCase(header.name, name)) return header.value;
  }
  return std::nullopt;
}

}  // namespace dbtrotate::http
