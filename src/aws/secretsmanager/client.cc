#include "aws/secretsmanager/client.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "aws/secretsmanager/error_mapping.h"
#include "aws/secretsmanager/wire_format.h"
#include "aws/sigv4/signer.h"
#include "aws/sigv4/uri.h"
#include "core/secret_string.h"
#include "core/version.h"

namespace dbtrotate::aws {

namespace {

using nlohmann::json;

// Wipes a response document however the decoder leaves: it may still hold secret bytes.
class JsonWipeGuard {
 public:
  explicit JsonWipeGuard(json& document) : document_(document) {}
  ~JsonWipeGuard() { WipeJson(document_); }
  JsonWipeGuard(const JsonWipeGuard&) = delete;
  JsonWipeGuard& operator=(const JsonWipeGuard&) = delete;

 private:
  json& document_;
};

void Redact(std::string& text, const SecretString* sensitive) {
  if (sensitive == nullptr || sensitive->empty()) return;
  const std::string_view secret = sensitive->expose();
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
    text.replace(pos, secret.size(), "<redacted>");
    pos += 10;
  }
}

std::string Hint(ErrorCode code, const std::string& credentials_source, std::string_view op) {
  switch (code) {
    case ErrorCode::kAuthFailure:
      return fmt::format(
          "; check the AWS credentials{} and that the system clock is within 15 minutes of AWS",
          credentials_source.empty() ? "" : " (from " + credentials_source + ")");
    case ErrorCode::kAccessDenied:
      return fmt::format(
          "; the caller needs secretsmanager:{} on this secret (and kms:Decrypt "
          "or kms:GenerateDataKey for a customer managed key)",
          op);
    case ErrorCode::kThrottling:
      return "; Secrets Manager is throttling this account, try again later";
    default:
      return "";
  }
}

}  // namespace

SecretsManagerClient::SecretsManagerClient(http::Client& http, CredentialsProvider& credentials,
                                           std::string endpoint, std::string region, Clock& clock,
                                           Random& random, RetryConfig retry)
    : http_(http),
      credentials_(credentials),
      endpoint_(std::move(endpoint)),
      region_(std::move(region)),
      clock_(clock),
      random_(random),
      retry_(retry) {
  retry_.max_attempts = std::max(retry_.max_attempts, 1);
  auto parts = sigv4::SplitUrl(endpoint_);
  if (!parts) {
    config_error_ = "the Secrets Manager endpoint '" + endpoint_ + "' is invalid: " + parts.error();
  } else if (!parts->query.empty() || endpoint_.find('#') != std::string::npos) {
    config_error_ =
        "the Secrets Manager endpoint '" + endpoint_ + "' must not have a query or fragment";
  } else if (region_.empty()) {
    config_error_ = "no AWS region is set for Secrets Manager (needed to sign requests)";
  }
  // Like botocore: the request path is the endpoint's path, "/" when it has none.
  url_ = endpoint_;
  const auto scheme_end = url_.find("://");
  if (config_error_.empty() && url_.find('/', scheme_end + 3) == std::string::npos) {
    url_.push_back('/');
  }
}

Error SecretsManagerClient::MakeError(const Call& call, ErrorCode code, std::string detail) const {
  Error error;
  error.code = code;
  error.message = fmt::format("Secrets Manager {} on secret '{}' failed: {}", call.operation,
                              call.secret_id, detail);
  Redact(error.message, call.sensitive);
  return error;
}

