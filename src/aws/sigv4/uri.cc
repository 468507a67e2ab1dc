#include "aws/sigv4/uri.h"

#include <cctype>

#include "core/ascii.h"

namespace dbtrotate::aws::sigv4 {

namespace {

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string UriEncode(std::string_view bytes, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    // isalnum is locale-dependent for bytes >= 0x80; keep the check to ASCII.
    if ((c < 0x80 && IsUnreserved(c)) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0x0f]);
    }
  }
  return out;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string UrlParts::HostHeader() const {
  if (port.empty() || (scheme == "http" && port == "80") || (scheme == "https" && port == "443")) {
    return host;
  }
  return host + ":" + port;
}

Result<UrlParts, std::string> SplitUrl(std::string_view url) {
  UrlParts parts;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    return Fail(std::string("URL has no scheme (expected http:// or https://)"));
  }
  parts.scheme = AsciiLower(url.substr(0, scheme_end));
  if (parts.scheme != "http" && parts.scheme != "https") {
    return Fail("unsupported URL scheme '" + parts.scheme + "' (expected http or https)");
  }
  std::string_view rest = url.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);

  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      return Fail(std::string("URL has an unclosed IPv6 literal"));
    parts.host = std::string(authority.substr(0, close + 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Fail(std::string("URL has junk after the IPv6 literal"));
      port = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    parts.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (parts.host.empty()) return Fail(std::string("URL has no host"));
  for (char c : port) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
      return Fail(std::string("URL has a non-numeric port"));
    }
  }
  parts.port = std::string(port);

  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const auto question = rest.find('?');
  parts.path = std::string(rest.substr(0, question));
  if (question != std::string_view::npos) parts.query = std::string(rest.substr(question + 1));
  if (parts.path.empty()) parts.path.push_back('/');
  return parts;
}

}  // namespace dbtrotate::aws::sigv4
