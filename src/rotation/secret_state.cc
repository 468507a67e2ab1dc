#include "rotation/secret_state.h"

#include <fmt/format.h>

#include "dbtcloud/access_url.h"
#include "rotation/iso_time.h"
#include "rotation/lambda_steps.h"

namespace dbtrotate::rotation::internal {

Stop AwsStop(const aws::Error& error, std::string_view doing) {
  switch (error.code) {
    case aws::ErrorCode::kResourceNotFound:
    case aws::ErrorCode::kAccessDenied:
    case aws::ErrorCode::kAuthFailure:
    case aws::ErrorCode::kNoCredentials:
    case aws::ErrorCode::kInvalidConfig:
    case aws::ErrorCode::kInvalidParameter:
    case aws::ErrorCode::kDecryptionFailure:
      return Stop{Outcome::kInvalidInput,
                  fmt::format("{}: {}; nothing was changed", doing, Describe(error))};
    default:
      return Stop{Outcome::kFailedSafely,
                  fmt::format("{}: {}; nothing was changed, retry later", doing, Describe(error))};
  }
}

Flow<SecretState> ReadState(RunContext& context, const std::string& secret_id,
                            const ConnectionOptions& options) {
  auto step = context.Begin("read secret");
  auto current_future = context.Start([&] {
    return context.sm().GetSecretValue(
        aws::GetSecretValueRequest{secret_id, std::nullopt, std::string(aws::kStageCurrent)});
  });
  std::future<aws::AwsResult<aws::SecretValue>> manager_future;
  if (options.manager_secret_id) {
    manager_future = context.Start([&] {
      return context.sm().GetSecretValue(aws::GetSecretValueRequest{
          *options.manager_secret_id, std::nullopt, std::string(aws::kStageCurrent)});
    });
  }
  auto describe_future = context.StartHere([&] { return context.sm().DescribeSecret(secret_id); });
  auto current = current_future.get();
  auto description = describe_future.get();
  std::optional<aws::AwsResult<aws::SecretValue>> manager;
  if (manager_future.valid()) manager.emplace(manager_future.get());

  // First, so that a secret being deleted is named as such (GetSecretValue only says
  // "invalid request").
  if (description && description->deleted_date) {
    step.Failed("scheduled for deletion");
    return StopWith(Outcome::kInvalidInput,
                    fmt::format("secret '{}' is scheduled for deletion; restore it "
                                "(aws secretsmanager restore-secret) before rotating",
                                secret_id));
  }
  if (!current) {
    step.Failed(Describe(current.error()));
    Stop stop = AwsStop(current.error(), fmt::format("reading secret '{}'", secret_id));
    if (current.error().code == aws::ErrorCode::kResourceNotFound) {
      stop.message += " (create it from an existing token with `dbt-rotate init`)";
    }
    return Fail(std::move(stop));
  }
  if (!description) {
    step.Failed(Describe(description.error()));
    return Fail(AwsStop(description.error(), fmt::format("describing secret '{}'", secret_id)));
  }
  SecretState state;
  state.version_id = current->version_id;
  auto parsed = ParseTokenSecret(*current, SecretRole::kRotated,
                                 fmt::format("secret '{}' (AWSCURRENT)", secret_id));
  if (!parsed) {
    step.Failed("malformed value");
    return StopWith(Outcome::kInvalidInput, parsed.error().message + "; nothing was changed");
  }
  state.current = std::move(*parsed);

  state.rotation_enabled = description->rotation_enabled;
  state.staged_version = description->VersionWithStage(kStagedLabel);
  const auto pending = description->VersionWithStage(aws::kStagePending);
  if (pending && *pending == state.version_id) {
    state.pending_on_current = true;
  } else if (pending) {
    state.pending_version = *pending;
  }

  if (manager) {
    if (!*manager) {
      step.Failed(Describe(manager->error()));
      return Fail(AwsStop(manager->error(),
                          fmt::format("reading manager secret '{}'", *options.manager_secret_id)));
    }
    auto manager_secret = ParseTokenSecret(
        **manager, SecretRole::kManager,
        fmt::format("manager secret '{}' (AWSCURRENT)", *options.manager_secret_id));
    if (!manager_secret) {
      step.Failed("malformed manager secret");
      return StopWith(Outcome::kInvalidInput,
                      manager_secret.error().message + "; nothing was changed");
    }
    state.manager_token = manager_secret->service_token.Clone();
  }

  // Options win over the secret's keys (the first run of a notebook secret has neither).
  state.connection.account_id = options.account_id.value_or(state.current.account_id.value_or(0));
  state.connection.access_url =
      options.access_url.value_or(state.current.access_url.value_or(std::string()));
  if (state.connection.account_id <= 0) {
    step.Failed("no account id");
    return StopWith(Outcome::kInvalidInput,
                    fmt::format("secret '{}' has no '{}' and none was given (--account-id); "
                                "nothing was changed",
                                secret_id, kKeyAccountId));
  }
  if (state.connection.access_url.empty()) {
    step.Failed("no access url");
    return StopWith(Outcome::kInvalidInput,
                    fmt::format("secret '{}' has no '{}' and none was given (--access-url, e.g. "
                                "ab123.us1.dbt.com); nothing was changed",
                                secret_id, kKeyAccessUrl));
  }

  std::string detail = fmt::format("AWSCURRENT version {}, token {}", state.version_id,
                                   state.current.service_token_id);
  if (state.pending_version)
    detail += fmt::format(", AWSPENDING on version {}", *state.pending_version);
  const bool overridden = (options.account_id && state.current.account_id &&
                           *options.account_id != *state.current.account_id) ||
                          (options.access_url && state.current.access_url &&
                           *options.access_url != *state.current.access_url);
  if (overridden) {
    step.Warn(detail +
              "; the given account id / access url differ from the secret's, using "
              "the given ones");
  } else {
    step.Ok(detail);
  }
  return state;
}

Flow<PendingRecord> ReadPending(RunContext& context, const std::string& secret_id,
                                const std::string& version_id, Duration lease) {
  auto step = context.Begin("read pending rotation");
  PendingRecord record;
  record.info.version_id = version_id;
  auto value = context.sm().GetSecretValue(
      aws::GetSecretValueRequest{secret_id, version_id, std::string(aws::kStagePending)});
  if (!value) {
    if (value.error().code == aws::ErrorCode::kResourceNotFound) {
      // A RotateSecret stub: Secrets Manager's own rotation (a rotation function) is under way.
      record.info.kind = PendingInfo::Kind::kSecretsManager;
      step.Warn("no value yet: a rotation started by Secrets Manager (RotateSecret)");
      return record;
    }
    step.Failed(Describe(value.error()));
    return StopWith(Outcome::kFailedSafely,
                    fmt::format("reading AWSPENDING version {}: {}; nothing was changed",
                                version_id, Describe(value.error())));
  }
  const std::string where = fmt::format("secret '{}' AWSPENDING version {}", secret_id, version_id);
  std::optional<SystemTime> embedded;
  if (!value->is_binary && value->secret_string) {
    auto document = SecretJson::Parse(value->secret_string->expose());
    if (document && IsIntentDocument(document->doc())) {
      auto intent = ParseIntent(document->doc(), where);
      if (intent) {
        record.info.kind = PendingInfo::Kind::kIntent;
        record.info.rotation_id = intent->rotation_id;
        embedded = intent->started_at;
        record.intent = std::move(*intent);
      } else {
        record.foreign_reason = intent.error().message;
      }
    } else if (document && document->doc().is_object() &&
               document->doc().contains(kKeyRotationId)) {
      auto token = ParseTokenSecret(std::move(*document), SecretRole::kRotated, where);
      if (token && token->rotation_id && WrittenByRotationFunction(*token->rotation_id)) {
        // Stored by the rotation function's createSecret: Secrets Manager finishes it.
        record.info.kind = PendingInfo::Kind::kSecretsManager;
        record.info.rotation_id = token->rotation_id;
        record.info.token_id = token->service_token_id;
        record.info.since = value->created_date;
        step.Warn(DescribePending(record.info));
        return record;
      }
      if (token && token->rotation_id) {
        record.info.kind = PendingInfo::Kind::kToken;
        record.info.rotation_id = token->rotation_id;
        record.info.token_id = token->service_token_id;
        embedded = token->last_rotated;
        record.token = std::move(*token);
      } else if (!token) {
        record.foreign_reason = token.error().message;
      }
    }
  }
  if (record.info.kind == PendingInfo::Kind::kForeign) {
    if (record.foreign_reason.empty()) record.foreign_reason = "it was not written by dbt-rotate";
    step.Warn(record.foreign_reason);
    return record;
  }
  // The lease runs from when the version was written: Secrets Manager's CreatedDate, else the
  // time the writer recorded.
  record.info.since = value->created_date ? value->created_date : embedded;
  record.info.stale = !record.info.since || context.Now() - *record.info.since >= lease;
  step.Ok(DescribePending(record.info));
  return record;
}

Flow<Acting> MakeActing(RunContext& context, const SecretState& state) {
  Acting acting;
  acting.self = !state.manager_token.has_value();
  acting.api = context.Dbt(state.connection, acting.self ? state.current.service_token.Clone()
                                                         : state.manager_token->Clone());
  if (!acting.api) {
    return StopWith(Outcome::kInvalidInput,
                    fmt::format("cannot reach dbt Cloud at '{}' (account {}): the access URL "
                                "is not usable; nothing was changed",
                                dbtcloud::RedactedUrl(state.connection.access_url),
                                state.connection.account_id));
  }
  return acting;
}

Stop DbtStop(const dbtcloud::Error& error, const Acting& acting, std::string_view doing) {
  const std::string who = acting.self ? "the token in the secret" : "the manager token";
  switch (error.code) {
    case dbtcloud::ErrorCode::kUnauthenticated:
      return Stop{Outcome::kNeedsAttention,
                  fmt::format("{}: dbt Cloud rejected {} ({}). If the account has a cell-based "
                              "access URL (e.g. ab123.us1.dbt.com), pass it with --access-url; "
                              "otherwise the token was revoked: store a working token with "
                              "`dbt-rotate init --force`",
                              doing, who, Describe(error))};
    case dbtcloud::ErrorCode::kForbiddenOrNotFound:
      return Stop{Outcome::kInvalidInput,
                  fmt::format("{}: {} may not manage service tokens ({}). Self-rotation needs "
                              "an account_admin token; to rotate other tokens keep an admin "
                              "token in another secret and pass --manager-secret",
                              doing, who, Describe(error))};
    case dbtcloud::ErrorCode::kInvalidConfig:
      return Stop{Outcome::kInvalidInput, fmt::format("{}: {}", doing, Describe(error))};
    default:
      return Stop{Outcome::kFailedSafely, fmt::format("{}: {}", doing, Describe(error))};
  }
}

}  // namespace dbtrotate::rotation::internal