AwsResult<json> SecretsManagerClient::Invoke(const Call& call, json body) {
  if (!config_error_.empty()) {
    WipeJson(body);
    return Fail(MakeError(call, ErrorCode::kInvalidConfig, config_error_));
  }
  auto serialized = DumpAndWipe(body);
  if (!serialized) return Fail(MakeError(call, ErrorCode::kInvalidParameter, serialized.error()));

  http::Request base(http::Method::kPost, url_);
  base.AddHeader("Content-Type", "application/x-amz-json-1.1");
  base.AddHeader("X-Amz-Target", fmt::format("secretsmanager.{}", call.operation));
  base.AddHeader("User-Agent", kUserAgent);
  base.body = std::move(*serialized);
  WipeString(*serialized);
  // Every call made here may be repeated: reads are safe, PutSecretValue and CreateSecret carry
  // a ClientRequestToken (same token + same data = no-op), and UpdateSecretVersionStage repeated
  // reaches the same end state (a repeat may be rejected as the label already moved, which is
  // why failed writes are flagged `ambiguous` and the caller re-reads).
  base.idempotent = true;

  Error last;
  bool maybe_applied = false;  // some attempt may have changed state on the server
  bool refreshed_for_expiry = false;
  std::string credentials_source;
  int attempts = 0;
  for (int attempt = 1; attempt <= retry_.max_attempts;) {
    ++attempts;
    auto credentials = credentials_.Resolve();
    if (!credentials) {
      last = MakeError(call, ErrorCode::kNoCredentials,
                       "no AWS credentials: " + credentials.error().message);
      break;
    }
    credentials_source = (*credentials)->source;
    http::Request request = base;
    auto signed_ok = sigv4::SignRequest(request, **credentials,
                                        {region_, kSecretsManagerSigningName, clock_.Now()});
    if (!signed_ok) {
      last = MakeError(call, ErrorCode::kInvalidConfig, signed_ok.error());
      break;
    }

    auto result = http_.Send(request);
    bool retryable = false;
    if (!result) {
      const http::Error& transport = result.error();
      maybe_applied = maybe_applied || transport.maybe_sent;
      last = MakeError(call, ErrorCode::kTransport,
                       fmt::format("{}: {} (endpoint {})", http::ErrorKindName(transport.kind),
                                   transport.message, url_));
      retryable = true;
    } else if (result->IsSuccess()) {
      auto document = ParseBody(result->body);
      if (!document) {
        Error error = MakeError(
            call, ErrorCode::kMalformedResponse,
            fmt::format("HTTP {} but {} (endpoint {})", result->status, document.error(), url_));
        error.http_status = result->status;
        error.request_id = result->HeaderValue("x-amzn-RequestId").value_or("");
        error.ambiguous = call.is_write;  // a 2xx means the write was applied
        return Fail(std::move(error));
      }
      return std::move(document).value();
    } else {
      const AwsErrorBody aws = ParseErrorResponse(*result);
      const ErrorCode code = ClassifyErrorCode(aws.code, result->status);
      maybe_applied = maybe_applied || result->status >= 500;
      last = MakeError(call, code,
                       fmt::format("{} (HTTP {}){}{}", aws.code, result->status,
                                   aws.message.empty() ? "" : ": ", aws.message));
      last.aws_code = aws.code;
      last.http_status = result->status;
      last.request_id = result->HeaderValue("x-amzn-RequestId").value_or("");
      if (IsExpiredTokenCode(aws.code) && !refreshed_for_expiry) {
        // Drop the cached credentials; one immediate extra attempt, outside the retry budget,
        // signs with freshly fetched ones.
        credentials_.Invalidate();
        refreshed_for_expiry = true;
        continue;
      }
      retryable = IsRetryableResponse(result->status, aws.code);
    }
    if (!retryable || attempt == retry_.max_attempts) break;
    clock_.SleepFor(BackoffDelay(attempt, retry_, random_));
    ++attempt;
  }

  if (!last.request_id.empty()) last.message += " [request id " + last.request_id + "]";
  if (attempts > 1) last.message += fmt::format(" (gave up after {} attempts)", attempts);
  last.message += Hint(last.code, credentials_source, call.operation);
  last.ambiguous = call.is_write && maybe_applied;
  if (last.ambiguous) {
    last.message += "; the change may have been applied, read the secret before acting on this";
  }
  Redact(last.message, call.sensitive);
  return Fail(std::move(last));
}

AwsResult<SecretValue> SecretsManagerClient::GetSecretValue(const GetSecretValueRequest& request) {
  const Call call{"GetSecretValue", request.secret_id};
  if (request.secret_id.empty()) {
    return Fail(MakeError(call, ErrorCode::kInvalidParameter, "the secret id is empty"));
  }
  auto document = Invoke(call, EncodeGetSecretValue(request));
  if (!document) return Fail(std::move(document).error());
  JsonWipeGuard guard(*document);
  auto value = DecodeSecretValue(*document);
  if (!value) return Fail(MakeError(call, ErrorCode::kMalformedResponse, value.error()));
  return std::move(value).value();
}

