#include "dbtcloud/fake_http_client.h"

#include <gtest/gtest.h>
#include <strings.h>

namespace dbtrotate::dbtcloud::testing {

using nlohmann::json;

http::Response JsonResponse(int status, const json& body) {
  return MakeResponse(status, body.dump(), {{"content-type", "application/json"}});
}

json Envelope(const json& data) {
  return json{{"status",
               {{"code", 200},
                {"is_success", true},
                {"user_message", "Success!"},
                {"developer_message", ""}}},
              {"data", data},
              {"extra", json::object()}};
}

json ListEnvelope(const json& rows, std::int64_t total_count) {
  json envelope = Envelope(rows);
  envelope["extra"] = {{"filters", {{"limit", 100}}},
                       {"order_by", "id"},
                       {"pagination", {{"count", rows.size()}, {"total_count", total_count}}}};
  return envelope;
}

json TokenJson(std::int64_t id, const std::string& name, int state, const std::string& created_at) {
  return json{{"id", id},
              {"account_id", 42},
              {"uid", "uid" + std::to_string(id)},
              {"name", name},
              {"state", state},
              {"created_at", created_at},
              {"updated_at", created_at},
              {"last_used", nullptr},
              {"metadata_only", false},
              {"webhooks_only", false}};
}

json PermissionJson(std::int64_t id, const std::string& permission_set,
                    std::optional<std::int64_t> project_id, json categories, int state) {
  return json{{"id", id},
              {"account_id", 42},
              {"service_token_id", 7},
              {"project_id", project_id ? json(*project_id) : json(nullptr)},
              {"all_projects", !project_id.has_value()},
              {"permission_set", permission_set},
              {"state", state},
              {"writable_environment_categories", std::move(categories)},
              {"created_at", "2025-01-01T00:00:00Z"},
              {"updated_at", "2025-01-01T00:00:00Z"}};
}

std::optional<std::string> HeaderOf(const http::Request& request, std::string_view name) {
  for (const auto& header : request.headers) {
    if (header.name.size() == name.size() &&
        strncasecmp(header.name.c_str(), name.data(), name.size()) == 0) {
      return header.value;
    }
  }
  return std::nullopt;
}

}  // namespace dbtrotate::dbtcloud::testing
