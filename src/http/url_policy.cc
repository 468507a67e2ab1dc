#include "http/url_policy.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "core/ascii.h"

namespace dbtrotate::http {

namespace {

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

std::string GetPart(CURLU* url, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, 0) != CURLUE_OK || value == nullptr) return {};
  std::string out(value);
  curl_free(value);
  return out;
}

Error UrlError(ErrorKind kind, std::string message) {
  return Error{kind, std::move(message), /*maybe_sent=*/false};
}

}  // namespace

Result<ParsedUrl, Error> ParseUrl(const std::string& url) {
  std::unique_ptr<CURLU, UrlDeleter> handle(curl_url());
  if (!handle) return Fail(UrlError(ErrorKind::kOther, "out of memory parsing a URL"));
  if (curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return Fail(
        UrlError(ErrorKind::kInvalidUrl, "not a valid absolute URL (expected https://host/...)"));
  }
  ParsedUrl parsed;
  parsed.scheme = AsciiLower(GetPart(handle.get(), CURLUPART_SCHEME));
  parsed.host = AsciiLower(GetPart(handle.get(), CURLUPART_HOST));
  parsed.port = GetPart(handle.get(), CURLUPART_PORT);
  parsed.path = GetPart(handle.get(), CURLUPART_PATH);
  if (parsed.path.empty()) parsed.path.push_back('/');
  if (parsed.host.size() > 2 && parsed.host.front() == '[' && parsed.host.back() == ']') {
    parsed.host = parsed.host.substr(1, parsed.host.size() - 2);
  }
  if (parsed.scheme != "http" && parsed.scheme != "https") {
    return Fail(UrlError(ErrorKind::kInvalidUrl,
                         "unsupported URL scheme '" + parsed.scheme + "' (use https)"));
  }
  if (!GetPart(handle.get(), CURLUPART_USER).empty()) {
    return Fail(UrlError(ErrorKind::kInvalidUrl, "URLs with user-info are not accepted"));
  }
  if (parsed.host.empty()) return Fail(UrlError(ErrorKind::kInvalidUrl, "URL has no host"));
  return parsed;
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost") return true;
  std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6);
  }
  return false;
}

Result<ParsedUrl, Error> CheckUrlPolicy(const std::string& url) {
  auto parsed = ParseUrl(url);
  if (!parsed) return parsed;
  if (parsed->scheme == "http" && !IsLoopbackHost(parsed->host)) {
    return Fail(UrlError(ErrorKind::kInsecureUrl,
                         "refusing plain http:// to " + parsed->host +
                             ": credentials only travel over https (http is allowed for "
                             "loopback test servers only)"));
  }
  return parsed;
}

std::string DescribeRequest(Method method, const std::string& url) {
  std::string out(MethodName(method));
  out += ' ';
  auto parsed = ParseUrl(url);
  if (!parsed) return out + "<invalid URL>";
  out += parsed->scheme + "://";
  out += parsed->host.find(':') != std::string::npos ? "[" + parsed->host + "]" : parsed->host;
  if (!parsed->port.empty()) out += ":" + parsed->port;
  out += parsed->path;
  return out;
}

}  // namespace dbtrotate::http
