#include "emulators/secretsmanager/validation.h"

#include <fmt/format.h>

namespace dbtrotate::emulators::secretsmanager {

void Validator::Missing(std::string_view member) {
  violations_.push_back(fmt::format(
      "Value null at '{}' failed to satisfy constraint: Member must not be null", member));
}

void Validator::Length(std::string_view member, std::string_view value, std::size_t min,
                       std::size_t max) {
  if (value.size() < min) {
    Constraint(member, fmt::format("Member must have length greater than or equal to {}", min));
  } else if (value.size() > max) {
    Constraint(member, fmt::format("Member must have length less than or equal to {}", max));
  }
}

void Validator::Value(std::string_view member, std::int64_t value, std::int64_t min,
                      std::int64_t max) {
  if (value < min) {
    Constraint(member, fmt::format("Member must have value greater than or equal to {}", min));
  } else if (value > max) {
    Constraint(member, fmt::format("Member must have value less than or equal to {}", max));
  }
}

void Validator::ListSize(std::string_view member, std::size_t size, std::size_t min,
                         std::size_t max) {
  if (size < min) {
    Constraint(member, fmt::format("Member must have length greater than or equal to {}", min));
  } else if (size > max) {
    Constraint(member, fmt::format("Member must have length less than or equal to {}", max));
  }
}

void Validator::Constraint(std::string_view member, std::string_view constraint) {
  violations_.push_back(
      fmt::format("Value at '{}' failed to satisfy constraint: {}", member, constraint));
}

std::optional<ApiError> Validator::Error() const {
  if (violations_.empty()) return std::nullopt;
  std::string message = fmt::format("{} validation error{} detected: ", violations_.size(),
                                    violations_.size() == 1 ? "" : "s");
  for (std::size_t i = 0; i < violations_.size(); ++i) {
    if (i > 0) message += "; ";
    message += violations_[i];
  }
  return ApiError{ApiErrorCode::kValidation, std::move(message)};
}

bool IsValidSecretName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("/_+=.@-").find(c) == std::string_view::npos) return false;
  }
  return true;
}

void ValidateSecretId(Validator& validator, std::string_view secret_id) {
  validator.Length("secretId", secret_id, 1, 2048);
}

void ValidateToken(Validator& validator, std::string_view member,
                   const std::optional<std::string>& token) {
  if (token) validator.Length(member, *token, 32, 64);
}

std::optional<ApiError> CheckSecretIdShape(std::string_view secret_id) {
  if (secret_id.rfind("arn:", 0) == 0 || IsValidSecretName(secret_id)) return std::nullopt;
  return ApiError{ApiErrorCode::kValidation, kInvalidNameMessage};
}

}  // namespace dbtrotate::emulators::secretsmanager
