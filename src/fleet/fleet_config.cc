#include "fleet/fleet_config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "dbtcloud/access_url.h"
#include "rotation/duration.h"
#include "rotation/permissions_file.h"

namespace dbtrotate::fleet {
namespace {

// Keys an entry may set; `defaults` takes all but the first three.
constexpr std::array<std::string_view, 13> kEntryKeys = {
    "secret_id",         "name",    "tags",    "account_id", "access_url",
    "manager_secret_id", "overlap", "min_age", "force",      "permissions",
    "token_name",        "region",  "profile"};
constexpr std::size_t kEntryOnlyKeys = 3;

bool IsEntryKey(std::string_view key, bool in_defaults) {
  const auto* begin = kEntryKeys.begin() + (in_defaults ? kEntryOnlyKeys : 0);
  return std::find(begin, kEntryKeys.end(), key) != kEntryKeys.end();
}

// yaml-cpp marks are 0-based, and -1 for a node that is not in the text (an empty file).
int Line(const YAML::Node& node) { return std::max(1, node.Mark().line + 1); }

// The merged view of one entry: each key's node, from the entry or else from `defaults`.
using KeyNodes = std::map<std::string, YAML::Node, std::less<>>;

class Parser {
 public:
  explicit Parser(std::string path) : path_(std::move(path)) {}

  Result<FleetConfig, ConfigError> Parse(std::string_view text);

 private:
  Unexpected<ConfigError> Bad(int line, std::string_view key, std::string_view message) const {
    return Fail(ConfigError{fmt::format("{}:{}: {}: {}", path_, line, key, message)});
  }

  Result<KeyNodes, ConfigError> Keys(const YAML::Node& map, std::string_view where,
                                     bool in_defaults) const;
  Result<FleetEntry, ConfigError> Entry(const YAML::Node& node, std::size_t index,
                                        const KeyNodes& defaults) const;
  Result<std::string, ConfigError> Text(const KeyNodes& keys, std::string_view key,
                                        std::string_view where) const;
  Result<void, ConfigError> Apply(const std::string& key, const YAML::Node& value,
                                  std::string_view where, FleetEntry& entry) const;

