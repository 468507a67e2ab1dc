#include "aws/credentials/container_provider.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "aws/credentials/credentials_json.h"
#include "aws/credentials/file_util.h"
#include "aws/credentials/text_util.h"
#include "aws/sigv4/uri.h"
#include "core/ascii.h"
#include "core/secret_string.h"

namespace dbtrotate::aws {

namespace {

constexpr std::size_t kMaxTokenFileBytes = 16 * 1024;

bool IsAllowedPlainHttpHost(std::string host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (AsciiEqualsIgnoreCase(host, "localhost")) return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    const std::uint32_t address = ntohl(v4.s_addr);
    if ((address >> 24) == 127) return true;  // 127.0.0.0/8
    if (address == 0xA9FEAA02) return true;   // 169.254.170.2 (ECS)
    if (address == 0xA9FEAA17) return true;   // 169.254.170.23 (EKS Pod Identity)
    return false;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    in6_addr loopback = IN6ADDR_LOOPBACK_INIT;
    in6_addr eks{};
    ::inet_pton(AF_INET6, "fd00:ec2::23", &eks);
    return std::memcmp(&v6, &loopback, sizeof v6) == 0 || std::memcmp(&v6, &eks, sizeof v6) == 0;
  }
  return false;
}

struct ContainerTarget {
  std::string url;
  std::string source;  // which variable gave it
};

// The Authorization value for this fetch, or an empty one.
Result<SecretString, std::string> AuthorizationToken(const Environment& env) {
  if (auto file = env.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    auto contents = ReadSmallFile(*file, kMaxTokenFileBytes);
    if (!contents) {
      return Fail("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: " +
                  contents.error().message);
    }
    SecretString token(std::move(*contents));
    if (token.expose().find_first_of("\r\n") != std::string_view::npos) {
      return Fail("the token in AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (" + *file +
                  ") contains a CR or LF, which is not allowed in an HTTP header");
    }
    return token;
  }
  if (auto value = env.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
    SecretString token(std::move(*value));
    if (token.expose().find_first_of("\r\n") != std::string_view::npos) {
      return Fail(std::string(
          "AWS_CONTAINER_AUTHORIZATION_TOKEN contains a CR or LF, which is not allowed in an HTTP "
          "header"));
    }
    return token;
  }
  return SecretString();
}

// A short description of an error response; ECS and the EKS agent answer with JSON
// {"code": …, "message": …}.
std::string DescribeErrorBody(std::string_view body) {
  std::string_view trimmed = Trim(body);
  if (trimmed.empty()) return "";
  return ": " + Printable(trimmed, 300);
}

bool Retryable(const http::HttpResult& response) {
  if (!response) return true;
  return response->status >= 500 || response->status == 429;
}

}  // namespace

Result<void, std::string> ValidateContainerUrl(std::string_view url, std::string_view source) {
  auto parts = sigv4::SplitUrl(url);
  if (!parts) {
    return Fail(std::string(source) + " is not a valid URL (\"" + Printable(url) +
                "\"): " + parts.error());
  }
  if (parts->scheme == "https") return {};
  if (parts->scheme != "http") {
    return Fail(std::string(source) + " must be an http:// or https:// URL, not \"" +
                Printable(url) + "\"");
  }
  if (!IsAllowedPlainHttpHost(parts->host)) {
    return Fail(std::string(source) + " uses plain http to host \"" + Printable(parts->host, 100) +
                "\"; plain http is only allowed to loopback addresses, localhost, 169.254.170.2, "
                "169.254.170.23 and fd00:ec2::23 (use https for any other host)");
  }
  return {};
}

ProbeResult ProbeContainerProvider(const Environment& env, http::Client& http, Clock& clock,
                                   ContainerOptions options) {
  ContainerTarget target;
  if (auto relative = env.Get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    if (relative->front() != '/') {
      return Fail(
          CredentialsError{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must start with '/', got \"" +
                           Printable(*relative, 200) + "\""});
    }
    target = {std::string(kEcsCredentialsBase) + *relative,
              "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"};
  } else if (auto full = env.Get("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    target = {*full, "AWS_CONTAINER_CREDENTIALS_FULL_URI"};
  } else {
    return SourceProbe::Skip(
        "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI "
        "is set");
  }
  auto valid = ValidateContainerUrl(target.url, target.source);
  if (!valid) return Fail(CredentialsError{valid.error()});

  auto fetch = [target, options, &env, &http, &clock]() -> CredentialsResult {
    const std::string what = "container credentials endpoint " + target.url;
    auto token = AuthorizationToken(env);
    if (!token) return Fail(CredentialsError{"container credentials: " + token.error()});

    http::Request request(http::Method::kGet, target.url);
    request.idempotent = true;
    request.timeout = options.timeout;
    request.AddHeader("Accept", "application/json");
    if (!token->empty()) request.AddHeader("Authorization", std::string(token->expose()));

    const int attempts = std::max(1, options.attempts);
    http::HttpResult response = http.Send(request);
    for (int attempt = 1; attempt < attempts && Retryable(response); ++attempt) {
      clock.SleepFor(options.retry_delay);
      response = http.Send(request);
    }
    if (!response) {
      return Fail(CredentialsError{what + " could not be reached (" +
                                   std::string(http::ErrorKindName(response.error().kind)) + ": " +
                                   response.error().message + ")"});
    }
    if (!response->IsSuccess()) {
      return Fail(CredentialsError{what + " returned HTTP " + std::to_string(response->status) +
                                   DescribeErrorBody(response->body)});
    }
    auto parsed = ParseCredentialsJson(response->body,
                                       CredentialsJsonShape{.what = what, .token_field = "Token"});
    if (!parsed) return Fail(CredentialsError{parsed.error()});
    auto credentials = std::make_shared<Credentials>(std::move(*parsed));
    credentials->source = "container credentials (" + target.source + ")";
    return std::shared_ptr<const Credentials>(std::move(credentials));
  };
  return SourceProbe::Found(
      std::make_unique<RefreshingProvider>(std::move(fetch), clock, options.refresh));
}

}  // namespace dbtrotate::aws
