#include "dbtcloud/http_errors.h"

#include <fmt/format.h>

#include <cctype>

#include "dbtcloud/wire.h"

namespace dbtrotate::dbtcloud {

namespace {

constexpr std::size_t kMaxServerText = 300;

std::string Prefix(const RequestContext& context) {
  return fmt::format("dbt Cloud {} failed ({} {})", context.operation,
                     http::MethodName(context.method), context.path);
}

// Server text is untrusted: no secrets (redacted before truncating, so no partial token
// survives), one line, bounded.
std::string Clean(std::string_view raw, std::string_view secret = {}) {
  std::string text(raw);
  RedactSecrets(text, secret);
  std::string out;
  for (const char c : text) {
    if (out.size() >= kMaxServerText) {
      out += "…";
      break;
    }
    out += std::iscntrl(static_cast<unsigned char>(c)) != 0 ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// ` ("Invalid token.")`, or "" when dbt said nothing useful.
std::string ServerSays(const wire::ErrorBody& body, std::string_view secret) {
  std::string text = Clean(body.user_message, secret);
  const std::string reason = Clean(body.reason, secret);
  if (!reason.empty() && reason != text) text = text.empty() ? reason : text + " — " + reason;
  if (text.empty()) text = Clean(body.developer_message, secret);
  if (text.empty()) text = Clean(body.detail, secret);
  return text.empty() ? "" : fmt::format(" (\"{}\")", text);
}

std::string RecreateHint(const RequestContext& context) {
  return context.create ? " The token may have been created anyway: list the tokens with this "
                          "name created since the attempt before creating another."
                        : "";
}

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

}  // namespace

Error ErrorFromStatus(const RequestContext& context, const http::Response& response) {
  const int status = response.status;
  const wire::ErrorBody body = wire::ParseErrorBody(response.body);
  const std::string prefix = Prefix(context);
  const std::string says = ServerSays(body, context.secret);
  Error error;
  error.http_status = status;

  if (status == 401) {
    error.code = ErrorCode::kUnauthenticated;
    error.message = fmt::format(
        "{}: HTTP 401 unauthenticated{}: check the token and that DBT_CLOUD_HOST is your "
        "account's access URL: cell-based accounts get 401 on cloud.getdbt.com.",
        prefix, says);
  } else if (status == 403 && body.account_access_denied) {
    error.code = ErrorCode::kIpRestricted;
    error.message = fmt::format(
        "{}: HTTP 403, blocked by the account's IP restrictions{}. Run from an allowed address "
        "or add this machine's egress IP to the account's IP allowlist.",
        prefix, says);
  } else if (status == 403 || status == 404) {
    error.code = ErrorCode::kForbiddenOrNotFound;
    error.message = fmt::format(
        "{}: HTTP {} forbidden or not found{}. Either it does not exist or the token lacks "
        "permission: dbt often answers 404 when the token lacks permission (managing service "
        "tokens needs an account_admin token). Check the account id and the token's permissions.",
        prefix, status, says);
  } else if (status == 405) {
    error.code = ErrorCode::kValidation;
    error.message = fmt::format(
        "{}: HTTP 405 method not allowed{}. dbt answers 405 when a request lost its trailing "
        "slash or was redirected; make sure the access URL points straight at dbt Cloud.",
        prefix, says);
  } else if (status == 429) {
    error.code = ErrorCode::kRateLimited;
    const auto retry_after = response.HeaderValue("retry-after");
    error.message = fmt::format(
        "{}: HTTP 429 rate limited{}{}. dbt allows 5,000 Admin API requests per minute per "
        "account and then enforces a five-minute cooldown; wait and run again.",
        prefix, says,
        retry_after ? fmt::format(" (Retry-After: {})", Clean(*retry_after, context.secret)) : "");
  } else if (status >= 500 && status <= 599) {
    error.code = ErrorCode::kServer;
    error.message = fmt::format("{}: HTTP {} server error{}. dbt Cloud failed; try again later.{}",
                                prefix, status, body.json ? says : " (non-JSON body)", "");
  } else if (status >= 300 && status <= 399) {
    error.code = ErrorCode::kInvalidConfig;
    error.message = fmt::format(
        "{}: HTTP {} redirect, not followed. Use the account's access URL exactly as Account "
        "settings shows it (https://, the account's own host).",
        prefix, status);
  } else if (status >= 400 && status <= 499) {
    error.code = ErrorCode::kValidation;
    error.message =
        fmt::format("{}: HTTP {} rejected{}. Fix the request as dbt says.", prefix, status, says);
  } else {
    error.code = ErrorCode::kMalformedResponse;
    error.message = fmt::format("{}: unexpected HTTP status {}.", prefix, status);
  }
  // Any answer to a create may come after dbt made the token: a proxy or gateway in front of
  // dbt can answer 4xx/5xx for a request it passed on (issue #8). The caller looks for it.
  error.ambiguous = context.create;
  error.message += RecreateHint(context);
  return error;
}

Error ErrorFromTransport(const RequestContext& context, const http::Error& error) {
  Error out;
  if (error.kind == http::ErrorKind::kInvalidUrl || error.kind == http::ErrorKind::kInsecureUrl) {
    out.code = ErrorCode::kInvalidConfig;
    out.message = fmt::format("{}: {}: {}. Check the dbt Cloud access URL.", Prefix(context),
                              http::ErrorKindName(error.kind), error.message);
    return out;
  }
  out.code = ErrorCode::kTransport;
  // Every transport failure of a create is looked for, even one that says it sent nothing:
  // looking costs one list call, an orphan costs a live credential nobody tracks.
  out.ambiguous = context.create;
  out.message = fmt::format(
      "{}: {}: {}. Check network access to the dbt Cloud access URL "
      "(proxy, firewall, DNS) and try again.{}",
      Prefix(context), http::ErrorKindName(error.kind), error.message,
      out.ambiguous ? RecreateHint(context) : "");
  return out;
}

Error MalformedResponse(const RequestContext& context, int status, std::string_view why) {
  Error out;
  out.code = ErrorCode::kMalformedResponse;
  out.http_status = status;
  out.ambiguous = context.create;
  out.message = fmt::format(
      "{}: HTTP {} with an unexpected body: {}. The server does not answer like dbt Cloud's "
      "Admin API v3; check the access URL.{}",
      Prefix(context), status, why, RecreateHint(context));
  return out;
}

void RedactSecrets(std::string& message, std::string_view secret) {
  if (secret.size() >= 6) {
    for (std::size_t at = message.find(secret); at != std::string::npos;
         at = message.find(secret, at)) {
      message.replace(at, secret.size(), "<redacted>");
    }
  }
  for (const std::string_view prefix : {"dbtc_", "dbtu_"}) {
    for (std::size_t at = message.find(prefix); at != std::string::npos;
         at = message.find(prefix, at + 1)) {
      std::size_t end = at + prefix.size();
      while (end < message.size() && IsTokenChar(message[end])) ++end;
      if (end - at - prefix.size() >= 8) {
        message.replace(at + prefix.size(), end - at - prefix.size(), "<redacted>");
      }
    }
  }
}

}  // namespace dbtrotate::dbtcloud
