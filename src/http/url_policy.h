#ifndef DBTROTATE_HTTP_URL_POLICY_H_
#define DBTROTATE_HTTP_URL_POLICY_H_

// Where we are willing to send credentials: https anywhere (certificates always verified),
// plain http only to this machine's loopback, which tests and the sandbox need.

#include <string>
#include <string_view>

#include "http/client.h"

namespace dbtrotate::http {

struct ParsedUrl {
  std::string scheme;  // lower-case
  std::string host;    // without brackets for IPv6
  std::string port;    // empty when default
  std::string path;    // "/" when empty
};

/// Parses with libcurl's URL API. Rejects anything but http/https and URLs with user-info.
Result<ParsedUrl, Error> ParseUrl(const std::string& url);

/// True for 127.0.0.0/8, ::1 and localhost.
bool IsLoopbackHost(std::string_view host);

/// https anywhere, http only to loopback.
Result<ParsedUrl, Error> CheckUrlPolicy(const std::string& url);

/// "GET https://host/path" without query or user-info: safe for messages.
std::string DescribeRequest(Method method, const std::string& url);

}  // namespace dbtrotate::http

#endif  // DBTROTATE_HTTP_URL_POLICY_H_
