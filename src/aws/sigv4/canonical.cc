#include "aws/sigv4/canonical.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <utility>

#include "aws/sigv4/crypto.h"
#include "aws/sigv4/uri.h"
#include "core/ascii.h"

namespace dbtrotate::aws::sigv4 {

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

// Never signed: hop-by-hop headers a proxy may change, headers the transport sets or rewrites,
// and the signature itself.
bool IsUnsignable(std::string_view lower_name) {
  static constexpr std::string_view kSkip[] = {"authorization",
                                               "connection",
                                               "content-length",
                                               "expect",
                                               "keep-alive",
                                               "proxy-authenticate",
                                               "proxy-authorization",
                                               "te",
                                               "trailer",
                                               "transfer-encoding",
                                               "upgrade",
                                               "user-agent",
                                               "x-amzn-trace-id"};
  return std::find(std::begin(kSkip), std::end(kSkip), lower_name) != std::end(kSkip);
}

}  // namespace

std::string NormalizePath(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  if (path.front() == '/') out.push_back('/');
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(segments[i]);
  }
  if (path.back() == '/' && !segments.empty()) out.push_back('/');
  if (out.empty()) out.push_back('/');
  return out;
}

std::string CanonicalUri(std::string_view raw_path) {
  return UriEncode(NormalizePath(raw_path), /*keep_slash=*/true);
}

std::string CanonicalQueryString(std::string_view raw_query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t start = 0;
  while (start <= raw_query.size()) {
    auto end = raw_query.find('&', start);
    if (end == std::string_view::npos) end = raw_query.size();
    const std::string_view pair = raw_query.substr(start, end - start);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      const std::string_view name = pair.substr(0, eq);
      const std::string_view value =
          eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      pairs.emplace_back(UriEncode(PercentDecode(name), false),
                         UriEncode(PercentDecode(value), false));
    }
    start = end + 1;
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out.append(name).append("=").append(value);
  }
  return out;
}

std::string TrimAndCollapse(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> HeadersToSign(const std::vector<http::Header>& headers) {
  std::vector<std::string> names;
  for (const auto& header : headers) {
    std::string name = AsciiLower(header.name);
    if (!IsUnsignable(name)) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Result<std::string, std::string> CanonicalHeaders(const std::vector<http::Header>& headers,
                                                  const std::vector<std::string>& signed_names) {
  std::string out;
  for (const auto& name : signed_names) {
    std::string joined;
    bool found = false;
    for (const auto& header : headers) {
      if (AsciiLower(header.name) != name) continue;
      if (found) joined.push_back(',');
      joined.append(TrimAndCollapse(header.value));
      found = true;
    }
    if (!found) return Fail("signed header '" + name + "' is not in the request");
    out.append(name).append(":").append(joined).append("\n");
  }
  return out;
}

std::string JoinSignedHeaders(const std::vector<std::string>& signed_names) {
  std::string out;
  for (const auto& name : signed_names) {
    if (!out.empty()) out.push_back(';');
    out.append(name);
  }
  return out;
}

Result<std::string, std::string> CanonicalRequest(const RequestView& request,
                                                  const std::vector<std::string>& signed_names) {
  static const std::vector<http::Header> kNoHeaders;
  auto headers = CanonicalHeaders(request.headers ? *request.headers : kNoHeaders, signed_names);
  if (!headers) return Fail(std::move(headers).error());
  std::string out(request.method);
  out.append("\n")
      .append(CanonicalUri(request.path))
      .append("\n")
      .append(CanonicalQueryString(request.query))
      .append("\n")
      .append(*headers)
      .append("\n")
      .append(JoinSignedHeaders(signed_names))
      .append("\n")
      .append(Sha256Hex(request.body));
  return out;
}

std::string FormatAmzDate(SystemTime time) {
  using namespace std::chrono;
  const auto seconds = floor<std::chrono::seconds>(time);
  const auto day = floor<days>(seconds);
  const year_month_day ymd{day};
  const hh_mm_ss hms{seconds - day};
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buffer;
}

std::optional<SystemTime> ParseAmzDate(std::string_view text) {
  using namespace std::chrono;
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  auto number = [&](std::size_t pos, std::size_t len) -> int {
    int value = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const int y = number(0, 4), mo = number(4, 2), d = number(6, 2);
  const int h = number(9, 2), mi = number(11, 2), s = number(13, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) {
    return std::nullopt;
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  const sys_seconds time = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s};
  // SystemTime counts nanoseconds in 64 bits (years 1677-2262): a date outside that would
  // overflow when converted, and is no date a request can be checked against anyway.
  if (time < floor<seconds>(SystemTime::min()) + seconds{1} ||
      time > floor<seconds>(SystemTime::max()) - seconds{1}) {
    return std::nullopt;
  }
  return SystemTime(time);
}

std::string CredentialScope(std::string_view date, std::string_view region,
                            std::string_view service) {
  std::string out(date);
  out.append("/").append(region).append("/").append(service).append("/aws4_request");
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out.append("\n").append(amz_date).append("\n").append(scope).append("\n").append(
      Sha256Hex(canonical_request));
  return out;
}

}  // namespace dbtrotate::aws::sigv4