  std::string path_;
};

Result<KeyNodes, ConfigError> Parser::Keys(const YAML::Node& map, std::string_view where,
                                           bool in_defaults) const {
  if (!map.IsMap()) return Bad(Line(map), where, "expected a mapping of keys");
  KeyNodes keys;
  for (const auto& item : map) {
    const std::string key = item.first.IsScalar() ? item.first.Scalar() : std::string();
    const std::string at = fmt::format("{}.{}", where, key);
    if (!IsEntryKey(key, in_defaults)) {
      const bool entry_only = IsEntryKey(key, false);
      return Bad(Line(item.first), at,
                 entry_only ? "not allowed in defaults (set it on each entry)"
                            : "unknown key (known: secret_id, name, tags, account_id, access_url, "
                              "manager_secret_id, overlap, min_age, force, permissions, "
                              "token_name, region, profile)");
    }
    if (!keys.emplace(key, item.second).second) {
      return Bad(Line(item.first), at, "key given twice");
    }
  }
  return keys;
}

Result<std::string, ConfigError> Parser::Text(const KeyNodes& keys, std::string_view key,
                                              std::string_view where) const {
  const auto it = keys.find(key);
  const YAML::Node& node = it->second;
  if (!node.IsScalar() || node.Scalar().empty()) {
    return Bad(Line(node), fmt::format("{}.{}", where, key), "expected a non-empty string");
  }
  const std::string& text = node.Scalar();
  if (std::any_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return Bad(Line(node), fmt::format("{}.{}", where, key), "contains a control character");
  }
  return text;
}

Result<void, ConfigError> Parser::Apply(const std::string& key, const YAML::Node& value,
                                        std::string_view where, FleetEntry& entry) const {
  const std::string at = fmt::format("{}.{}", where, key);
  const int line = Line(value);
  KeyNodes one{{key, value}};
  auto& options = entry.rotate;
  if (key == "permissions") {
    if (value.IsScalar() && value.Scalar() == "inherit") return {};
    if (!value.IsSequence()) return Bad(line, at, "expected 'inherit' or a list of grants");
    YAML::Emitter out;
    out << value;
    auto grants = rotation::ParsePermissions(out.c_str(), "the list");
    if (!grants) return Bad(line, at, grants.error().message);
    options.grants = std::move(*grants);
    return {};
  }
  if (key == "force") {
    bool force = false;
    if (!value.IsScalar() || !YAML::convert<bool>::decode(value, force)) {
      return Bad(line, at, "expected true or false");
    }
    options.force = force;
    return {};
  }
  auto text = Text(one, key, where);
  if (!text) return Fail(std::move(text.error()));
  if (key == "secret_id") {
    options.secret_id = *text;
  } else if (key == "name") {
    entry.name = *text;
  } else if (key == "account_id") {
    std::int64_t id = 0;
    if (!YAML::convert<std::int64_t>::decode(value, id) || id <= 0 ||
        text->find_first_not_of("0123456789") != std::string::npos) {
      return Bad(line, at, "expected a positive integer (your dbt Cloud account id)");
    }
    options.connection.account_id = id;
  } else if (key == "access_url") {
    if (auto parsed = dbtcloud::ParseAccessUrl(*text); !parsed) {
      return Bad(line, at, parsed.error().message);
    }
    options.connection.access_url = *text;
  } else if (key == "manager_secret_id") {
    options.connection.manager_secret_id = *text;
  } else if (key == "overlap") {
    auto overlap = rotation::ParseOverlap(*text);
    if (!overlap) return Bad(line, at, overlap.error().message);
    options.overlap = *overlap;
  } else if (key == "min_age") {
    auto age = rotation::ParseDuration(*text, "min_age");
    if (!age) return Bad(line, at, age.error().message);
    options.min_age = *age;
  } else if (key == "token_name") {
    options.token_name = *text;
  } else if (key == "region") {
    entry.aws.region = *text;
  } else if (key == "profile") {
    entry.aws.profile = *text;
  }
  return {};
}

Result<FleetEntry, ConfigError> Parser::Entry(const YAML::Node& node, std::size_t index,
                                              const KeyNodes& defaults) const {
  const std::string where = fmt::format("secrets[{}]", index);
  auto own = Keys(node, where, /*in_defaults=*/false);
  if (!own) return Fail(std::move(own.error()));
  if (!own->contains("secret_id")) return Bad(Line(node), where, "secret_id is required");
  KeyNodes merged = defaults;
  for (auto& [key, value] : *own) merged[key] = value;  // the entry's keys win

  FleetEntry entry;
  entry.line = Line(node);
  for (const auto& [key, value] : merged) {
    if (key == "tags") continue;
    if (auto applied = Apply(key, value, where, entry); !applied) {
      return Fail(std::move(applied.error()));
    }
  }
  if (auto tags = merged.find("tags"); tags != merged.end()) {
    const YAML::Node& list = tags->second;
    if (!list.IsSequence()) return Bad(Line(list), where + ".tags", "expected a list of tags");
    for (const auto& tag : list) {
      if (!tag.IsScalar() || tag.Scalar().empty()) {
        return Bad(Line(tag), where + ".tags", "a tag must be a non-empty string");
      }
      entry.tags.push_back(tag.Scalar());
    }
  }
  if (entry.name.empty()) entry.name = entry.rotate.secret_id;
  return entry;
}

Result<FleetConfig, ConfigError> Parser::Parse(std::string_view text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    // yaml-cpp's message may quote the input; keep only its position and kind.
    return Bad(error.mark.line + 1, "(file)", "not valid YAML: " + error.msg);
  }
  if (!root.IsMap()) {
    return Bad(root ? Line(root) : 1, "(file)", "expected a mapping with 'secrets:'");
  }
  KeyNodes defaults;
  YAML::Node secrets;
  std::set<std::string> seen_top;
  for (const auto& item : root) {
    const std::string key = item.first.IsScalar() ? item.first.Scalar() : std::string();
    if (!seen_top.insert(key).second) return Bad(Line(item.first), key, "key given twice");
    if (key == "defaults") {
      auto keys = Keys(item.second, "defaults", /*in_defaults=*/true);
      if (!keys) return Fail(std::move(keys.error()));
      defaults = std::move(*keys);
    } else if (key == "secrets") {
      secrets = item.second;
    } else {
      return Bad(Line(item.first), key, "unknown top-level key (known: defaults, secrets)");
    }
  }
  if (!secrets || !secrets.IsSequence() || secrets.size() == 0) {
    return Bad(secrets ? Line(secrets) : 1, "secrets", "expected a non-empty list of secrets");
  }
  FleetConfig config;
  config.path = path_;
  std::map<std::string, int> secret_lines;
  std::map<std::string, int> name_lines;
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    auto entry = Entry(secrets[i], i, defaults);
    if (!entry) return Fail(std::move(entry.error()));
    const std::string where = fmt::format("secrets[{}]", i);
    auto [secret, fresh] = secret_lines.emplace(entry->rotate.secret_id, entry->line);
    if (!fresh) {
      return Bad(
          entry->line, where + ".secret_id",
          fmt::format("secret '{}' is already listed at line {}", secret->first, secret->second));
    }
    auto [name, fresh_name] = name_lines.emplace(entry->name, entry->line);
    if (!fresh_name) {
      return Bad(entry->line, where + ".name",
                 fmt::format("name '{}' is already used at line {}", name->first, name->second));
    }
    config.entries.push_back(std::move(*entry));
  }
  return config;
}

}  // namespace

Result<FleetConfig, ConfigError> ParseFleetConfig(std::string_view text, const std::string& path) {
  return Parser(path).Parse(text);
}

Result<FleetConfig, ConfigError> LoadFleetConfig(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return Fail(
        ConfigError{fmt::format("{}: cannot open the fleet file (does it exist and is it "
                                "readable?)",
                                path)});
  }
  std::ostringstream text;
  text << file.rdbuf();
  return ParseFleetConfig(text.str(), path);
}

}  // namespace dbtrotate::fleet
