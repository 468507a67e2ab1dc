#include "dbtcloud/wire.h"

#include <fmt/format.h>

#include <limits>

#include "core/json_limits.h"
#include "core/json_wipe.h"

namespace dbtrotate::dbtcloud::wire {

namespace {

using nlohmann::json;

std::string_view TypeName(const json& value) {
  if (value.is_number_float()) return "a fractional number";
  if (value.is_number()) return "an integer";
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "a boolean";
  if (value.is_array()) return "a list";
  if (value.is_object()) return "an object";
  return "null";
}

ParseError Mistyped(const std::string& where, std::string_view key, const json& value,
                    std::string_view expected) {
  return ParseError{fmt::format("{}.{} is {}, expected {}", where, key, TypeName(value), expected)};
}

ParseError Missing(const std::string& where, std::string_view key) {
  return ParseError{fmt::format("{}.{} is missing", where, key)};
}

const json* Member(const json& object, std::string_view key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// Ids must be JSON integers: "42" or 42.0 means we are not talking to the API we think.
ParseResult<std::optional<std::int64_t>> OptionalInt(const json& object, const std::string& where,
                                                     std::string_view key) {
  const json* value = Member(object, key);
  if (value == nullptr || value->is_null()) return std::optional<std::int64_t>{};
  if (value->is_number_unsigned()) {
    const auto u = value->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return Fail(ParseError{fmt::format("{}.{} is out of range", where, key)});
    }
    return std::optional<std::int64_t>{static_cast<std::int64_t>(u)};
  }
  if (value->is_number_integer()) return std::optional<std::int64_t>{value->get<std::int64_t>()};
  return Fail(Mistyped(where, key, *value, "an integer"));
}

ParseResult<std::int64_t> RequiredInt(const json& object, const std::string& where,
                                      std::string_view key) {
  auto value = OptionalInt(object, where, key);
  if (!value) return Fail(std::move(value).error());
  if (!value->has_value()) return Fail(Missing(where, key));
  return **value;
}

// Absent and null read as nullopt; anything but a string is an error.
ParseResult<std::optional<std::string>> OptionalString(const json& object, const std::string& where,
                                                       std::string_view key) {
  const json* value = Member(object, key);
  if (value == nullptr || value->is_null()) return std::optional<std::string>{};
  if (!value->is_string()) return Fail(Mistyped(where, key, *value, "a string"));
  return std::optional<std::string>{value->get<std::string>()};
}

ParseResult<std::string> RequiredString(const json& object, const std::string& where,
                                        std::string_view key) {
  auto value = OptionalString(object, where, key);
  if (!value) return Fail(std::move(value).error());
  if (!value->has_value()) return Fail(Missing(where, key));
  return std::move(**value);
}

ParseResult<std::optional<std::vector<std::string>>> OptionalStringList(const json& object,
                                                                        const std::string& where,
                                                                        std::string_view key) {
  const json* value = Member(object, key);
  if (value == nullptr || value->is_null()) return std::optional<std::vector<std::string>>{};
  if (!value->is_array()) return Fail(Mistyped(where, key, *value, "a list of strings"));
  std::vector<std::string> out;
  for (const auto& item : *value) {
    if (!item.is_string()) return Fail(Mistyped(where, key, item, "a list of strings"));
    out.push_back(item.get<std::string>());
  }
  return std::optional<std::vector<std::string>>{std::move(out)};
}

// Message fields are free text that dbt sends as null, "" or a string; never fail on them.
std::string LenientString(const json& object, std::string_view key) {
  const json* value = Member(object, key);
  if (value != nullptr && value->is_string()) return value->get<std::string>();
  return "";
}

ParseResult<std::string> Dump(const json& body) {
  try {
    return body.dump(-1, ' ', false, json::error_handler_t::strict);
  } catch (const json::exception&) {
    return Fail(ParseError{"a name is not valid UTF-8"});
  }
}

json GrantToJson(const PermissionGrant& grant) {
  json out = json::object();
  out["permission_set"] = grant.permission_set;
  if (grant.project_id) out["project_id"] = *grant.project_id;
  if (grant.writable_environment_categories) {
    out["writable_environment_categories"] = *grant.writable_environment_categories;
  }
  return out;
}

}  // namespace

ParseResult<json> ParseJson(std::string_view body) {
  // Depth-limited, and a repeated key is an error: `{"data": {…}, "data": {…}}` must not
  // silently become whichever one the parser keeps (a create would then undo the wrong id).
  // A refused create reply may hold a token_string: wiped before it is dropped.
  auto value = ParseJsonLimited<json>(body, kMaxJsonDepth, &WipeJsonStrings<json>);
  if (!value) return Fail(ParseError{"the body " + DescribeJsonError(value.error())});
  return std::move(*value);
}

ParseResult<PermissionGrant> ParseGrant(const json& value, const std::string& where) {
  if (!value.is_object()) {
    return Fail(ParseError{fmt::format("{} is {}, expected an object", where, TypeName(value))});
  }
  PermissionGrant grant;
  auto set = RequiredString(value, where, "permission_set");
  if (!set) return Fail(std::move(set).error());
  grant.permission_set = std::move(*set);
  auto project = OptionalInt(value, where, "project_id");
  if (!project) return Fail(std::move(project).error());
  grant.project_id = *project;
  auto categories = OptionalStringList(value, where, "writable_environment_categories");
  if (!categories) return Fail(std::move(categories).error());
  grant.writable_environment_categories = std::move(*categories);
  return grant;
}

ParseResult<ServiceToken> ParseServiceToken(const json& value, const std::string& where) {
  if (!value.is_object()) {
    return Fail(ParseError{fmt::format("{} is {}, expected an object", where, TypeName(value))});
  }
  ServiceToken token;
  auto id = RequiredInt(value, where, "id");
  if (!id) return Fail(std::move(id).error());
  token.id = *id;
  auto account = OptionalInt(value, where, "account_id");
  if (!account) return Fail(std::move(account).error());
  token.account_id = account->value_or(0);
  auto name = RequiredString(value, where, "name");
  if (!name) return Fail(std::move(name).error());
  token.name = std::move(*name);
  // state decides whether a token counts as live: never guess it.
  auto state = RequiredInt(value, where, "state");
  if (!state) return Fail(std::move(state).error());
  if (*state < std::numeric_limits<int>::min() || *state > std::numeric_limits<int>::max()) {
    return Fail(ParseError{fmt::format("{}.state is out of range", where)});
  }
  token.state = static_cast<int>(*state);
  for (auto [key, field] :
       {std::pair{"uid", &token.uid}, std::pair{"created_at", &token.created_at},
        std::pair{"updated_at", &token.updated_at}}) {
    auto text = OptionalString(value, where, key);
    if (!text) return Fail(std::move(text).error());
    *field = text->value_or("");
  }
  auto last_used = OptionalString(value, where, "last_used");
  if (!last_used) return Fail(std::move(last_used).error());
  token.last_used = std::move(*last_used);

  if (const json* grants = Member(value, "permission_grants"); grants && !grants->is_null()) {
    if (!grants->is_array()) {
      return Fail(Mistyped(where, "permission_grants", *grants, "a list"));
    }
    std::vector<PermissionGrant> parsed;
    for (std::size_t i = 0; i < grants->size(); ++i) {
      auto grant = ParseGrant((*grants)[i], fmt::format("{}.permission_grants[{}]", where, i));
      if (!grant) return Fail(std::move(grant).error());
      parsed.push_back(std::move(*grant));
    }
    token.permission_grants = std::move(parsed);
  }
  return token;
}

ParseResult<PermissionRow> ParsePermissionRow(const json& value, const std::string& where) {
  if (!value.is_object()) {
    return Fail(ParseError{fmt::format("{} is {}, expected an object", where, TypeName(value))});
  }
  PermissionRow row;
  auto id = RequiredInt(value, where, "id");
  if (!id) return Fail(std::move(id).error());
  row.id = *id;
  auto token_id = OptionalInt(value, where, "service_token_id");
  if (!token_id) return Fail(std::move(token_id).error());
  row.service_token_id = token_id->value_or(0);
  auto set = RequiredString(value, where, "permission_set");
  if (!set) return Fail(std::move(set).error());
  row.permission_set = std::move(*set);
  auto project = OptionalInt(value, where, "project_id");
  if (!project) return Fail(std::move(project).error());
  row.project_id = *project;

  const json* all = Member(value, "all_projects");
  if (all == nullptr || all->is_null()) {
    row.all_projects = !row.project_id.has_value();
  } else if (all->is_boolean()) {
    row.all_projects = all->get<bool>();
  } else {
    return Fail(Mistyped(where, "all_projects", *all, "true or false"));
  }
  // A project-scoped row without its project would turn into an all-projects grant when the
  // token is re-created: refuse it rather than widen access.
  if (!row.all_projects && !row.project_id) {
    return Fail(ParseError{fmt::format("{} has all_projects false but no project_id", where)});
  }

  auto state = OptionalInt(value, where, "state");  // spec default: 1
  if (!state) return Fail(std::move(state).error());
  const std::int64_t state_value = state->value_or(kStateActive);
  if (state_value < std::numeric_limits<int>::min() ||
      state_value > std::numeric_limits<int>::max()) {
    return Fail(ParseError{fmt::format("{}.state is out of range", where)});
  }
  row.state = static_cast<int>(state_value);
  auto categories = OptionalStringList(value, where, "writable_environment_categories");
  if (!categories) return Fail(std::move(categories).error());
  row.writable_environment_categories = categories->value_or(std::vector<std::string>{});
  return row;
}

ParseResult<const json*> EnvelopeData(const json& envelope) {
  if (!envelope.is_object()) {
    return Fail(ParseError{
        fmt::format("the body is {}, expected the {{status, data}} envelope", TypeName(envelope))});
  }
  const json* data = Member(envelope, "data");
  if (data == nullptr) return Fail(ParseError{"the envelope has no data"});
  return data;
}

ParseResult<std::optional<Pagination>> ParsePagination(const json& envelope) {
  const json* extra = Member(envelope, "extra");
  if (extra == nullptr || !extra->is_object()) return std::optional<Pagination>{};
  const json* pagination = Member(*extra, "pagination");
  if (pagination == nullptr || !pagination->is_object()) return std::optional<Pagination>{};
  const std::string where = "extra.pagination";
  auto count = RequiredInt(*pagination, where, "count");
  if (!count) return Fail(std::move(count).error());
  auto total = RequiredInt(*pagination, where, "total_count");
  if (!total) return Fail(std::move(total).error());
  if (*count < 0 || *total < 0) return Fail(ParseError{"extra.pagination has a negative count"});
  return std::optional<Pagination>{Pagination{*count, *total}};
}

ErrorBody ParseErrorBody(std::string_view body) {
  ErrorBody out;
  const auto parsed = ParseJsonLimited<json>(body);
  if (!parsed || !parsed->is_object()) return out;
  const json& value = *parsed;
  out.json = true;
  if (const json* status = Member(value, "status"); status && status->is_object()) {
    out.user_message = LenientString(*status, "user_message");
    out.developer_message = LenientString(*status, "developer_message");
  }
  if (const json* data = Member(value, "data"); data && data->is_object()) {
    out.reason = LenientString(*data, "reason");
    const json* denied = Member(*data, "account_access_denied");
    out.account_access_denied = denied != nullptr && denied->is_boolean() && denied->get<bool>();
  }
  out.detail = LenientString(value, "detail");
  return out;
}

ParseResult<std::string> CreateBody(const std::string& name,
                                    const std::vector<PermissionGrant>& grants) {
  json body = json::object();
  body["name"] = name;
  body["permission_grants"] = json::array();
  for (const auto& grant : grants) body["permission_grants"].push_back(GrantToJson(grant));
  return Dump(body);
}

ParseResult<std::string> RenameBody(const std::string& name) { return Dump(json{{"name", name}}); }

}  // namespace dbtrotate::dbtcloud::wire
