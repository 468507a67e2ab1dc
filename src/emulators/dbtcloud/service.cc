#include "emulators/dbtcloud/service.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/ascii.h"

namespace dbtrotate::emulators {
namespace {

// Recursively removes object members whose value is null (DbtBehavior::omit_null_fields).
void DropNullMembers(nlohmann::json& value) {
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end();) {
      if (it->is_null()) {
        it = value.erase(it);
      } else {
        DropNullMembers(*it);
        ++it;
      }
    }
  } else if (value.is_array()) {
    for (auto& item : value) DropNullMembers(item);
  }
}

using nlohmann::json;

constexpr int kMaxLimit = 100;

// Error messages quote query values, which need not be UTF-8: replace bad bytes rather than
// throw (dump's default), so the client gets the 400 and not the server's 500.
std::string Dump(const json& body) {
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

DbtReply Json(int status, const json& body) {
  DbtReply reply;
  reply.status = status;
  reply.body = Dump(body);
  return reply;
}

DbtReply BadRequest(std::string_view message) { return Json(400, DbtErrorEnvelope(400, message)); }

DbtReply NotFound() { return Json(404, DbtErrorEnvelope(404, kDbtNotFound)); }

// "Token <t>" or "Bearer <t>", scheme case-insensitive (both are equivalent, reference §3).
std::optional<std::string_view> CredentialFrom(std::string_view header) {
  const auto space = header.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const std::string scheme = AsciiLower(header.substr(0, space));
  if (scheme != "token" && scheme != "bearer") return std::nullopt;
  std::string_view credential = header.substr(space + 1);
  while (!credential.empty() && credential.front() == ' ') credential.remove_prefix(1);
  while (!credential.empty() && credential.back() == ' ') credential.remove_suffix(1);
  if (credential.empty() || credential.find(' ') != std::string_view::npos) return std::nullopt;
  return credential;
}

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Django's QueryDict.get() answers the last value of a repeated parameter.
std::optional<std::string> QueryValue(const std::multimap<std::string, std::string>& query,
                                      const std::string& key) {
  const auto [first, last] = query.equal_range(key);
  if (first == last) return std::nullopt;
  return std::prev(last)->second;
}

struct Paging {
  std::int64_t limit = kMaxLimit;
  std::int64_t offset = 0;
  std::optional<int> state;  // nullopt = all states
  std::optional<std::string> state_param;
  std::string order_by = "id";
};

Result<Paging, std::string> ParsePaging(const std::multimap<std::string, std::string>& query,
                                        const std::vector<std::string>& order_fields) {
  Paging paging;
  if (auto limit = QueryValue(query, "limit")) {
    const auto value = ParseInt(*limit);
    if (!value || *value < 1 || *value > kMaxLimit) {
      return Fail(fmt::format(
          "Invalid limit '{}': limit must be an integer between 1 and {}. Use limit and offset "
          "to page through more results.",
          *limit, kMaxLimit));
    }
    paging.limit = *value;
  }
  if (auto offset = QueryValue(query, "offset")) {
    const auto value = ParseInt(*offset);
    if (!value || *value < 0) {
      return Fail(fmt::format("Invalid offset '{}': offset must be an integer >= 0.", *offset));
    }
    paging.offset = *value;
  }
  if (auto state = QueryValue(query, "state")) {
    const std::string value = AsciiLower(*state);
    if (value == "1" || value == "active") {
      paging.state = kDbtStateActive;
    } else if (value == "2" || value == "deleted") {
      paging.state = kDbtStateDeleted;
    } else if (value != "all") {
      return Fail(
          fmt::format("Invalid state '{}': use 1, 2, \"active\", \"deleted\" or \"all\".", *state));
    }
    paging.state_param = *state;
  }
  if (auto order_by = QueryValue(query, "order_by")) {
    const std::string_view field = !order_by->empty() && order_by->front() == '-'
                                       ? std::string_view(*order_by).substr(1)
                                       : std::string_view(*order_by);
    if (std::find(order_fields.begin(), order_fields.end(), field) == order_fields.end()) {
      return Fail(fmt::format("Invalid order_by '{}'.", *order_by));
    }
    paging.order_by = *order_by;
  }
  return paging;
}

// Sorts by the order_by field (ties by id), then cuts the page; returns the reply. The rows
// are the store's own (the caller holds the lock): each row's sort key is computed once and
// only the page's rows become JSON, so listing a big account stays cheap for every page.
template <class Row>
DbtReply Page(const std::vector<const Row*>& rows, const Paging& paging,
              const std::function<json(const Row&)>& field_of,
              const std::function<std::int64_t(const Row&)>& id_of,
              const std::function<json(const Row&)>& to_json) {
  const bool descending = !paging.order_by.empty() && paging.order_by.front() == '-';
  struct Keyed {
    json field;
    std::int64_t id;
    const Row* row;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(rows.size());
  for (const Row* row : rows) keyed.push_back({field_of(*row), id_of(*row), row});
  std::stable_sort(keyed.begin(), keyed.end(), [&](const Keyed& a, const Keyed& b) {
    if (a.field != b.field) return descending ? b.field < a.field : a.field < b.field;
    return descending ? b.id < a.id : a.id < b.id;
  });
  const auto total = static_cast<std::int64_t>(keyed.size());
  json data = json::array();
  for (std::int64_t i = paging.offset; i < total && i < paging.offset + paging.limit; ++i) {
    data.push_back(to_json(*keyed[static_cast<std::size_t>(i)].row));
  }
  json filters = {{"limit", paging.limit}, {"offset", paging.offset}};
  if (paging.state_param) filters["state"] = *paging.state_param;
  json extra = {{"filters", std::move(filters)},
                {"order_by", paging.order_by},
                {"pagination", {{"count", data.size()}, {"total_count", total}}}};
  return Json(200, DbtSuccessEnvelope(std::move(data), std::move(extra)));
}

json TokenField(const DbtToken& token, std::string_view field) {
  if (field == "name") return token.name;
  if (field == "state") return token.state;
  if (field == "created_at") return FormatDbtTimestamp(token.created_at);
  if (field == "updated_at") return FormatDbtTimestamp(token.updated_at);
  return token.id;
}

json RowField(const DbtPermission& row, std::string_view field) {
  if (field == "permission_set") return row.permission_set;
  if (field == "project_id") return row.project_id ? json(*row.project_id) : json();
  if (field == "state") return row.state;
  if (field == "created_at") return FormatDbtTimestamp(row.created_at);
  if (field == "updated_at") return FormatDbtTimestamp(row.updated_at);
  return row.id;
}

std::string_view OrderField(const Paging& paging) {
  std::string_view field = paging.order_by;
  if (!field.empty() && field.front() == '-') field.remove_prefix(1);
  return field;
}

bool IsBlank(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isspace(c) != 0; });
}

