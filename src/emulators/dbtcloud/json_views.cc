#include "emulators/dbtcloud/json_views.h"

#include <fmt/format.h>

#include <ctime>

namespace dbtrotate::emulators {
namespace {

nlohmann::json OptionalTime(const std::optional<SystemTime>& time) {
  return time ? nlohmann::json(FormatDbtTimestamp(*time)) : nlohmann::json(nullptr);
}

}  // namespace

std::string FormatDbtTimestamp(SystemTime time) {
  using std::chrono::duration_cast;
  using std::chrono::microseconds;
  const auto since_epoch = duration_cast<microseconds>(time.time_since_epoch()).count();
  std::int64_t seconds = since_epoch / 1000000;
  std::int64_t micros = since_epoch % 1000000;
  if (micros < 0) {
    micros += 1000000;
    seconds -= 1;
  }
  const std::time_t as_time_t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&as_time_t, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}+00:00", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, micros);
}

nlohmann::json DbtGrantJson(const DbtGrant& grant) {
  nlohmann::json json = {{"permission_set", grant.permission_set},
                         {"project_id", nullptr},
                         {"writable_environment_categories", nullptr}};
  if (grant.project_id) json["project_id"] = *grant.project_id;
  if (grant.writable_environment_categories) {
    json["writable_environment_categories"] = *grant.writable_environment_categories;
  }
  return json;
}

nlohmann::json DbtPermissionJson(const DbtPermission& row) {
  return {{"id", row.id},
          {"account_id", row.account_id},
          {"service_token_id", row.service_token_id},
          {"project_id", row.project_id ? nlohmann::json(*row.project_id) : nlohmann::json()},
          {"all_projects", row.all_projects},
          {"permission_set", row.permission_set},
          {"state", row.state},
          {"writable_environment_categories", row.writable_environment_categories},
          {"created_at", FormatDbtTimestamp(row.created_at)},
          {"updated_at", FormatDbtTimestamp(row.updated_at)}};
}

nlohmann::json DbtTokenJson(const DbtToken& token, DbtPermissionKeys keys) {
  nlohmann::json json = {{"id", token.id},
                         {"created_at", FormatDbtTimestamp(token.created_at)},
                         {"updated_at", FormatDbtTimestamp(token.updated_at)},
                         {"account_id", token.account_id},
                         {"uid", token.uid},
                         {"name", token.name},
                         {"state", token.state},
                         {"last_used", OptionalTime(token.last_used)},
                         {"semantic_layer_credentials", nlohmann::json::array()},
                         {"metadata_only", token.metadata_only},
                         {"webhooks_only", token.webhooks_only}};
  if (keys != DbtPermissionKeys::kLegacyOnly) {
    nlohmann::json grants = nlohmann::json::array();
    for (const auto& grant : token.grants) grants.push_back(DbtGrantJson(grant));
    json["permission_grants"] = std::move(grants);
  }
  if (keys != DbtPermissionKeys::kGrantsOnly) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : token.permissions) rows.push_back(DbtPermissionJson(row));
    json["service_token_permissions"] = std::move(rows);
  }
  return json;
}

nlohmann::json DbtAccountJson(const DbtAccount& account) {
  const std::string created = FormatDbtTimestamp(account.created_at);
  return {{"id", account.id},      {"name", account.name}, {"state", kDbtStateActive},
          {"plan", "enterprise"},  {"locked", false},      {"pending_cancel", false},
          {"created_at", created}, {"updated_at", created}};
}

nlohmann::json DbtSuccessEnvelope(nlohmann::json data, nlohmann::json extra) {
  return {{"status",
           {{"code", 200},
            {"is_success", true},
            {"user_message", "Success!"},
            {"developer_message", ""}}},
          {"data", std::move(data)},
          {"extra", std::move(extra)}};
}

nlohmann::json DbtErrorEnvelope(int code, std::string_view user_message,
                                nlohmann::json developer_message, nlohmann::json data) {
  return {{"status",
           {{"code", code},
            {"is_success", false},
            {"user_message", user_message},
            {"developer_message", std::move(developer_message)}}},
          {"data", std::move(data)}};
}

nlohmann::json DbtMethodNotAllowed(std::string_view method) {
  return {{"detail", fmt::format("Method \"{}\" not allowed.", method)}};
}

}  // namespace dbtrotate::emulators
