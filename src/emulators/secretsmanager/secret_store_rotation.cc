// SecretStore's rotation state (reference aws-secrets-manager.md §2 RotateSecret /
// CancelRotateSecret, §3; aws-lambda-rotation.md §3). Invoking the function is RotationRunner's.

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <utility>

#include "emulators/secretsmanager/secret_records.h"
#include "emulators/secretsmanager/secret_store.h"
#include "emulators/secretsmanager/validation.h"

namespace dbtrotate::emulators::secretsmanager {
namespace {

constexpr char kIncompleteRotationMessage[] =
    "A previous rotation isn't complete. That rotation will be reattempted.";
constexpr char kNoLambdaMessage[] =
    "No Lambda rotation function ARN is associated with this secret.";

bool IsDigits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// "3h" … "24h" (the API's pattern is [0-9]h|[0-9]{2}h; the window is at most a day).
bool IsValidDuration(std::string_view duration) {
  if (duration.size() < 2 || duration.size() > 3 || duration.back() != 'h') return false;
  const std::string_view count = duration.substr(0, duration.size() - 1);
  if (!IsDigits(count)) return false;
  int value = 0;
  std::from_chars(count.data(), count.data() + count.size(), value);
  return value >= 1 && value <= 24;
}

bool IsWrapped(std::string_view text, std::string_view open) {
  return text.size() > open.size() + 1 && text.substr(0, open.size()) == open && text.back() == ')';
}

// The interval of `rate(N days)` / `rate(N hours)`; nullopt for cron() (not computed here).
std::optional<std::chrono::hours> RateInterval(std::string_view expression) {
  if (!IsWrapped(expression, "rate(")) return std::nullopt;
  std::string_view inner = expression.substr(5, expression.size() - 6);
  const std::size_t space = inner.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const std::string_view count = inner.substr(0, space);
  const std::string_view unit = inner.substr(space + 1);
  if (!IsDigits(count)) return std::nullopt;
  int value = 0;
  std::from_chars(count.data(), count.data() + count.size(), value);
  if (unit == "day" || unit == "days") return std::chrono::hours(24 * value);
  if (unit == "hour" || unit == "hours") return std::chrono::hours(value);
  return std::nullopt;
}

std::optional<ApiError> CheckRules(const RotationRules& rules) {
  Validator validator;
  if (rules.automatically_after_days) {
    validator.Value("rotationRules.automaticallyAfterDays", *rules.automatically_after_days, 1,
                    1000);
  }
  if (rules.schedule_expression) {
    validator.Length("rotationRules.scheduleExpression", *rules.schedule_expression, 1, 256);
  }
  if (auto error = validator.Error()) return error;
  if (rules.automatically_after_days && rules.schedule_expression) {
    return ApiError{ApiErrorCode::kInvalidParameter,
                    "You can't specify both AutomaticallyAfterDays and ScheduleExpression."};
  }
  if (rules.schedule_expression && !IsWrapped(*rules.schedule_expression, "rate(") &&
      !IsWrapped(*rules.schedule_expression, "cron(")) {
    return ApiError{ApiErrorCode::kInvalidParameter,
                    "ScheduleExpression must be rate(…) or cron(…)."};
  }
  if (rules.schedule_expression && IsWrapped(*rules.schedule_expression, "rate(") &&
      !RateInterval(*rules.schedule_expression)) {
    return ApiError{ApiErrorCode::kInvalidParameter,
                    "A rate() ScheduleExpression must be 'rate(N days)' or 'rate(N hours)'."};
  }
  if (rules.duration && !IsValidDuration(*rules.duration)) {
    return ApiError{ApiErrorCode::kInvalidParameter,
                    "Duration must be a number of hours from 1h to 24h, e.g. \"3h\"."};
  }
  return std::nullopt;
}

}  // namespace

std::optional<SystemTime> SecretStore::NextRotationDate(const Secret& secret) {
  if (!secret.rotation_enabled.value_or(false) || !secret.last_rotated) return std::nullopt;
  if (secret.rotation_days)
    return *secret.last_rotated + std::chrono::hours(24 * *secret.rotation_days);
  if (secret.rotation_schedule) {
    if (auto interval = RateInterval(*secret.rotation_schedule))
      return *secret.last_rotated + *interval;
  }
  return std::nullopt;  // cron(): AWS computes it; this emulator does not
}

ApiResult<RotationPlan> SecretStore::BeginRotation(const RotateSecretInput& input) {
  Validator validator;
  ValidateSecretId(validator, input.secret_id);
  ValidateToken(validator, "clientRequestToken", input.client_request_token);
  if (input.rotation_lambda_arn)
    validator.Length("rotationLambdaARN", *input.rotation_lambda_arn, 0, 2048);
  if (auto error = validator.Error()) return Fail(std::move(*error));
  if (auto error = CheckSecretIdShape(input.secret_id)) return Fail(std::move(*error));
  if (input.rotation_rules) {
    if (auto error = CheckRules(*input.rotation_rules)) return Fail(std::move(*error));
  }

  std::lock_guard lock(mutex_);
  ApiResult<Secret*> found = LookupLive(input.secret_id);
  if (!found) return Fail(std::move(found).error());
  Secret& secret = **found;
  const std::optional<std::string> lambda_arn =
      input.rotation_lambda_arn && !input.rotation_lambda_arn->empty() ? input.rotation_lambda_arn
                                                                       : secret.rotation_lambda_arn;
  if (!lambda_arn) return Fail(ApiError{ApiErrorCode::kInvalidRequest, kNoLambdaMessage});
  // The end state of a rotation is AWSPENDING on no version or on AWSCURRENT's (§2).
  Version* pending = VersionWithStage(secret, kAwsPending);
  if (pending != nullptr && !pending->HasStage(kAwsCurrent)) {
    return Fail(ApiError{ApiErrorCode::kInvalidRequest, kIncompleteRotationMessage});
  }
  const std::string token =
      input.client_request_token ? *input.client_request_token : random_.UuidV4();
  if (FindVersion(secret, token) != nullptr) {
    return Fail(ApiError{ApiErrorCode::kResourceExists,
                         fmt::format("You can't use ClientRequestToken {} because that value is "
                                     "already in use for a version of secret {}.",
                                     token, secret.arn)});
  }

  secret.rotation_enabled = true;
  secret.rotation_lambda_arn = lambda_arn;
  if (input.rotation_rules) {
    secret.rotation_days = input.rotation_rules->automatically_after_days;
    secret.rotation_schedule = input.rotation_rules->schedule_expression;
    secret.rotation_window = input.rotation_rules->duration;
  }
  for (Version& version : secret.versions) version.RemoveStage(kAwsPending);
  Version stub;
  stub.id = token;
  stub.created = clock_.Now();
  stub.stages.emplace_back(kAwsPending);
  stub.sequence = next_sequence_++;
  secret.versions.push_back(std::move(stub));
  secret.last_changed = clock_.Now();
  return RotationPlan{secret.arn, secret.name, token, *lambda_arn,
                      input.rotate_immediately.value_or(true)};
}

ApiResult<CancelRotateSecretOutput> SecretStore::CancelRotateSecret(std::string_view secret_id) {
  Validator validator;
  ValidateSecretId(validator, secret_id);
  if (auto error = validator.Error()) return Fail(std::move(*error));
  if (auto error = CheckSecretIdShape(secret_id)) return Fail(std::move(*error));
  std::lock_guard lock(mutex_);
  ApiResult<Secret*> found = LookupLive(secret_id);
  if (!found) return Fail(std::move(found).error());
  Secret& secret = **found;
  secret.rotation_enabled = false;
  CancelRotateSecretOutput output{secret.arn, secret.name, std::nullopt};
  Version* pending = VersionWithStage(secret, kAwsPending);
  if (pending != nullptr && !pending->HasStage(kAwsCurrent)) output.version_id = pending->id;
  return output;
}

ApiResult<void> SecretStore::CompleteRotation(std::string_view secret_id,
                                              std::string_view version_id) {
  std::lock_guard lock(mutex_);
  ApiResult<Secret*> found = LookupLive(secret_id);
  if (!found) return Fail(std::move(found).error());
  Secret& secret = **found;
  Version* version = FindVersion(secret, version_id);
  if (version == nullptr || !version->HasStage(kAwsCurrent)) {
    return Fail(ApiError{
        ApiErrorCode::kInvalidRequest,
        fmt::format("finishSecret returned, but AWSCURRENT is not on version {}.", version_id)});
  }
  secret.last_rotated = clock_.Now();
  return {};
}

ApiResult<void> SecretStore::EndRotationTest(std::string_view secret_id,
                                             std::string_view version_id) {
  std::lock_guard lock(mutex_);
  ApiResult<Secret*> found = Lookup(secret_id);
  if (!found) return Fail(std::move(found).error());
  if (Version* version = FindVersion(**found, version_id)) version->RemoveStage(kAwsPending);
  return {};
}

bool SecretStore::RotationStillPending(std::string_view secret_id, std::string_view version_id) {
  std::lock_guard lock(mutex_);
  ApiResult<Secret*> found = LookupLive(secret_id);
  if (!found) return false;
  Secret& secret = **found;
  Version* version = FindVersion(secret, version_id);
  return secret.rotation_enabled.value_or(false) && version != nullptr &&
         version->HasStage(kAwsPending);
}

}  // namespace dbtrotate::emulators::secretsmanager