Result<json, std::string> ParseBody(const std::string& body) {
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Fail(std::string("JSON parse error: the request body is not valid JSON."));
  }
  return parsed;
}

Result<std::string, std::string> ParseName(const json& body) {
  if (!body.is_object()) return Fail(std::string("The request body must be a JSON object."));
  const auto it = body.find("name");
  if (it == body.end() || it->is_null()) return Fail(std::string("name: This field is required."));
  if (!it->is_string()) return Fail(std::string("name: Not a valid string."));
  std::string name = it->get<std::string>();
  if (IsBlank(name)) return Fail(std::string("name: This field may not be blank."));
  return name;
}

bool IsInteger(const json& value) { return value.is_number_integer(); }

Result<std::optional<std::vector<std::string>>, std::string> ParseCategories(const json& item,
                                                                             std::size_t index) {
  const auto it = item.find("writable_environment_categories");
  if (it == item.end() || it->is_null()) return std::optional<std::vector<std::string>>();
  if (!it->is_array()) {
    return Fail(fmt::format(
        "permission_grants[{}].writable_environment_categories: must be a list of strings.",
        index));
  }
  std::vector<std::string> categories;
  for (const auto& category : *it) {
    if (!category.is_string()) {
      return Fail(fmt::format(
          "permission_grants[{}].writable_environment_categories: must be a list of strings.",
          index));
    }
    categories.push_back(category.get<std::string>());
  }
  return std::optional<std::vector<std::string>>(std::move(categories));
}

