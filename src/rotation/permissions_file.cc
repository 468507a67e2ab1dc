#include "rotation/permissions_file.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <set>
#include <tuple>

#include "core/bounded_file.h"

namespace dbtrotate::rotation {
namespace {

using dbtcloud::PermissionGrant;

// A grants file is a few hundred bytes; 1 MiB is thousands of grants.
constexpr std::size_t kMaxPermissionsFileBytes = 1 << 20;

constexpr std::array<std::string_view, 4> kGrantKeys = {
    "permission_set", "project_id", "all_projects", "writable_environment_categories"};
// dbt docs (enterprise-permissions): sets that apply to the whole account.
constexpr std::array<std::string_view, 7> kAccountLevelSets = {
    "account_admin",        "account_viewer",  "billing_admin", "manage_marketplace_apps",
    "notification_manager", "project_creator", "security_admin"};
// dbt docs (environment-permissions): only these sets take writable environment categories.
constexpr std::array<std::string_view, 5> kCategorySets = {"analyst", "database_admin", "developer",
                                                           "git_admin", "team_admin"};
constexpr std::array<std::string_view, 5> kCategories = {"all", "development", "staging",
                                                         "production", "other"};

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

Error Bad(std::string_view source, std::string message) {
  return Error{ErrorCode::kBadPermissions, fmt::format("{}: {}", source, message)};
}

std::string Where(std::size_t index, const YAML::Node& node) {
  return fmt::format("grant #{} (line {})", index + 1, node.Mark().line + 1);
}

// `null`, `~` and an empty value all load as YAML null (JSON null too).
bool Absent(const YAML::Node& node) { return !node || node.IsNull(); }

bool IsPlainInteger(const std::string& text) {
  return !text.empty() && text.size() <= 18 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

RotationResult<PermissionGrant> ParseGrant(const YAML::Node& node, std::size_t index,
                                           std::string_view source) {
  const std::string where = Where(index, node);
  if (!node.IsMap()) {
    return Fail(Bad(source, fmt::format("{}: expected a mapping with permission_set, found a {}",
                                        where, node.IsSequence() ? "list" : "scalar")));
  }
  for (const auto& item : node) {
    const auto key = item.first.as<std::string>("");
    if (!Contains(kGrantKeys, key)) {
      return Fail(Bad(source, fmt::format("{}: unknown key '{}' (allowed: permission_set, "
                                          "project_id, all_projects, "
                                          "writable_environment_categories)",
                                          where, key)));
    }
  }
  PermissionGrant grant;
  const YAML::Node set = node["permission_set"];
  if (Absent(set)) {
    return Fail(Bad(source, fmt::format("{}: 'permission_set' is missing", where)));
  }
  if (!set.IsScalar()) {
    return Fail(Bad(source, fmt::format("{}: 'permission_set' must be a string", where)));
  }
  grant.permission_set = set.Scalar();
  const bool well_formed =
      !grant.permission_set.empty() && grant.permission_set.front() >= 'a' &&
      grant.permission_set.front() <= 'z' &&
      std::all_of(grant.permission_set.begin(), grant.permission_set.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      });
  if (!well_formed) {
    return Fail(Bad(source, fmt::format("{}: permission_set '{}' is not a dbt permission set "
                                        "name (lowercase, e.g. job_admin)",
                                        where, grant.permission_set)));
  }
  if (grant.permission_set == "fusion_admin" || grant.permission_set == "scim_only") {
    return Fail(Bad(source, fmt::format("{}: permission_set '{}' cannot be assigned to a "
                                        "service token",
                                        where, grant.permission_set)));
  }

  const YAML::Node project = node["project_id"];
  if (!Absent(project)) {
    if (!project.IsScalar() || !IsPlainInteger(project.Scalar()) || project.Scalar() == "0" ||
        project.Scalar().front() == '0') {
      return Fail(
          Bad(source, fmt::format("{}: project_id must be a positive integer or null", where)));
    }
    grant.project_id = std::stoll(project.Scalar());
  }
  const YAML::Node all_projects = node["all_projects"];
  if (!Absent(all_projects)) {
    const std::string text = all_projects.IsScalar() ? all_projects.Scalar() : "";
    if (text != "true" && text != "false") {
      return Fail(Bad(source, fmt::format("{}: all_projects must be true or false", where)));
    }
    if (text == "true" && grant.project_id) {
      return Fail(
          Bad(source, fmt::format("{}: all_projects is true but project_id is set", where)));
    }
    if (text == "false" && !grant.project_id) {
      return Fail(
          Bad(source, fmt::format("{}: all_projects is false but no project_id is set", where)));
    }
  }
  if (grant.project_id && Contains(kAccountLevelSets, grant.permission_set)) {
    return Fail(Bad(source, fmt::format("{}: '{}' is an account-level permission set and takes "
                                        "no project_id",
                                        where, grant.permission_set)));
  }

  const YAML::Node categories = node["writable_environment_categories"];
  if (!Absent(categories)) {
    if (!categories.IsSequence()) {
      return Fail(
          Bad(source, fmt::format("{}: writable_environment_categories must be a list", where)));
    }
    if (!Contains(kCategorySets, grant.permission_set)) {
      return Fail(Bad(source, fmt::format("{}: writable_environment_categories only applies to "
                                          "analyst, database_admin, developer, git_admin and "
                                          "team_admin, not '{}'",
                                          where, grant.permission_set)));
    }
    std::vector<std::string> values;
    for (const auto& category : categories) {
      const std::string value = category.IsScalar() ? category.Scalar() : "";
      if (!Contains(kCategories, value)) {
        return Fail(Bad(source, fmt::format("{}: writable environment category '{}' is not one "
                                            "of all, development, staging, production, other",
                                            where, value)));
      }
      if (std::find(values.begin(), values.end(), value) != values.end()) {
        return Fail(Bad(source, fmt::format("{}: writable environment category '{}' is listed "
                                            "twice",
                                            where, value)));
      }
      values.push_back(value);
    }
    grant.writable_environment_categories = std::move(values);
  }
  return grant;
}

}  // namespace

RotationResult<std::vector<PermissionGrant>> ParsePermissions(std::string_view text,
                                                              std::string_view source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Fail(Bad(source, fmt::format("not valid YAML or JSON (line {}, column {}: {})",
                                        e.mark.line + 1, e.mark.column + 1, e.msg)));
  }
  try {
    YAML::Node list = root;
    if (root.IsMap()) {
      for (const auto& item : root) {
        const auto key = item.first.as<std::string>("");
        if (key != "permission_grants") {
          return Fail(Bad(source, fmt::format("unknown top-level key '{}' (expected a list of "
                                              "grants or a 'permission_grants' key)",
                                              key)));
        }
      }
      list = root["permission_grants"];
    }
    if (!list || !list.IsSequence()) {
      return Fail(Bad(source, "expected a list of grants (or {\"permission_grants\": [...]})"));
    }
    if (list.size() == 0) {
      return Fail(Bad(source, "no grants: a token without permissions cannot do anything"));
    }
    std::vector<PermissionGrant> grants;
    std::set<std::tuple<std::string, std::int64_t>> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto grant = ParseGrant(list[i], i, source);
      if (!grant) return Fail(std::move(grant).error());
      if (!seen.emplace(grant->permission_set, grant->project_id.value_or(0)).second) {
        return Fail(
            Bad(source,
                fmt::format("{}: '{}' {} is listed twice", Where(i, list[i]), grant->permission_set,
                            grant->project_id ? fmt::format("for project {}", *grant->project_id)
                                              : std::string("for all projects"))));
      }
      grants.push_back(std::move(*grant));
    }
    return grants;
  } catch (const YAML::Exception& e) {
    return Fail(Bad(source, fmt::format("line {}: {}", e.mark.line + 1, e.msg)));
  }
}

RotationResult<std::vector<PermissionGrant>> LoadPermissionsFile(const std::string& path) {
  auto text = ReadBoundedFile(path, kMaxPermissionsFileBytes);
  if (!text) return Fail(Bad(path, text.error().reason));
  return ParsePermissions(*text, path);
}

}  // namespace dbtrotate::rotation
