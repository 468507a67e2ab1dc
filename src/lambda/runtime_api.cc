#include "lambda/runtime_api.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "core/secret_string.h"
#include "http/url_policy.h"

namespace dbtrotate::lambda {
namespace {

constexpr char kVersionPath[] = "/2018-06-01";

RuntimeApiError Transport(std::string_view what, const http::Error& error) {
  return RuntimeApiError{
      fmt::format("Runtime API {}: {} ({})", what, http::ErrorKindName(error.kind), error.message),
      true};
}

std::string ErrorBody(const FunctionError& error) {
  return nlohmann::json{{"errorMessage", error.message}, {"errorType", error.type}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Invocation::~Invocation() { WipeString(body); }

http::CurlClientOptions RuntimeHttpOptions(const std::string& host) {
  http::CurlClientOptions options;
  options.plain_http_hosts = {host};
  options.no_proxy = true;
  options.connect_timeout = std::chrono::seconds(5);
  options.total_timeout = std::chrono::seconds(30);
  options.max_response_bytes = 7u << 20;  // events up to Lambda's 6 MB payload limit
  return options;
}

Result<std::string, std::string> RuntimeApiHost(std::string_view endpoint) {
  const std::string usage = "AWS_LAMBDA_RUNTIME_API must be host:port (e.g. 127.0.0.1:9001)";
  if (endpoint.empty() || endpoint.find_first_of("/?#@ ") != std::string_view::npos) {
    return Fail(usage);
  }
  auto parsed = http::ParseUrl(fmt::format("http://{}{}", endpoint, kVersionPath));
  if (!parsed || parsed->host.empty()) return Fail(usage);
  return parsed->host;
}

Result<RuntimeApiClient, std::string> RuntimeApiClient::Create(http::Client& http,
                                                               std::string_view endpoint) {
  auto host = RuntimeApiHost(endpoint);
  if (!host) return Fail(host.error());
  return RuntimeApiClient(http, fmt::format("http://{}{}", endpoint, kVersionPath),
                          std::move(*host));
}

RuntimeResult<Invocation> RuntimeApiClient::Next() {
  http::Request request(http::Method::kGet, base_ + "/runtime/invocation/next");
  request.timeout = std::chrono::milliseconds(0);  // libcurl: no timeout
  auto response = http_->Send(request);
  if (!response) return Fail(Transport("next invocation", response.error()));
  if (response->status != 200) {
    return Fail(RuntimeApiError{
        fmt::format("Runtime API next invocation: HTTP {}", response->status), true});
  }
  Invocation invocation;
  invocation.request_id = response->HeaderValue("lambda-runtime-aws-request-id").value_or("");
  if (invocation.request_id.empty() ||
      invocation.request_id.find_first_of("/?#% ") != std::string::npos) {
    return Fail(RuntimeApiError{"Runtime API next invocation: no usable request id", true});
  }
  if (auto deadline = response->HeaderValue("lambda-runtime-deadline-ms")) {
    long long ms = 0;
    const auto [end, ec] =
        std::from_chars(deadline->data(), deadline->data() + deadline->size(), ms);
    if (ec == std::errc() && end == deadline->data() + deadline->size() && ms > 0) {
      // SystemTime counts nanoseconds (it ends in 2262): a later deadline is clamped, not
      // overflowed. Lambda's own are at most 15 minutes away.
      constexpr long long kLatestDeadlineMs = 4102444800000;  // 2100-01-01
      ms = std::min(ms, kLatestDeadlineMs);
      invocation.deadline = SystemTime(std::chrono::milliseconds(ms));
    }
  }
  invocation.function_arn =
      response->HeaderValue("lambda-runtime-invoked-function-arn").value_or("");
  invocation.trace_id = response->HeaderValue("lambda-runtime-trace-id").value_or("");
  invocation.body = std::move(response->body);
  return invocation;
}

RuntimeResult<void> RuntimeApiClient::Post(const std::string& path, std::string body,
                                           const std::optional<std::string>& error_type) {
  http::Request request(http::Method::kPost, base_ + path);
  request.body = std::move(body);
  request.AddHeader("Content-Type", "application/json");
  if (error_type) request.AddHeader("Lambda-Runtime-Function-Error-Type", *error_type);
  auto response = http_->Send(request);
  if (!response) return Fail(Transport(path, response.error()));
  if (response->status == 202) return {};
  // 400/403/413: this reply was refused, the loop goes on; 500: the runtime must exit.
  return Fail(RuntimeApiError{fmt::format("Runtime API {}: HTTP {}", path, response->status),
                              response->status >= 500});
}

RuntimeResult<void> RuntimeApiClient::PostResponse(const std::string& request_id,
                                                   std::string_view body) {
  return Post("/runtime/invocation/" + request_id + "/response", std::string(body), std::nullopt);
}

RuntimeResult<void> RuntimeApiClient::PostError(const std::string& request_id,
                                                const FunctionError& error) {
  return Post("/runtime/invocation/" + request_id + "/error", ErrorBody(error), error.type);
}

RuntimeResult<void> RuntimeApiClient::PostInitError(const FunctionError& error) {
  return Post("/runtime/init/error", ErrorBody(error), error.type);
}

}  // namespace dbtrotate::lambda
