#include "aws/credentials/environment.h"

#include <cstdlib>

#include "aws/credentials/text_util.h"
#include "core/ascii.h"

namespace dbtrotate::aws {

std::optional<std::string> ProcessEnvironment::Get(std::string_view name) const {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

ProcessEnvironment& ProcessEnvironment::Instance() {
  static ProcessEnvironment environment;
  return environment;
}

std::optional<std::string> MapEnvironment::Get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

void MapEnvironment::Unset(std::string_view name) {
  auto it = values_.find(name);
  if (it != values_.end()) values_.erase(it);
}

Result<bool, std::string> ParseBoolSetting(std::string_view what, std::string_view value) {
  std::string_view trimmed = Trim(value);
  if (AsciiEqualsIgnoreCase(trimmed, "true")) return true;
  if (AsciiEqualsIgnoreCase(trimmed, "false")) return false;
  return Fail(std::string(what) + " must be \"true\" or \"false\", not \"" + std::string(trimmed) +
              "\"");
}

}  // namespace dbtrotate::aws