Result<DbtGrant, std::string> ParseGrant(const json& item, std::size_t index) {
  if (!item.is_object()) {
    return Fail(fmt::format("permission_grants[{}]: must be an object.", index));
  }
  DbtGrant grant;
  const auto set = item.find("permission_set");
  if (set == item.end() || set->is_null()) {
    return Fail(
        fmt::format("permission_grants[{}].permission_set: This field is required.", index));
  }
  if (!set->is_string() || IsBlank(set->get<std::string>())) {
    return Fail(
        fmt::format("permission_grants[{}].permission_set: must be a non-empty string.", index));
  }
  grant.permission_set = set->get<std::string>();
  // The docs: fusion_admin "Cannot be assigned to service tokens" (reference §8). Other
  // unknown sets pass: the enum grows over time.
  if (grant.permission_set == "fusion_admin") {
    return Fail(fmt::format(
        "permission_grants[{}].permission_set: fusion_admin cannot be assigned to service tokens.",
        index));
  }
  const auto project = item.find("project_id");
  if (project != item.end() && !project->is_null()) {
    if (!IsInteger(*project)) {
      return Fail(fmt::format("permission_grants[{}].project_id: must be an integer.", index));
    }
    grant.project_id = project->get<std::int64_t>();
  }
  auto categories = ParseCategories(item, index);
  if (!categories.has_value()) return Fail(std::move(categories).error());
  grant.writable_environment_categories = std::move(categories).value();
  return grant;
}

Result<bool, std::string> ParseFlag(const json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end() || it->is_null()) return false;
  if (!it->is_boolean()) return Fail(fmt::format("{}: Must be a valid boolean.", key));
  return it->get<bool>();
}

bool IsWrite(DbtOperation operation) {
  return operation == DbtOperation::kCreateServiceToken ||
         operation == DbtOperation::kUpdateServiceToken ||
         operation == DbtOperation::kDeleteServiceToken ||
         operation == DbtOperation::kCreateServiceTokenPermissions;
}

}  // namespace

DbtReply::~DbtReply() { WipeString(body); }

std::string_view DbtOperationName(DbtOperation operation) {
  switch (operation) {
    case DbtOperation::kListServiceTokens:
      return "list_service_tokens";
    case DbtOperation::kCreateServiceToken:
      return "create_service_token";
    case DbtOperation::kGetServiceToken:
      return "get_service_token";
    case DbtOperation::kUpdateServiceToken:
      return "update_service_token";
    case DbtOperation::kDeleteServiceToken:
      return "delete_service_token";
    case DbtOperation::kListServiceTokenPermissions:
      return "list_service_token_permissions";
    case DbtOperation::kCreateServiceTokenPermissions:
      return "create_service_token_permissions";
    case DbtOperation::kGetAccount:
      return "get_account";
    case DbtOperation::kListAccounts:
      return "list_accounts";
    case DbtOperation::kMethodNotAllowed:
      return "method_not_allowed";
  }
  return "unknown";
}

std::vector<DbtGrant> DbtAdminGrants() {
  return {DbtGrant{"account_admin", std::nullopt, std::nullopt}};
}

DbtCloudService::DbtCloudService(Clock& clock, Random& random)
    : clock_(clock), state_(clock, random) {}

void DbtCloudService::SetBehavior(const DbtBehavior& behavior) {
  std::lock_guard<std::mutex> lock(mutex_);
  behavior_ = behavior;
  state_.set_uid_in_token_string(behavior.uid_in_token_string);
  rate_windows_.clear();
}

DbtBehavior DbtCloudService::behavior() {
  std::lock_guard<std::mutex> lock(mutex_);
  return behavior_;
}

std::int64_t DbtCloudService::CreateAccount(std::string name, std::int64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_.AddAccount(std::move(name), id);
}

Result<DbtSeededToken, std::string> DbtCloudService::AddServiceToken(std::int64_t account_id,
                                                                     const DbtSeedToken& seed) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_.FindAccount(account_id) == nullptr) {
    return Fail(fmt::format("no emulated account {}; create it first", account_id));
  }
  if (IsBlank(seed.name)) return Fail(std::string("a service token needs a non-empty name"));
  if (seed.state != kDbtStateActive && seed.state != kDbtStateDeleted) {
    return Fail(fmt::format("token state must be 1 or 2, not {}", seed.state));
  }
  auto created =
      state_.CreateToken(account_id, seed.name, seed.grants, seed.metadata_only,
                         /*webhooks_only=*/false, seed.state, behavior_.default_categories);
  return DbtSeededToken{created.token.id, std::move(created.token_string)};
}

std::vector<DbtToken> DbtCloudService::Tokens(std::int64_t account_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<DbtToken> tokens;
  for (const DbtToken* token : state_.Tokens(account_id)) tokens.push_back(*token);
  return tokens;
}

