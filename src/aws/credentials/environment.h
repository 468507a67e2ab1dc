#ifndef DBTROTATE_AWS_CREDENTIALS_ENVIRONMENT_H_
#define DBTROTATE_AWS_CREDENTIALS_ENVIRONMENT_H_

// Environment variables are injected so tests never read (or depend on) the real environment.

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dbtrotate::aws {

class Environment {
 public:
  virtual ~Environment() = default;
  /// The variable's value. Unset and empty both give nullopt: the SDKs treat "" as unset.
  /// Values may be secrets (AWS_SECRET_ACCESS_KEY): callers move them into a SecretString.
  virtual std::optional<std::string> Get(std::string_view name) const = 0;
};

/// The real process environment (getenv).
class ProcessEnvironment final : public Environment {
 public:
  std::optional<std::string> Get(std::string_view name) const override;
  static ProcessEnvironment& Instance();
};

/// A fixed set of variables, for tests.
class MapEnvironment final : public Environment {
 public:
  MapEnvironment() = default;
  MapEnvironment(std::initializer_list<std::pair<const std::string, std::string>> values)
      : values_(values) {}
  std::optional<std::string> Get(std::string_view name) const override;
  void Set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }
  void Unset(std::string_view name);

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

/// "true"/"false" in any case, as the SDKs accept them. `what` names the setting for the message.
Result<bool, std::string> ParseBoolSetting(std::string_view what, std::string_view value);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_ENVIRONMENT_H_