AwsResult<PutSecretValueResult> SecretsManagerClient::PutSecretValue(
    const PutSecretValueRequest& request) {
  const Call call{"PutSecretValue", request.secret_id, true, &request.secret_string};
  if (request.secret_id.empty()) {
    return Fail(MakeError(call, ErrorCode::kInvalidParameter, "the secret id is empty"));
  }
  json body = EncodePutSecretValue(request);
  if (request.client_request_token.empty()) body["ClientRequestToken"] = random_.UuidV4();
  auto document = Invoke(call, std::move(body));
  if (!document) return Fail(std::move(document).error());
  JsonWipeGuard guard(*document);
  auto result = DecodePutSecretValue(*document);
  if (!result) {
    Error error = MakeError(call, ErrorCode::kMalformedResponse, result.error());
    error.ambiguous = true;  // the call succeeded; only its answer is unreadable
    return Fail(std::move(error));
  }
  return std::move(result).value();
}

AwsResult<SecretDescription> SecretsManagerClient::DescribeSecret(const std::string& secret_id) {
  const Call call{"DescribeSecret", secret_id};
  if (secret_id.empty()) {
    return Fail(MakeError(call, ErrorCode::kInvalidParameter, "the secret id is empty"));
  }
  auto document = Invoke(call, EncodeDescribeSecret(secret_id));
  if (!document) return Fail(std::move(document).error());
  JsonWipeGuard guard(*document);
  auto description = DecodeDescribeSecret(*document);
  if (!description) {
    return Fail(MakeError(call, ErrorCode::kMalformedResponse, description.error()));
  }
  return std::move(description).value();
}

AwsResult<void> SecretsManagerClient::UpdateSecretVersionStage(
    const UpdateSecretVersionStageRequest& request) {
  const Call call{"UpdateSecretVersionStage", request.secret_id, true};
  if (request.secret_id.empty() || request.version_stage.empty()) {
    return Fail(MakeError(call, ErrorCode::kInvalidParameter,
                          "the secret id and the version stage are required"));
  }
  if (!request.move_to_version_id && !request.remove_from_version_id) {
    return Fail(MakeError(call, ErrorCode::kInvalidParameter,
                          "neither MoveToVersionId nor RemoveFromVersionId is set"));
  }
  auto document = Invoke(call, EncodeUpdateSecretVersionStage(request));
  if (!document) return Fail(std::move(document).error());
  WipeJson(*document);
  return {};
}

AwsResult<CreateSecretResult> SecretsManagerClient::CreateSecret(
    const CreateSecretRequest& request) {
  const Call call{"CreateSecret", request.name, true, &request.secret_string};
  if (request.name.empty()) {
    return Fail(MakeError(call, ErrorCode::kInvalidParameter, "the secret name is empty"));
  }
  json body = EncodeCreateSecret(request);
  if (request.client_request_token.empty()) body["ClientRequestToken"] = random_.UuidV4();
  auto document = Invoke(call, std::move(body));
  if (!document) return Fail(std::move(document).error());
  JsonWipeGuard guard(*document);
  auto result = DecodeCreateSecret(*document);
  if (!result) {
    Error error = MakeError(call, ErrorCode::kMalformedResponse, result.error());
    error.ambiguous = true;
    return Fail(std::move(error));
  }
  return std::move(result).value();
}

AwsResult<std::vector<SecretVersion>> SecretsManagerClient::ListSecretVersionIds(
    const std::string& secret_id, bool include_deprecated) {
  const Call call{"ListSecretVersionIds", secret_id};
  if (secret_id.empty()) {
    return Fail(MakeError(call, ErrorCode::kInvalidParameter, "the secret id is empty"));
  }
  std::vector<SecretVersion> versions;
  std::optional<std::string> next_token;
  for (int page = 1; page <= kMaxPages; ++page) {
    auto document = Invoke(
        call, EncodeListSecretVersionIds(secret_id, include_deprecated, kPageSize, next_token));
    if (!document) return Fail(std::move(document).error());
    JsonWipeGuard guard(*document);
    auto decoded = DecodeVersionsPage(*document);
    if (!decoded) return Fail(MakeError(call, ErrorCode::kMalformedResponse, decoded.error()));
    std::move(decoded->versions.begin(), decoded->versions.end(), std::back_inserter(versions));
    if (!decoded->next_token) return versions;
    if (next_token == decoded->next_token) {
      return Fail(MakeError(call, ErrorCode::kMalformedResponse,
                            "the service returned the same NextToken twice"));
    }
    next_token = std::move(decoded->next_token);
  }
  return Fail(MakeError(call, ErrorCode::kMalformedResponse,
                        fmt::format("more than {} pages of versions; giving up", kMaxPages)));
}

}  // namespace dbtrotate::aws
