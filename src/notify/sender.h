#ifndef DBTROTATE_NOTIFY_SENDER_H_
#define DBTROTATE_NOTIFY_SENDER_H_

// Posts a notification (JSON) to a webhook over http::Client. Delivery is best effort and never
// retried: the caller reports a failure and carries on. A webhook URL is itself a credential
// (Slack's path is the secret), so messages name only its scheme, host and port.
//
// Redirects: followed (at most `max_redirects`, the payload posted again) only to the same host
// and never from https to http; a redirect anywhere else is not followed and is reported, so the
// payload never goes to a host the user did not name.

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/client.h"

namespace dbtrotate::notify {

enum class When { kOnFailure, kAlways };

/// "on-failure" or "always".
Result<When, std::string> ParseWhen(std::string_view text);
/// on-failure: only runs whose exit code is not 0.
bool ShouldSend(When when, int exit_code);

/// https anywhere, http only to loopback (127.0.0.0/8, ::1, localhost). The message never
/// quotes the URL's path or query.
Result<void, std::string> CheckNotifyUrl(const std::string& url);

/// "https://hooks.example.com" or "http://127.0.0.1:8080": scheme, host and port only.
std::string DescribeEndpoint(const std::string& url);

struct SendOptions {
  std::chrono::milliseconds timeout{10'000};  // for each request, connection included
  int max_redirects = 3;
};

struct Delivery {
  int status = 0;  // the final 2xx
  int redirects = 0;
};

enum class FailureKind {
  kInvalidUrl,        // the URL (or a redirect's Location) is unusable or insecure
  kTransport,         // could not connect, TLS, connection broken
  kTimeout,           // no complete answer within the timeout
  kHttpStatus,        // the webhook answered with a status that is not 2xx or a redirect
  kRedirectRefused,   // redirected to another host, or from https to http
  kTooManyRedirects,  // more than max_redirects
};

struct Failure {
  FailureKind kind = FailureKind::kTransport;
  std::string message;  // what failed and where (scheme://host:port); no path, no payload
  std::optional<int> status;
};

/// POSTs `payload` as application/json to `url`.
Result<Delivery, Failure> Send(http::Client& client, const std::string& url,
                               const nlohmann::json& payload, const SendOptions& options = {});

}  // namespace dbtrotate::notify

#endif  // DBTROTATE_NOTIFY_SENDER_H_
