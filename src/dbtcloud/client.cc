#include "dbtcloud/client.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>

#include "core/version.h"
#include "dbtcloud/list_page.h"
#include "dbtcloud/wire.h"

namespace dbtrotate::dbtcloud {

namespace {

using nlohmann::json;

// A token goes into an HTTP header: only visible ASCII, so a pasted newline cannot split it.
bool TokenIsHeaderSafe(std::string_view token) {
  if (token.empty()) return false;
  for (const unsigned char c : token) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

Error InvalidArgument(const RequestContext& context, std::string_view what) {
  return Error{ErrorCode::kValidation, 0,
               fmt::format("dbt Cloud {} not sent ({} {}): {}", context.operation,
                           http::MethodName(context.method), context.path, what),
               false};
}

// Wipes a secret-bearing string inside a parsed document before the document is dropped.
void WipeJsonString(json& object, std::string_view key) {
  if (!object.is_object()) return;
  const auto it = object.find(key);
  if (it != object.end() && it->is_string()) WipeString(it->get_ref<std::string&>());
}

}  // namespace

DbtResult<std::unique_ptr<Client>> Client::Create(http::Client& http, std::string_view access_url,
                                                  std::int64_t account_id, SecretString token,
                                                  ClientOptions options) {
  auto url = ParseAccessUrl(access_url);
  if (!url) return Fail(std::move(url).error());
  if (account_id <= 0) {
    return Fail(Error{ErrorCode::kInvalidConfig, 0,
                      fmt::format("invalid dbt Cloud account id {}: it must be a positive integer "
                                  "(the number after /accounts/ in dbt Cloud URLs)",
                                  account_id),
                      false});
  }
  if (!TokenIsHeaderSafe(token.expose())) {
    return Fail(Error{ErrorCode::kInvalidConfig, 0,
                      "invalid dbt Cloud token: it is empty or contains whitespace or control "
                      "characters (a trailing newline from a file?); provide the token exactly",
                      false});
  }
  if (options.max_pages < 1) options.max_pages = 1;
  return std::unique_ptr<Client>(
      new Client(http, std::move(*url), account_id, std::move(token), options));
}

Client::Client(http::Client& http, AccessUrl url, std::int64_t account_id, SecretString token,
               ClientOptions options)
    : http_(&http),
      url_(std::move(url)),
      account_id_(account_id),
      token_(std::move(token)),
      options_(options) {}

std::unique_ptr<ServiceTokenApi> Client::WithToken(SecretString token) const {
  return std::unique_ptr<Client>(new Client(*http_, url_, account_id_, std::move(token), options_));
}

std::string Client::TokensPath() const {
  return fmt::format("/api/v3/accounts/{}/service-tokens/", account_id_);
}

std::string Client::TokenPath(std::int64_t id) const {
  return fmt::format("/api/v3/accounts/{}/service-tokens/{}/", account_id_, id);
}

RequestContext Client::Context(std::string operation, http::Method method, std::string path) const {
  RequestContext context;
  context.operation = std::move(operation);
  context.method = method;
  context.path = std::move(path);
  context.secret = token_.expose();
  return context;
}

Error Client::Redacted(Error error) const {
  RedactSecrets(error.message, token_.expose());
  return error;
}

DbtResult<void> Client::CheckUsable(const RequestContext& context) const {
  if (!TokenIsHeaderSafe(token_.expose())) {
    Error error = InvalidArgument(context,
                                  "the token is empty or contains whitespace or control "
                                  "characters (a trailing newline from a file?)");
    error.code = ErrorCode::kInvalidConfig;
    return Fail(std::move(error));
  }
  return {};
}

DbtResult<http::Response> Client::Send(const RequestContext& context, const std::string& query,
                                       const std::string& body, bool idempotent) {
  if (auto usable = CheckUsable(context); !usable) return Fail(std::move(usable).error());
  http::Request request(context.method, url_.base + context.path + query);
  // Built in place so no temporary copy of the token is left behind; Request wipes headers.
  request.AddHeader("Authorization", "Bearer ");
  request.headers.back().value += token_.expose();
  request.AddHeader("Accept", "application/json");
  request.AddHeader("User-Agent", kUserAgent);
  if (!body.empty()) {
    request.AddHeader("Content-Type", "application/json");
    request.body = body;
  }
  request.idempotent = idempotent;

  auto result = http_->Send(request);
  if (!result) return Fail(Redacted(ErrorFromTransport(context, result.error())));
  if (!result->IsSuccess()) return Fail(Redacted(ErrorFromStatus(context, *result)));
  return std::move(*result);
}

template <class T, class ParseFn>
DbtResult<T> Client::SendForObject(const RequestContext& context, const std::string& body,
                                   ParseFn parse) {
  auto response = Send(context, "", body, /*idempotent=*/true);
  if (!response) return Fail(std::move(response).error());
  const int status = response->status;
  const auto document = wire::ParseJson(response->body);
  if (!document) return Fail(Redacted(MalformedResponse(context, status, document.error().what)));
  const auto data = wire::EnvelopeData(*document);
  if (!data) return Fail(Redacted(MalformedResponse(context, status, data.error().what)));
  auto item = parse(**data, std::string("data"));
  if (!item) return Fail(Redacted(MalformedResponse(context, status, item.error().what)));
  return std::move(*item);
}

template <class T, class ParseFn>
DbtResult<std::vector<T>> Client::ListAll(const RequestContext& context, const std::string& filter,
                                          ParseFn parse) {
  std::vector<T> items;
  std::set<std::int64_t> seen;  // pages can overlap when rows change between requests
  std::int64_t offset = 0;
  for (int page = 0;; ++page) {
    if (page >= options_.max_pages) {
      return Fail(Redacted(MalformedResponse(
          context, 200,
          fmt::format("still more rows after {} pages of {}; stopped paging", page, kPageSize))));
    }
    const std::string query = fmt::format("?{}limit={}&offset={}", filter, kPageSize, offset);
    auto response = Send(context, query, "", /*idempotent=*/true);
    if (!response) return Fail(std::move(response).error());
    const int status = response->status;
    std::size_t fresh = 0;
    // Rows are parsed as they stream out of the page, not from a document of the whole page.
    const auto parsed = wire::ParseListPage(
        response->body, [&](const json& row, std::size_t index) -> std::optional<wire::ParseError> {
          auto item = parse(row, fmt::format("data[{}]", index));
          if (!item) return std::move(item).error();
          if (seen.insert(item->id).second) {
            items.push_back(std::move(*item));
            ++fresh;
          }
          return std::nullopt;
        });
    if (!parsed) return Fail(Redacted(MalformedResponse(context, status, parsed.error().what)));
    const auto data = wire::EnvelopeData(parsed->envelope);
    if (!data) return Fail(Redacted(MalformedResponse(context, status, data.error().what)));
    if (!(*data)->is_array()) {
      return Fail(Redacted(MalformedResponse(
          context, status,
          fmt::format("data is a JSON {}, expected a list", (*data)->type_name()))));
    }
    const auto pagination = wire::ParsePagination(parsed->envelope);
    if (!pagination) {
      return Fail(Redacted(MalformedResponse(context, status, pagination.error().what)));
    }

    const auto received = static_cast<std::int64_t>(parsed->rows);
    if (received == 0) break;
    if (*pagination && (*pagination)->count == 0) break;
    offset += received;
    if (*pagination) {
      if (offset >= (*pagination)->total_count) break;
    } else if (received < kPageSize) {
      break;  // no pagination block: a short page is the last one
    }
    if (fresh == 0) {
      return Fail(Redacted(MalformedResponse(
          context, status,
          fmt::format("the page at offset {} repeated rows already seen (is `offset` ignored?)",
                      offset - received))));
    }
  }
  return items;
}

DbtResult<std::vector<ServiceToken>> Client::ListServiceTokens(bool active_only) {
  const auto context = Context("list service tokens", http::Method::kGet, TokensPath());
  auto tokens =
      ListAll<ServiceToken>(context, active_only ? "state=1&" : "", wire::ParseServiceToken);
  if (!tokens) return tokens;
  // dbt returns deleted tokens too, and the state filter is undocumented: filter again here.
  if (active_only) std::erase_if(*tokens, [](const ServiceToken& t) { return !t.active(); });
  return tokens;
}

DbtResult<CreatedToken> Client::CreateServiceToken(const std::string& name,
                                                   const std::vector<PermissionGrant>& grants) {
  auto context = Context("create service token", http::Method::kPost, TokensPath());
  if (name.empty()) return Fail(InvalidArgument(context, "the token name is empty"));
  for (const auto& grant : grants) {
    if (grant.permission_set.empty()) {
      return Fail(InvalidArgument(context, "a permission grant has an empty permission_set"));
    }
  }
  auto body = wire::CreateBody(name, grants);
  if (!body) return Fail(InvalidArgument(context, body.error().what));

  context.create = true;
  // Never retried blindly: a lost reply may hide a token that exists (see api.h).
  auto response = Send(context, "", *body, /*idempotent=*/false);
  if (!response) return Fail(std::move(response).error());
  const int status = response->status;
  auto document = wire::ParseJson(response->body);
  if (!document) return Fail(Redacted(MalformedResponse(context, status, document.error().what)));
  json& envelope = *document;
  const auto data = wire::EnvelopeData(envelope);
  if (!data || !(*data)->is_object()) {
    return Fail(Redacted(
        MalformedResponse(context, status, data ? "data is not an object" : data.error().what)));
  }
  json& token_json = envelope["data"];

  auto token = wire::ParseServiceToken(token_json, "data");
  if (!token) {
    WipeJsonString(token_json, "token_string");
    return Fail(Redacted(MalformedResponse(context, status, token.error().what)));
  }
  const auto secret = token_json.find("token_string");
  if (secret == token_json.end() || !secret->is_string() ||
      secret->get_ref<const std::string&>().empty()) {
    return Fail(Redacted(MalformedResponse(
        context, status,
        fmt::format("data.token_string is missing or empty, so token id {} was created but its "
                    "secret is unknown; delete that token",
                    token->id))));
  }
  CreatedToken created{std::move(*token), SecretString(std::move(secret->get_ref<std::string&>()))};
  return created;
}

DbtResult<ServiceToken> Client::GetServiceToken(std::int64_t id) {
  const auto context =
      Context(fmt::format("get service token {}", id), http::Method::kGet, TokenPath(id));
  if (id <= 0) return Fail(InvalidArgument(context, "the service token id must be positive"));
  return SendForObject<ServiceToken>(context, "", wire::ParseServiceToken);
}

DbtResult<ServiceToken> Client::RenameServiceToken(std::int64_t id, const std::string& name) {
  const auto context =
      Context(fmt::format("rename service token {}", id), http::Method::kPut, TokenPath(id));
  if (id <= 0) return Fail(InvalidArgument(context, "the service token id must be positive"));
  if (name.empty()) return Fail(InvalidArgument(context, "the new name is empty"));
  auto body = wire::RenameBody(name);
  if (!body) return Fail(InvalidArgument(context, body.error().what));
  return SendForObject<ServiceToken>(context, *body, wire::ParseServiceToken);
}

DbtResult<DeleteOutcome> Client::DeleteServiceToken(std::int64_t id) {
  const auto context =
      Context(fmt::format("delete service token {}", id), http::Method::kDelete, TokenPath(id));
  if (id <= 0) return Fail(InvalidArgument(context, "the service token id must be positive"));
  auto response = Send(context, "", "", /*idempotent=*/true);
  if (!response) {
    // TF treats 404 as already deleted; so do we (the caller can verify with a GET).
    if (response.error().http_status == 404) return DeleteOutcome::kAlreadyGone;
    return Fail(std::move(response).error());
  }
  // 204 empty (spec), 200 with the envelope, 200 empty: all mean deleted. The body is not read.
  return DeleteOutcome::kDeleted;
}

DbtResult<std::vector<PermissionRow>> Client::ListPermissions(std::int64_t token_id) {
  const auto context = Context(fmt::format("list permissions of service token {}", token_id),
                               http::Method::kGet, TokenPath(token_id) + "permissions/");
  if (token_id <= 0) {
    return Fail(InvalidArgument(context, "the service token id must be positive"));
  }
  return ListAll<PermissionRow>(context, "", wire::ParsePermissionRow);
}

}  // namespace dbtrotate::dbtcloud
