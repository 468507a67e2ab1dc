#include "aws/credentials/shared_config.h"

#include <vector>

#include "aws/credentials/file_util.h"
#include "aws/credentials/shell_split.h"
#include "aws/credentials/text_util.h"
#include "core/secret_string.h"

namespace dbtrotate::aws {

namespace {

constexpr std::size_t kMaxConfigFileBytes = 1 << 20;

std::string ExpandHome(const std::string& path, const std::optional<std::string>& home) {
  if (home && (path == "~" || path.rfind("~/", 0) == 0)) return *home + path.substr(1);
  return path;
}

Result<IniFile, std::string> LoadIni(const std::string& path) {
  if (path.empty()) return IniFile{};
  auto text = ReadSmallFile(path, kMaxConfigFileBytes);
  if (!text) {
    if (text.error().failure == ReadFileFailure::kNotFound) {
      IniFile empty;
      empty.path = path;
      return empty;
    }
    return Fail(text.error().message);
  }
  auto parsed = ParseIni(*text, path);
  WipeString(*text);
  return parsed;
}

// "[profile NAME]" → NAME (botocore splits the header with shlex, so NAME may be quoted).
std::optional<std::string> ConfigProfileName(const std::string& section) {
  if (section == "default") return section;
  if (section.rfind("profile", 0) != 0) return std::nullopt;
  auto parts = ShellSplit(section);
  if (!parts || parts->size() != 2 || (*parts)[0] != "profile") return std::nullopt;
  return (*parts)[1];
}

std::optional<std::string> ServicesName(const std::string& section) {
  auto parts = ShellSplit(section);
  if (!parts || parts->size() != 2 || (*parts)[0] != "services") return std::nullopt;
  return (*parts)[1];
}

}  // namespace

SharedConfigPaths SharedConfigPathsFrom(const Environment& env) {
  std::optional<std::string> home = env.Get("HOME");
  SharedConfigPaths paths;
  if (auto config = env.Get("AWS_CONFIG_FILE")) {
    paths.config_file = ExpandHome(*config, home);
  } else if (home) {
    paths.config_file = *home + "/.aws/config";
  }
  if (auto credentials = env.Get("AWS_SHARED_CREDENTIALS_FILE")) {
    paths.credentials_file = ExpandHome(*credentials, home);
  } else if (home) {
    paths.credentials_file = *home + "/.aws/credentials";
  }
  return paths;
}

Result<SharedConfig, std::string> SharedConfig::Load(const SharedConfigPaths& paths) {
  auto config = LoadIni(paths.config_file);
  if (!config) return Fail(std::move(config.error()));
  auto credentials = LoadIni(paths.credentials_file);
  if (!credentials) return Fail(std::move(credentials.error()));
  return FromFiles(*config, *credentials, paths);
}

Result<SharedConfig, std::string> SharedConfig::FromFiles(const IniFile& config,
                                                          const IniFile& credentials,
                                                          SharedConfigPaths paths) {
  SharedConfig shared;
  shared.paths_ = std::move(paths);
  std::map<std::string, int, std::less<>> profile_lines;  // to report duplicates
  for (const IniSection& section : config.sections) {
    if (auto name = ConfigProfileName(section.name)) {
      auto seen = profile_lines.find(*name);
      if (seen != profile_lines.end()) {
        // "[profile default]" may sit beside "[default]"; it wins, as in the newer SDKs.
        bool default_pair = *name == "default";
        if (!default_pair) {
          return Fail(config.path + ":" + std::to_string(section.line) + ": profile \"" +
                      Printable(*name, 64) + "\" is defined twice (first at line " +
                      std::to_string(seen->second) + ")");
        }
        if (section.name == "default") continue;  // keep "[profile default]"
      }
      profile_lines[*name] = section.line;
      Profile& profile = shared.profiles_[*name];
      profile.name = *name;
      profile.settings = section;
      profile.settings.name = *name;
      profile.in_config_file = true;
    } else if (auto services = ServicesName(section.name)) {
      shared.services_[*services] = section;
    }
  }
  for (const IniSection& section : credentials.sections) {
    Profile& profile = shared.profiles_[section.name];
    profile.name = section.name;
    profile.settings.name = section.name;
    profile.in_credentials_file = true;
    for (const auto& [key, value] : section.values) {
      std::string& slot = profile.settings.values[key];
      WipeString(slot);  // the config file's value may be a secret too
      slot = value;
    }
    for (const auto& [key, block] : section.sub_properties) {
      profile.settings.sub_properties[key] = block;
    }
  }
  return shared;
}

const Profile* SharedConfig::FindProfile(std::string_view name) const {
  auto it = profiles_.find(name);
  return it == profiles_.end() ? nullptr : &it->second;
}

const PropertyMap* SharedConfig::ServiceSettings(std::string_view section_name,
                                                 std::string_view service_key) const {
  auto section = services_.find(section_name);
  if (section == services_.end()) return nullptr;
  auto block = section->second.sub_properties.find(service_key);
  return block == section->second.sub_properties.end() ? nullptr : &block->second;
}

std::string SharedConfig::DescribeFiles() const {
  std::vector<std::string> files;
  if (!paths_.config_file.empty()) files.push_back(paths_.config_file);
  if (!paths_.credentials_file.empty()) files.push_back(paths_.credentials_file);
  if (files.empty()) return "no shared config files (HOME is not set)";
  if (files.size() == 1) return files[0];
  return files[0] + " or " + files[1];
}

}  // namespace dbtrotate::aws