std::vector<DbtToken> DbtCloudService::ActiveTokens(std::int64_t account_id) {
  std::vector<DbtToken> tokens = Tokens(account_id);
  std::erase_if(tokens, [](const DbtToken& token) { return !token.active(); });
  return tokens;
}

std::optional<DbtToken> DbtCloudService::Token(std::int64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  const DbtToken* token = state_.FindTokenById(id);
  return token != nullptr ? std::optional<DbtToken>(*token) : std::nullopt;
}

std::vector<DbtAccount> DbtCloudService::Accounts() {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_.Accounts();
}

bool DbtCloudService::Authenticates(const SecretString& token_string) {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_.Authenticate(token_string.expose(), /*touch=*/false) != nullptr;
}

DbtReply DbtCloudService::Handle(const DbtRequest& request) {
  // A POST/PUT/DELETE without the trailing slash never reaches a view: Django redirects it
  // and the method is refused (reference §6). GET without the slash is served.
  if (!request.trailing_slash && request.method != "GET" && request.method != "HEAD") {
    return Json(405, DbtMethodNotAllowed(request.method));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  DbtReply reply = HandleLocked(request);
  if (behavior_.omit_null_fields && reply.status / 100 == 2 && !reply.body.empty()) {
    auto body = nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_discarded()) {
      DropNullMembers(body);
      reply.body = Dump(body);
    }
  }
  return reply;
}

std::optional<DbtReply> DbtCloudService::CheckRateLimit(std::int64_t account_id) {
  const DbtRateLimit& limit = behavior_.rate_limit;
  if (limit.max_requests <= 0) return std::nullopt;
  const SystemTime now = clock_.Now();
  RateWindow& window = rate_windows_[account_id];
  bool limited = now < window.cooldown_until;
  if (!limited) {
    if (window.count == 0 || now - window.window_start >= limit.window) {
      window.window_start = now;
      window.count = 0;
    }
    if (++window.count > limit.max_requests) {
      window.cooldown_until = now + limit.cooldown;
      window.count = 0;
      limited = true;
    }
  }
  if (!limited) return std::nullopt;
  // The Admin API's 429 body is undocumented (reference §7); this one keeps the envelope.
  DbtReply reply = Json(429, DbtErrorEnvelope(429, "Too many requests. Please try again later."));
  if (limit.retry_after_seconds) {
    reply.headers.emplace_back("Retry-After", std::to_string(*limit.retry_after_seconds));
  }
  return reply;
}

DbtReply DbtCloudService::Forbidden() const {
  if (behavior_.forbidden_reply == DbtForbiddenReply::k404) return NotFound();
  return Json(403, DbtErrorEnvelope(403, "Forbidden"));
}

DbtReply DbtCloudService::HandleLocked(const DbtRequest& request) {
  const auto credential = CredentialFrom(request.authorization);
  const DbtToken* caller = credential ? state_.Authenticate(*credential, /*touch=*/true) : nullptr;
  if (caller == nullptr) {
    // Verbatim from a captured response (reference §6): developer_message is null here.
    return Json(401, DbtErrorEnvelope(401, kDbtInvalidToken, nullptr));
  }
  if (auto limited = CheckRateLimit(caller->account_id)) return std::move(*limited);
  if (behavior_.ip_restricted) {
    return Json(403, DbtErrorEnvelope(403, "Forbidden: Access denied", nullptr,
                                      {{"account_id", caller->account_id},
                                       {"user_id", caller->user_id},
                                       {"is_service_token", true},
                                       {"account_access_denied", true}}));
  }
  if (request.operation == DbtOperation::kListAccounts) {
    const DbtAccount* account = state_.FindAccount(caller->account_id);
    json data = json::array();
    if (account != nullptr) data.push_back(DbtAccountJson(*account));
    json extra = {{"filters", json::object()},
                  {"order_by", "id"},
                  {"pagination", {{"count", data.size()}, {"total_count", data.size()}}}};
    return Json(200, DbtSuccessEnvelope(std::move(data), std::move(extra)));
  }
  // A token only sees its own account; any other id looks like it does not exist.
  const DbtAccount* account = state_.FindAccount(request.account_id);
  if (account == nullptr || request.account_id != caller->account_id) return NotFound();

  switch (request.operation) {
    case DbtOperation::kGetAccount:
      return Json(200, DbtSuccessEnvelope(DbtAccountJson(*account), json::object()));
    case DbtOperation::kMethodNotAllowed:
      return Json(405, DbtMethodNotAllowed(request.method));
    default:
      break;
  }
  // Reference §3: Account Admin may write service tokens; Security Admin and Account Viewer
  // may read them.
  const bool allowed = IsWrite(request.operation)
                           ? caller->HasAccountPermission("account_admin")
                           : caller->HasAccountPermission("account_admin") ||
                                 caller->HasAccountPermission("security_admin") ||
                                 caller->HasAccountPermission("account_viewer");
  if (!allowed) return Forbidden();

  switch (request.operation) {
    case DbtOperation::kListServiceTokens:
      return ListTokens(request);
    case DbtOperation::kCreateServiceToken:
      return CreateToken(request, *caller);
    case DbtOperation::kGetServiceToken:
      return GetToken(request);
    case DbtOperation::kUpdateServiceToken:
      return UpdateToken(request);
    case DbtOperation::kDeleteServiceToken:
      return DeleteToken(request);
    case DbtOperation::kListServiceTokenPermissions:
      return ListPermissions(request);
    case DbtOperation::kCreateServiceTokenPermissions:
      return AssignPermissions(request);
    case DbtOperation::kGetAccount:
    case DbtOperation::kListAccounts:
    case DbtOperation::kMethodNotAllowed:
      break;
  }
  return NotFound();
}

