#ifndef DBTROTATE_AWS_CREDENTIALS_SHARED_CONFIG_H_
#define DBTROTATE_AWS_CREDENTIALS_SHARED_CONFIG_H_

// ~/.aws/config and ~/.aws/credentials merged into profiles (reference §5.3, botocore
// `Session.full_config`): config sections are `[default]` / `[profile NAME]`, credentials sections
// are bare names, and for a profile in both files the credentials file's values win key by key.
// `[services NAME]` sections are kept for endpoint lookup; other sections (sso-session, …) are
// not profiles and are ignored.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials/environment.h"
#include "aws/credentials/ini.h"
#include "core/result.h"

namespace dbtrotate::aws {

struct SharedConfigPaths {
  std::string config_file;       // empty when neither AWS_CONFIG_FILE nor HOME is set
  std::string credentials_file;  // empty when neither AWS_SHARED_CREDENTIALS_FILE nor HOME is set
};

/// AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE (a leading "~/" means $HOME), else $HOME/.aws/….
SharedConfigPaths SharedConfigPathsFrom(const Environment& env);

struct Profile {
  std::string name;
  IniSection settings;  // merged; credentials-file values override config-file values
  bool in_config_file = false;
  bool in_credentials_file = false;

  const std::string* Get(std::string_view key) const { return settings.Value(key); }
  bool Has(std::string_view key) const { return Get(key) != nullptr; }
};

class SharedConfig {
 public:
  SharedConfig() = default;

  /// Reads both files; a missing file counts as empty. Malformed or unreadable files fail with
  /// "path:line: …" messages.
  static Result<SharedConfig, std::string> Load(const SharedConfigPaths& paths);
  /// Builds from already-parsed files (tests, or a caller that read them itself).
  static Result<SharedConfig, std::string> FromFiles(const IniFile& config,
                                                     const IniFile& credentials,
                                                     SharedConfigPaths paths);

  const Profile* FindProfile(std::string_view name) const;
  /// The `service_key` block (e.g. "secrets_manager") of `[services section_name]`.
  const PropertyMap* ServiceSettings(std::string_view section_name,
                                     std::string_view service_key) const;
  const SharedConfigPaths& paths() const { return paths_; }
  /// "<config> or <credentials>", for "profile not found" messages.
  std::string DescribeFiles() const;

 private:
  SharedConfigPaths paths_;
  std::map<std::string, Profile, std::less<>> profiles_;
  std::map<std::string, IniSection, std::less<>> services_;
};

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_SHARED_CONFIG_H_
