#include <fmt/format.h>

#include "dbtcloud/access_url.h"
#include "rotation/iso_time.h"
#include "rotation/operations.h"
#include "rotation/secret_state.h"
#include "rotation/secret_value.h"
#include "rotation/token_binding.h"

namespace dbtrotate::rotation::internal {
namespace {

// Keys only a rotation may write: a fresh secret starts without pending revocations.
constexpr const char* kRotationKeys[] = {kKeyPreviousTokenId, kKeyPreviousRevokeAfter,
                                         kKeyRotationId};

}  // namespace

Report RunInit(RunContext& context, const InitOptions& options) {
  Report report;
  report.secret_id = options.secret_id;
  report.new_token_id = options.token_id;
  auto finish = [&](Outcome outcome, std::string message) {
    report.outcome = outcome;
    report.message = std::move(message);
    report.steps = context.TakeSteps();
    report.requests = context.Counts();
    return std::move(report);
  };
  if (options.secret_id.empty()) return finish(Outcome::kInvalidInput, "no secret id given");
  if (options.token_id <= 0) return finish(Outcome::kInvalidInput, "the token id must be positive");
  if (options.token.empty()) return finish(Outcome::kInvalidInput, "no token given");
  if (options.account_id <= 0) {
    return finish(Outcome::kInvalidInput, "the account id must be positive");
  }
  if (options.access_url.empty()) return finish(Outcome::kInvalidInput, "no access URL given");

  // Check the pair before storing it: a secret that starts out broken helps nobody.
  const ConnectionInfo connection{options.access_url, options.account_id};
  auto check = context.Begin("check token");
  auto api = context.Dbt(connection, options.token.Clone());
  if (!api) {
    check.Failed("unusable access URL");
    return finish(Outcome::kInvalidInput, fmt::format("cannot reach dbt Cloud at '{}'",
                                                      dbtcloud::RedactedUrl(options.access_url)));
  }
  std::optional<SystemTime> created_at;
  std::unique_ptr<dbtcloud::ServiceTokenApi> manager_api;
  auto row = api->GetServiceToken(options.token_id);
  if (!row && row.error().code == dbtcloud::ErrorCode::kUnauthenticated) {
    check.Failed(Describe(row.error()));
    return finish(Outcome::kInvalidInput,
                  fmt::format("dbt Cloud rejects the given token ({}); check the token and the "
                              "access URL. Nothing was written",
                              Describe(row.error())));
  }
  if (!row && row.error().code == dbtcloud::ErrorCode::kForbiddenOrNotFound &&
      options.manager_secret_id) {
    // A non-admin token cannot read itself; the manager can confirm the id.
    auto manager = context.sm().GetSecretValue(aws::GetSecretValueRequest{
        *options.manager_secret_id, std::nullopt, std::string(aws::kStageCurrent)});
    if (!manager) {
      check.Failed(Describe(manager.error()));
      return finish(Outcome::kInvalidInput,
                    fmt::format("reading manager secret '{}': {}", *options.manager_secret_id,
                                Describe(manager.error())));
    }
    auto parsed = ParseTokenSecret(*manager, SecretRole::kManager,
                                   fmt::format("manager secret '{}'", *options.manager_secret_id));
    if (!parsed) {
      check.Failed("malformed manager secret");
      return finish(Outcome::kInvalidInput, parsed.error().message);
    }
    manager_api = context.Dbt(connection, parsed->service_token.Clone());
    if (manager_api) row = manager_api->GetServiceToken(options.token_id);
  }
  if (row) {
    if (!row->active()) {
      check.Failed(fmt::format("token {} is not active", options.token_id));
      return finish(Outcome::kInvalidInput,
                    fmt::format("token {} is revoked in dbt Cloud (state {}); nothing was written",
                                options.token_id, row->state));
    }
    // A typo in --token-id would make the first rotation copy and revoke another token.
    auto binding = CheckTokenBinding(options.token, *row, {});
    if (binding.binding != Binding::kProven) {
      auto& lister = manager_api ? *manager_api : *api;
      if (auto tokens = lister.ListServiceTokens(false)) {
        binding = CheckTokenBinding(options.token, *row, *tokens);
      }
      check.Failed(fmt::format("token {} is not the given token", options.token_id));
      return finish(Outcome::kNeedsAttention,
                    BindingFailureMessage(binding, "init", options.token_id));
    }
    created_at = ParseIsoTime(row->created_at);
    check.Ok(fmt::format("token {} '{}' is active and is the given token", row->id, row->name));
  } else if (row.error().code == dbtcloud::ErrorCode::kForbiddenOrNotFound) {
    check.Failed(fmt::format("cannot read token {}", options.token_id));
    if (manager_api) {
      return finish(Outcome::kNeedsAttention,
                    fmt::format("token {} does not exist in account {} (the manager token cannot "
                                "read it): check --token-id. Nothing was written",
                                options.token_id, options.account_id));
    }
    return finish(
        Outcome::kNeedsAttention,
        fmt::format("the token authenticates but cannot read token {}, so dbt-rotate cannot prove "
                    "that the token is token {} (a wrong id would make the first rotation copy "
                    "and revoke another token). Pass --manager-secret-id naming a secret with an "
                    "account_admin token, which can confirm it. Nothing was written",
                    options.token_id, options.token_id));
  } else {
    check.Failed(Describe(row.error()));
    return finish(
        row.error().code == dbtcloud::ErrorCode::kInvalidConfig ? Outcome::kInvalidInput
                                                                : Outcome::kFailedSafely,
        fmt::format("checking the token: {}; nothing was written", Describe(row.error())));
  }

  auto write = context.Begin("write secret");
  auto description = context.sm().DescribeSecret(options.secret_id);
  const bool exists = static_cast<bool>(description);
  if (!description && description.error().code != aws::ErrorCode::kResourceNotFound) {
    write.Failed(Describe(description.error()));
    return finish(Outcome::kFailedSafely,
                  fmt::format("describing secret '{}': {}; nothing was written", options.secret_id,
                              Describe(description.error())));
  }
  if (exists && description->deleted_date) {
    write.Failed("scheduled for deletion");
    return finish(
        Outcome::kInvalidInput,
        fmt::format("secret '{}' is scheduled for deletion; restore it first", options.secret_id));
  }
  if (exists && !options.force) {
    write.Failed("exists");
    return finish(Outcome::kInvalidInput,
                  fmt::format("secret '{}' already exists; pass --force to overwrite its token "
                              "(other keys in it are kept)",
                              options.secret_id));
  }

  TokenSecret secret;
  if (exists) {
    // Keep the user's other keys when overwriting; drop what belonged to the old token.
    auto old = context.sm().GetSecretValue(aws::GetSecretValueRequest{
        options.secret_id, std::nullopt, std::string(aws::kStageCurrent)});
    if (old && !old->is_binary && old->secret_string) {
      auto document = SecretJson::Parse(old->secret_string->expose());
      if (document && document->doc().is_object()) {
        for (const char* key : kRotationKeys) document->doc().erase(key);
        secret.document = std::move(*document);
      }
    }
  }
  secret.service_token_id = options.token_id;
  secret.service_token = options.token.Clone();
  secret.last_rotated = created_at;  // unknown if dbt would not say: age then comes from dbt
  secret.account_id = options.account_id;
  secret.access_url = options.access_url;
  const SecretString value = SerializeTokenSecret(secret);
  if (exists) {
    aws::PutSecretValueRequest put;
    put.secret_id = options.secret_id;
    put.client_request_token = context.random().UuidV4();
    put.secret_string = value.Clone();
    auto result = context.sm().PutSecretValue(put);  // no stages: becomes AWSCURRENT
    if (!result && MaybeTransient(result.error())) {
      put.secret_string = value.Clone();
      result = context.sm().PutSecretValue(put);  // same token: a no-op if the first landed
    }
    if (!result) {
      write.Failed(Describe(result.error()));
      return finish(
          Outcome::kFailedSafely,
          fmt::format("writing secret '{}': {}", options.secret_id, Describe(result.error())));
    }
    write.Ok(fmt::format("overwrote '{}': version {}", options.secret_id, result->version_id));
  } else {
    aws::CreateSecretRequest create;
    create.name = options.secret_id;
    create.client_request_token = context.random().UuidV4();
    create.secret_string = value.Clone();
    create.description = options.description;
    auto result = context.sm().CreateSecret(create);
    if (!result && MaybeTransient(result.error())) {
      create.secret_string = value.Clone();
      result = context.sm().CreateSecret(create);
    }
    if (!result) {
      write.Failed(Describe(result.error()));
      return finish(
          result.error().code == aws::ErrorCode::kResourceExists ? Outcome::kInvalidInput
                                                                 : Outcome::kFailedSafely,
          fmt::format("creating secret '{}': {}", options.secret_id, Describe(result.error())));
    }
    write.Ok(fmt::format("created '{}': version {}", options.secret_id, result->version_id));
  }
  return finish(Outcome::kInitialized,
                fmt::format("secret '{}' now holds token {}", options.secret_id, options.token_id));
}

}  // namespace dbtrotate::rotation::internal