DbtReply DbtCloudService::ListTokens(const DbtRequest& request) {
  auto paging = ParsePaging(request.query, {"id", "name", "state", "created_at", "updated_at"});
  if (!paging.has_value()) return BadRequest(paging.error());
  std::vector<const DbtToken*> rows;
  for (const DbtToken* token : state_.Tokens(request.account_id)) {
    if (!paging->state || token->state == *paging->state) rows.push_back(token);
  }
  const std::string field(OrderField(*paging));
  const DbtPermissionKeys keys = behavior_.permission_keys;
  return Page<DbtToken>(
      rows, *paging, [&](const DbtToken& t) { return TokenField(t, field); },
      [](const DbtToken& t) { return t.id; },
      [keys](const DbtToken& t) { return DbtTokenJson(t, keys); });
}

DbtReply DbtCloudService::CreateToken(const DbtRequest& request, const DbtToken& caller) {
  auto body = ParseBody(request.body);
  if (!body.has_value()) return BadRequest(body.error());
  auto name = ParseName(*body);
  if (!name.has_value()) return BadRequest(name.error());
  std::vector<DbtGrant> grants;
  const auto grants_json = body->find("permission_grants");
  if (grants_json != body->end() && !grants_json->is_null()) {
    if (!grants_json->is_array()) return BadRequest("permission_grants: must be a list.");
    for (std::size_t i = 0; i < grants_json->size(); ++i) {
      auto grant = ParseGrant((*grants_json)[i], i);
      if (!grant.has_value()) return BadRequest(grant.error());
      grants.push_back(std::move(grant).value());
    }
  }
  auto metadata_only = ParseFlag(*body, "metadata_only");
  if (!metadata_only.has_value()) return BadRequest(metadata_only.error());
  auto webhooks_only = ParseFlag(*body, "webhooks_only");
  if (!webhooks_only.has_value()) return BadRequest(webhooks_only.error());

  // Legacy fields (id, account_id, uid, state) are ignored, as the live API tolerates them.
  auto created = state_.CreateToken(caller.account_id, std::move(name).value(), std::move(grants),
                                    *metadata_only, *webhooks_only, kDbtStateActive,
                                    behavior_.default_categories);
  json data = DbtTokenJson(created.token, DbtPermissionKeys::kBoth);
  data["token"] = created.token.token_hash;
  data["token_string"] = std::string(created.token_string.expose());
  data["last_identify"] = nullptr;
  data["user_id"] = created.token.user_id;
  data["user"] = {{"id", created.token.user_id}};
  data["type"] = 2;  // GENERAL (an assumption, reference §5.1)
  data["expires_at"] = nullptr;
  json envelope = DbtSuccessEnvelope(std::move(data), json::object());
  DbtReply reply = Json(200, envelope);
  WipeString(envelope["data"]["token_string"].get_ref<std::string&>());
  return reply;
}

DbtReply DbtCloudService::GetToken(const DbtRequest& request) {
  const DbtToken* token = state_.FindToken(request.account_id, request.token_id);
  if (token == nullptr || (!token->active() && behavior_.get_deleted_returns_404)) {
    return NotFound();
  }
  return Json(200,
              DbtSuccessEnvelope(DbtTokenJson(*token, behavior_.permission_keys), json::object()));
}

