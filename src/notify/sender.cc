#include "notify/sender.h"

#include "http/url_policy.h"
#include "notify/redirect.h"

namespace dbtrotate::notify {

namespace {

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// A short, printable excerpt of the webhook's answer ("invalid_payload", "no_service", …).
std::string Excerpt(const std::string& body) {
  std::string out;
  for (const char c : body) {
    if (out.size() >= 120) break;
    out += (c >= 0x20 && c < 0x7f) ? c : ' ';
  }
  return out;
}

Failure MakeFailure(FailureKind kind, std::string message, std::optional<int> status = {}) {
  return Failure{kind, std::move(message), status};
}

Failure TransportFailure(const http::Error& error, const std::string& endpoint,
                         std::chrono::milliseconds timeout) {
  if (error.kind == http::ErrorKind::kTimeout) {
    return MakeFailure(FailureKind::kTimeout, endpoint + " did not answer within " +
                                                  std::to_string(timeout.count()) + " ms");
  }
  if (error.kind == http::ErrorKind::kInvalidUrl || error.kind == http::ErrorKind::kInsecureUrl) {
    return MakeFailure(
        FailureKind::kInvalidUrl,
        endpoint + ": the URL was refused (" + std::string(http::ErrorKindName(error.kind)) + ")");
  }
  return MakeFailure(FailureKind::kTransport,
                     endpoint + ": " + std::string(http::ErrorKindName(error.kind)));
}

}  // namespace

Result<When, std::string> ParseWhen(std::string_view text) {
  if (text == "on-failure") return When::kOnFailure;
  if (text == "always") return When::kAlways;
  return Fail("--notify must be on-failure or always, got '" + std::string(text) + "'");
}

bool ShouldSend(When when, int exit_code) { return when == When::kAlways || exit_code != 0; }

Result<void, std::string> CheckNotifyUrl(const std::string& url) {
  auto parsed = http::ParseUrl(url);
  if (!parsed) return Fail(std::string("the notify URL is not an http(s) URL without user-info"));
  if (parsed->scheme == "http" && !http::IsLoopbackHost(parsed->host)) {
    return Fail("the notify URL must be https (plain http only to this machine's loopback), got " +
                DescribeEndpoint(url));
  }
  return {};
}

std::string DescribeEndpoint(const std::string& url) {
  auto parsed = http::ParseUrl(url);
  if (!parsed) return "(unparsable URL)";
  const bool v6 = parsed->host.find(':') != std::string::npos;
  std::string out = parsed->scheme + "://" + (v6 ? "[" + parsed->host + "]" : parsed->host);
  if (!parsed->port.empty()) out += ":" + parsed->port;
  return out;
}

Result<Delivery, Failure> Send(http::Client& client, const std::string& url,
                               const nlohmann::json& payload, const SendOptions& options) {
  if (auto checked = CheckNotifyUrl(url); !checked) {
    return Fail(MakeFailure(FailureKind::kInvalidUrl, checked.error()));
  }
  std::string target = url;
  Delivery delivery;
  while (true) {
    const std::string endpoint = DescribeEndpoint(target);
    http::Request request(http::Method::kPost, target);
    request.AddHeader("Content-Type", "application/json");
    request.body = payload.dump();
    request.timeout = options.timeout;
    auto response = client.Send(request);
    if (!response) return Fail(TransportFailure(response.error(), endpoint, options.timeout));
    const int status = response->status;
    if (response->IsSuccess()) {
      delivery.status = status;
      return delivery;
    }
    if (!IsRedirect(status)) {
      return Fail(MakeFailure(
          FailureKind::kHttpStatus,
          endpoint + " answered HTTP " + std::to_string(status) + ": " + Excerpt(response->body),
          status));
    }
    auto location = response->HeaderValue("location");
    if (!location) {
      return Fail(MakeFailure(
          FailureKind::kHttpStatus,
          endpoint + " answered HTTP " + std::to_string(status) + " without a Location", status));
    }
    auto next = ResolveLocation(target, *location);
    if (!next) return Fail(MakeFailure(FailureKind::kInvalidUrl, endpoint + ": " + next.error()));
    if (auto refusal = RedirectRefusal(target, *next); !refusal.empty()) {
      return Fail(MakeFailure(FailureKind::kRedirectRefused,
                              endpoint + " redirected (HTTP " + std::to_string(status) + ") to " +
                                  DescribeEndpoint(*next) + "; not followed: " + refusal +
                                  ". Set the notify URL to where the webhook lives now.",
                              status));
    }
    if (delivery.redirects == options.max_redirects) {
      return Fail(MakeFailure(
          FailureKind::kTooManyRedirects,
          endpoint + ": more than " + std::to_string(options.max_redirects) + " redirects",
          status));
    }
    ++delivery.redirects;
    target = std::move(*next);
  }
}

}  // namespace dbtrotate::notify
