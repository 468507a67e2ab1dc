#include "dbtcloud/access_url.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/ascii.h"

namespace dbtrotate::dbtcloud {

namespace {

constexpr std::string_view kExample = "e.g. https://ab123.us1.dbt.com";

// The URL itself is never echoed: users paste user-info or query strings that hold tokens.
Error Invalid(std::string_view what) {
  return Error{ErrorCode::kInvalidConfig, 0,
               fmt::format("invalid dbt Cloud access URL: {}; use the access URL from Account "
                           "settings → Access URLs ({})",
                           what, kExample),
               false};
}

bool IsDnsLabel(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(),
                     [](unsigned char c) { return std::isalnum(c) != 0 || c == '-'; });
}

bool IsDnsHost(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = host.find('.', start);
    if (!IsDnsLabel(host.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool IsIpv4(const std::string& host) {
  in_addr addr{};
  return inet_pton(AF_INET, host.c_str(), &addr) == 1;
}

bool IsIpv6(const std::string& host) {
  in6_addr addr{};
  return inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

bool IsLoopback(const std::string& host, bool ipv6) {
  if (ipv6) {
    in6_addr addr{};
    return inet_pton(AF_INET6, host.c_str(), &addr) == 1 && IN6_IS_ADDR_LOOPBACK(&addr);
  }
  if (host == "localhost") return true;
  return IsIpv4(host) && host.rfind("127.", 0) == 0;
}

// The paths people copy along with the host; all mean "the API root of this host".
bool IsAcceptedPath(std::string_view path) {
  constexpr std::array<std::string_view, 6> kPaths = {"",      "/",       "/api",
                                                      "/api/", "/api/v3", "/api/v3/"};
  return std::find(kPaths.begin(), kPaths.end(), path) != kPaths.end();
}

}  // namespace

DbtResult<AccessUrl> ParseAccessUrl(std::string_view text) {
  if (text.empty()) return Fail(Invalid("it is empty"));
  for (const unsigned char c : text) {
    if (std::isspace(c) != 0) return Fail(Invalid("it contains whitespace"));
    if (c < 0x20 || c >= 0x7f) return Fail(Invalid("it contains a non-ASCII or control character"));
  }
  if (text.find_first_of("?#") != std::string_view::npos) {
    return Fail(Invalid("it has a query string or fragment ('?' or '#')"));
  }

  AccessUrl url;
  std::string_view rest = text;
  if (const std::size_t sep = text.find("://"); sep != std::string_view::npos) {
    const std::string scheme = AsciiLower(text.substr(0, sep));
    if (scheme == "https") {
      url.https = true;
    } else if (scheme == "http") {
      url.https = false;
    } else {
      return Fail(Invalid("the scheme must be https:// (or http:// for a loopback test server)"));
    }
    rest = text.substr(sep + 3);
  }

  const std::size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  const std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) {
    return Fail(
        Invalid("it contains user information ('user@' or 'user:password@'); the token "
                "is configured on its own, never in the URL"));
  }
  if (authority.empty()) return Fail(Invalid("it has no host"));

  std::string_view host_part;
  std::string_view port_part;
  bool ipv6 = false;
  if (authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return Fail(Invalid("an IPv6 address lacks its ']'"));
    host_part = authority.substr(1, close - 1);
    ipv6 = true;
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Fail(Invalid("unexpected text after the IPv6 address"));
      port_part = after.substr(1);
      if (port_part.empty()) return Fail(Invalid("the port after ':' is empty"));
    }
  } else {
    const std::size_t colon = authority.find(':');
    host_part = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_part = authority.substr(colon + 1);
      if (port_part.empty()) return Fail(Invalid("the port after ':' is empty"));
    }
  }

  url.host = AsciiLower(host_part);
  if (ipv6) {
    if (!IsIpv6(url.host)) return Fail(Invalid("the IPv6 address in [] is not valid"));
  } else if (!IsIpv4(url.host) && !IsDnsHost(url.host)) {
    return Fail(
        Invalid("the host is not a valid DNS name or IP address (letters, digits, '-' "
                "and '.' only)"));
  }

  if (!port_part.empty()) {
    if (port_part.size() > 5 || !std::all_of(port_part.begin(), port_part.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        })) {
      return Fail(Invalid("the port is not a number"));
    }
    const int port = std::stoi(std::string(port_part));
    if (port < 1 || port > 65535) return Fail(Invalid("the port is not in 1-65535"));
    if (port != (url.https ? 443 : 80)) url.port = static_cast<std::uint16_t>(port);
  }

  if (!IsAcceptedPath(path)) {
    return Fail(Invalid("it has a path other than /api or /api/v3; give only the host"));
  }
  if (!url.https && !IsLoopback(url.host, ipv6)) {
    return Fail(
        Invalid("plain http:// is allowed only for loopback test servers (127.0.0.1, "
                "[::1], localhost); use https://"));
  }

  url.base = fmt::format("{}://{}{}{}", url.https ? "https" : "http",
                         ipv6 ? "[" + url.host + "]" : url.host, url.port ? ":" : "",
                         url.port ? std::to_string(*url.port) : "");
  return url;
}

std::string RedactedUrl(std::string_view text) {
  const std::size_t sep = text.find("://");
  const std::size_t start = sep == std::string_view::npos ? 0 : sep + 3;
  const std::size_t end = std::min(text.find_first_of("/?#", start), text.size());
  const std::size_t at = text.substr(start, end - start).rfind('@');
  if (at == std::string_view::npos) return std::string(text);
  return std::string(text.substr(0, start)) + "<redacted>" + std::string(text.substr(start + at));
}

}  // namespace dbtrotate::dbtcloud