DbtReply DbtCloudService::UpdateToken(const DbtRequest& request) {
  DbtToken* token = state_.FindToken(request.account_id, request.token_id);
  if (token == nullptr) return NotFound();
  auto body = ParseBody(request.body);
  if (!body.has_value()) return BadRequest(body.error());
  auto name = ParseName(*body);
  if (!name.has_value()) return BadRequest(name.error());
  if (!behavior_.rename_allowed) {
    return BadRequest(
        "Service tokens cannot be updated after creation. Please create a new service token.");
  }
  state_.Rename(*token, std::move(name).value());
  return Json(200,
              DbtSuccessEnvelope(DbtTokenJson(*token, behavior_.permission_keys), json::object()));
}

DbtReply DbtCloudService::DeleteToken(const DbtRequest& request) {
  DbtToken* token = state_.FindToken(request.account_id, request.token_id);
  if (token == nullptr || (!token->active() && behavior_.redelete_returns_404)) {
    return NotFound();
  }
  state_.SoftDelete(*token);
  switch (behavior_.delete_reply) {
    case DbtDeleteReply::kNoContent: {
      DbtReply reply;
      reply.status = 204;
      return reply;
    }
    case DbtDeleteReply::kOkEnvelope:
      return Json(
          200, DbtSuccessEnvelope(DbtTokenJson(*token, behavior_.permission_keys), json::object()));
    case DbtDeleteReply::kOkEmpty:
      break;
  }
  DbtReply reply;
  reply.status = 200;
  return reply;
}

DbtReply DbtCloudService::ListPermissions(const DbtRequest& request) {
  const DbtToken* token = state_.FindToken(request.account_id, request.token_id);
  if (token == nullptr) return NotFound();
  auto paging = ParsePaging(
      request.query, {"id", "permission_set", "project_id", "state", "created_at", "updated_at"});
  if (!paging.has_value()) return BadRequest(paging.error());
  std::vector<const DbtPermission*> rows;
  for (const auto& row : token->permissions) {
    if (!paging->state || row.state == *paging->state) rows.push_back(&row);
  }
  const std::string field(OrderField(*paging));
  return Page<DbtPermission>(
      rows, *paging, [&](const DbtPermission& r) { return RowField(r, field); },
      [](const DbtPermission& r) { return r.id; },
      [](const DbtPermission& r) { return DbtPermissionJson(r); });
}

DbtReply DbtCloudService::AssignPermissions(const DbtRequest& request) {
  DbtToken* token = state_.FindToken(request.account_id, request.token_id);
  if (token == nullptr) return NotFound();
  const bool has_permissions =
      std::any_of(token->permissions.begin(), token->permissions.end(),
                  [](const DbtPermission& row) { return row.state == kDbtStateActive; });
  if (has_permissions) return BadRequest(kDbtPermissionsLocked);
  auto body = ParseBody(request.body);
  if (!body.has_value()) return BadRequest(body.error());
  if (!body->is_array()) return BadRequest("The request body must be a list of permissions.");
  std::vector<DbtPermission> rows;
  for (std::size_t i = 0; i < body->size(); ++i) {
    const json& item = (*body)[i];
    auto grant = ParseGrant(item, i);
    if (!grant.has_value()) return BadRequest(grant.error());
    DbtPermission row;
    row.permission_set = grant->permission_set;
    row.project_id = grant->project_id;
    row.all_projects = !grant->project_id.has_value();
    if (const auto all = item.find("all_projects"); all != item.end() && all->is_boolean()) {
      row.all_projects = all->get<bool>();
      if (row.all_projects) row.project_id.reset();
    }
    if (!row.all_projects && !row.project_id) {
      return BadRequest(
          fmt::format("permissions[{}]: project_id is required unless all_projects.", i));
    }
    row.writable_environment_categories =
        grant->writable_environment_categories.value_or(std::vector<std::string>{});
    rows.push_back(std::move(row));
  }
  state_.AssignPermissions(*token, std::move(rows));
  json data = json::array();
  for (const auto& row : token->permissions) data.push_back(DbtPermissionJson(row));
  return Json(200, {{"status",
                     {{"code", 200},
                      {"is_success", true},
                      {"user_message", "Success!"},
                      {"developer_message", ""}}},
                    {"data", std::move(data)}});
}

}  // namespace dbtrotate::emulators
