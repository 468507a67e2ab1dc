#include "emulators/secretsmanager/secret_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <set>
#include <utility>

#include "emulators/secretsmanager/secret_records.h"
#include "emulators/secretsmanager/validation.h"

namespace dbtrotate::emulators::secretsmanager {

namespace {

using std::chrono::duration_cast;
using std::chrono::hours;
using std::chrono::seconds;

constexpr std::size_t kMaxValueBytes = 65536;
constexpr std::size_t kMaxLabelsPerSecret = 20;
constexpr char kNotFoundMessage[] = "Secrets Manager can't find the specified secret.";
constexpr char kMarkedForDeletionMessage[] =
    "You can't perform this operation on the secret because it was marked for deletion.";
constexpr char kMissingTokenMessage[] =
    "You must provide a ClientRequestToken value. We recommend a UUID-type value.";
constexpr char kBothValuesMessage[] =
    "You can't specify both a binary secret value and a string secret value in the same secret.";

void ValidateValue(Validator& validator, const std::optional<SecretString>& secret_string,
                   const std::optional<SecretString>& secret_binary) {
  if (secret_string) validator.Length("secretString", secret_string->expose(), 1, kMaxValueBytes);
  if (secret_binary) validator.Length("secretBinary", secret_binary->expose(), 1, kMaxValueBytes);
}

void ValidateStages(Validator& validator, const std::optional<std::vector<std::string>>& stages) {
  if (!stages) return;
  validator.ListSize("versionStages", stages->size(), 1, kMaxLabelsPerSecret);
  for (std::size_t i = 0; i < stages->size(); ++i) {
    validator.Length(fmt::format("versionStages.{}.member", i + 1), (*stages)[i], 1, 256);
  }
}

std::vector<std::string> Dedupe(const std::vector<std::string>& labels) {
  std::vector<std::string> out;
  for (const std::string& label : labels) {
    if (std::find(out.begin(), out.end(), label) == out.end()) out.push_back(label);
  }
  return out;
}

// LastAccessedDate has day resolution: midnight UTC of the access.
SystemTime TruncateToDay(SystemTime time) {
  const auto secs = duration_cast<seconds>(time.time_since_epoch()).count();
  const auto day = secs - (((secs % 86400) + 86400) % 86400);
  return SystemTime(seconds(day));
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
    if (ec != std::errc() || ptr != hex.data() + i + 2) return std::nullopt;
    out.push_back(static_cast<char>(value));
  }
  return out;
}

// NextToken is opaque to clients; it binds the page offset to the secret and the filter.
std::string EncodeNextToken(std::string_view arn, std::size_t offset, bool include_deprecated) {
  return HexEncode(fmt::format("v1|{}|{}|{}", arn, offset, include_deprecated ? 1 : 0));
}

std::optional<std::size_t> DecodeNextToken(std::string_view token, std::string_view arn,
                                           bool include_deprecated) {
  const std::optional<std::string> text = HexDecode(token);
  if (!text) return std::nullopt;
  const std::string prefix = fmt::format("v1|{}|", arn);
  if (text->rfind(prefix, 0) != 0) return std::nullopt;
  const std::string_view rest = std::string_view(*text).substr(prefix.size());
  const std::size_t bar = rest.find('|');
  if (bar == std::string_view::npos) return std::nullopt;
  if (rest.substr(bar + 1) != (include_deprecated ? "1" : "0")) return std::nullopt;
  std::size_t offset = 0;
  const auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + bar, offset);
  if (ec != std::errc() || ptr != rest.data() + bar) return std::nullopt;
  return offset;
}

}  // namespace

SecretStore::SecretStore(StoreOptions options, Clock& clock, Random& random)
    : options_(std::move(options)), clock_(clock), random_(random) {}

SecretStore::~SecretStore() = default;

void SecretStore::PurgeExpired() {
  const SystemTime now = clock_.Now();
  secrets_.erase(std::remove_if(secrets_.begin(), secrets_.end(),
                                [&](const std::unique_ptr<Secret>& secret) {
                                  return secret->purge_at && *secret->purge_at <= now;
                                }),
                 secrets_.end());
}

std::string SecretStore::NewArn(std::string_view name) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char bytes[6];
  random_.Fill(bytes, sizeof(bytes));
  std::string suffix;
  for (unsigned char b : bytes) suffix.push_back(kAlphabet[b % (sizeof(kAlphabet) - 1)]);
  return fmt::format("arn:aws:secretsmanager:{}:{}:secret:{}-{}", options_.region,
                     options_.account_id, name, suffix);
}

// SecretId is a name, a full ARN, or a partial ARN (the ARN without the "-XXXXXX" suffix that
// SM appends; AWS docs "Finding a secret from a partial ARN"). An ARN of another region,
// account or service names no secret here.
ApiResult<SecretStore::Secret*> SecretStore::Lookup(std::string_view secret_id) {
  PurgeExpired();
  if (secret_id.rfind("arn:", 0) == 0) {
    for (const auto& secret : secrets_) {
      if (secret->arn == secret_id) return secret.get();
    }
    const std::string prefix =
        fmt::format("arn:aws:secretsmanager:{}:{}:secret:", options_.region, options_.account_id);
    if (secret_id.rfind(prefix, 0) == 0) {
      const std::string_view name = secret_id.substr(prefix.size());
      for (const auto& secret : secrets_) {
        if (secret->name == name) return secret.get();
      }
    }
    return Fail(ApiError{ApiErrorCode::kResourceNotFound, kNotFoundMessage});
  }
  for (const auto& secret : secrets_) {
    if (secret->name == secret_id) return secret.get();
  }
  return Fail(ApiError{ApiErrorCode::kResourceNotFound, kNotFoundMessage});
}

ApiResult<SecretStore::Secret*> SecretStore::LookupLive(std::string_view secret_id) {
  ApiResult<Secret*> secret = Lookup(secret_id);
  if (!secret) return secret;
  if ((*secret)->deleted) {
    return Fail(ApiError{ApiErrorCode::kInvalidRequest, kMarkedForDeletionMessage});
  }
  return secret;
}

SecretStore::Version* SecretStore::FindVersion(Secret& secret, std::string_view version_id) {
  for (Version& version : secret.versions) {
    if (version.id == version_id) return &version;
  }
  return nullptr;
}

SecretStore::Version* SecretStore::VersionWithStage(Secret& secret, std::string_view stage) {
  for (Version& version : secret.versions) {
    if (version.HasStage(stage)) return &version;
  }
  return nullptr;
}

// Reference §2 limits: 20 staging labels across all versions of a secret.
std::optional<ApiError> SecretStore::CheckLabelQuota(
    const Secret& secret, const std::vector<std::string>& new_labels) const {
  std::set<std::string> labels(new_labels.begin(), new_labels.end());
  for (const Version& version : secret.versions)
    labels.insert(version.stages.begin(), version.stages.end());
  if (labels.size() <= kMaxLabelsPerSecret) return std::nullopt;
  return ApiError{ApiErrorCode::kLimitExceeded,
                  fmt::format("A secret can have at most {} staging labels attached to its "
                              "versions; this request would attach {}.",
                              kMaxLabelsPerSecret, labels.size())};
}

// PutSecretValue staging: each listed label moves to `target`; when AWSCURRENT moves, the
// version it left gets AWSPREVIOUS (unless AWSPREVIOUS was listed too). The first version with a
// value always gets AWSCURRENT.
void SecretStore::AttachStages(Secret& secret, Version& target,
                               const std::vector<std::string>& labels) {
  std::vector<std::string> effective = labels;
  bool has_current = false;
  for (const Version& version : secret.versions) {
    if (&version != &target && version.HasStage(kAwsCurrent) && version.value) has_current = true;
  }
  if (!has_current &&
      std::find(effective.begin(), effective.end(), kAwsCurrent) == effective.end()) {
    effective.emplace_back(kAwsCurrent);
  }
  Version* left_current = nullptr;
  for (const std::string& label : effective) {
    for (Version& version : secret.versions) {
      if (&version == &target || !version.HasStage(label)) continue;
      version.RemoveStage(label);
      if (label == kAwsCurrent) left_current = &version;
    }
    target.AddStage(label);
  }
  const bool previous_listed =
      std::find(effective.begin(), effective.end(), kAwsPrevious) != effective.end();
  if (left_current != nullptr && !previous_listed) {
    for (Version& version : secret.versions) version.RemoveStage(kAwsPrevious);
    left_current->AddStage(kAwsPrevious);
  }
}

// SM keeps the 100 most recent versions plus every version from the last 24 h; only
// unlabelled ("deprecated") versions are ever removed.
void SecretStore::PruneVersions(Secret& secret) {
  const SystemTime cutoff = clock_.Now() - hours(24);
  while (secret.versions.size() > options_.max_versions) {
    auto oldest = secret.versions.end();
    for (auto it = secret.versions.begin(); it != secret.versions.end(); ++it) {
      if (!it->stages.empty() || it->created > cutoff) continue;
      if (oldest == secret.versions.end() || it->sequence < oldest->sequence) oldest = it;
    }
    if (oldest == secret.versions.end()) return;
    secret.versions.erase(oldest);
  }
}

ApiResult<CreateSecretOutput> SecretStore::CreateSecret(const CreateSecretInput& input) {
  Validator validator;
  validator.Length("name", input.name, 1, 512);
  ValidateToken(validator, "clientRequestToken", input.client_request_token);
  if (input.description) validator.Length("description", *input.description, 0, 2048);
  if (input.kms_key_id) validator.Length("kmsKeyId", *input.kms_key_id, 0, 2048);
  ValidateValue(validator, input.secret_string, input.secret_binary);
  if (auto error = validator.Error()) return Fail(std::move(*error));
  if (!IsValidSecretName(input.name)) {
    return Fail(ApiError{ApiErrorCode::kValidation, kInvalidNameMessage});
  }
  if (!input.client_request_token) {
    return Fail(ApiError{ApiErrorCode::kInvalidRequest, kMissingTokenMessage});
  }
  if (input.secret_string && input.secret_binary) {
    return Fail(ApiError{ApiErrorCode::kInvalidParameter, kBothValuesMessage});
  }
  const bool has_value = input.secret_string || input.secret_binary;
  const std::string& token = *input.client_request_token;

  std::lock_guard lock(mutex_);
  PurgeExpired();
  for (const auto& existing : secrets_) {
    if (existing->name != input.name) continue;
    if (existing->deleted) {
      return Fail(ApiError{ApiErrorCode::kInvalidRequest,
                           "You can't create this secret because a secret with this name is "
                           "already scheduled for deletion."});
    }
    // A retry of the same call (same token, same value) is ignored; anything else is a clash.
    if (has_value) {
      if (Version* version = FindVersion(*existing, token); version && version->value) {
        const SecretString& wanted =
            input.secret_string ? *input.secret_string : *input.secret_binary;
        if (version->binary == input.secret_binary.has_value() && version->value->Equals(wanted)) {
          return CreateSecretOutput{existing->arn, existing->name, version->id};
        }
      }
    } else if (existing->valueless_create_token == token) {
      return CreateSecretOutput{existing->arn, existing->name, std::nullopt};
    }
    return Fail(ApiError{
        ApiErrorCode::kResourceExists,
        fmt::format("The operation failed because the secret {} already exists.", input.name)});
  }

  auto secret = std::make_unique<Secret>();
  const SystemTime now = clock_.Now();
  secret->name = input.name;
  secret->arn = NewArn(input.name);
  secret->description = input.description;
  secret->kms_key_id = input.kms_key_id;
  secret->tags = input.tags;
  secret->created = now;
  secret->last_changed = now;
  CreateSecretOutput output{secret->arn, secret->name, std::nullopt};
  if (has_value) {
    Version version;
    version.id = token;
    version.binary = input.secret_binary.has_value();
    version.value = (input.secret_string ? *input.secret_string : *input.secret_binary).Clone();
    version.created = now;
    version.stages.emplace_back(kAwsCurrent);
    version.sequence = next_sequence_++;
    secret->versions.push_back(std::move(version));
    output.version_id = token;
  } else {
    secret->valueless_create_token = token;
  }
  secrets_.push_back(std::move(secret));
  return output;
}

ApiResult<PutSecretValueOutput> SecretStore::PutSecretValue(const PutSecretValueInput& input) {
  Validator validator;
  ValidateSecretId(validator, input.secret_id);
  ValidateToken(validator, "clientRequestToken", input.client_request_token);
  ValidateValue(validator, input.secret_string, input.secret_binary);
  ValidateStages(validator, input.version_stages);
  if (input.rotation_token) {
    validator.Length("rotationToken", *input.rotation_token, 36, 256);
    const bool pattern_ok =
        std::all_of(input.rotation_token->begin(), input.rotation_token->end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-';
        });
    if (!pattern_ok) {
      validator.Constraint("rotationToken",
                           "Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-]+$");
    }
  }
  if (auto error = validator.Error()) return Fail(std::move(*error));
  if (auto error = CheckSecretIdShape(input.secret_id)) return Fail(std::move(*error));
  if (!input.client_request_token) {
    return Fail(ApiError{ApiErrorCode::kInvalidRequest, kMissingTokenMessage});
  }
  if (input.secret_string && input.secret_binary) {
    return Fail(ApiError{ApiErrorCode::kInvalidParameter, kBothValuesMessage});
  }
  if (!input.secret_string && !input.secret_binary) {
    return Fail(ApiError{ApiErrorCode::kInvalidRequest,
                         "You must provide either SecretString or SecretBinary."});
  }
  const std::string& token = *input.client_request_token;
  const SecretString& value = input.secret_string ? *input.secret_string : *input.secret_binary;
  const bool binary = input.secret_binary.has_value();
  const std::vector<std::string> labels =
      input.version_stages ? Dedupe(*input.version_stages) : std::vector<std::string>{kAwsCurrent};

  std::lock_guard lock(mutex_);
  ApiResult<Secret*> found = LookupLive(input.secret_id);
  if (!found) return Fail(std::move(found).error());
  Secret& secret = **found;

  Version* version = FindVersion(secret, token);
  if (version != nullptr && version->value) {
    // Idempotency: the same token with the same data is ignored, with other data refused.
    if (version->binary == binary && version->value->Equals(value)) {
      return PutSecretValueOutput{secret.arn, secret.name, version->id, version->stages};
    }
    return Fail(ApiError{ApiErrorCode::kResourceExists,
                         fmt::format("You can't use ClientRequestToken {} because that value is "
                                     "already in use for a version of secret {}.",
                                     token, secret.arn)});
  }
  // AWSCURRENT is either on the secret already or about to be (first version), so it counts.
  std::vector<std::string> counted = labels;
  counted.emplace_back(kAwsCurrent);
  if (auto error = CheckLabelQuota(secret, counted)) return Fail(std::move(*error));

  const SystemTime now = clock_.Now();
  if (version == nullptr) {
    Version fresh;
    fresh.id = token;
    fresh.created = now;
    fresh.sequence = next_sequence_++;
    secret.versions.push_back(std::move(fresh));
    version = &secret.versions.back();
  }
  // A stub (RotateSecret's AWSPENDING placeholder) keeps its labels and gains the listed ones.
  version->value = value.Clone();
  version->binary = binary;
  AttachStages(secret, *version, labels);
  secret.last_changed = now;
  PutSecretValueOutput output{secret.arn, secret.name, version->id, version->stages};
  PruneVersions(secret);
  return output;
}

ApiResult<GetSecretValueOutput> SecretStore::GetSecretValue(const GetSecretValueInput& input) {
  Validator validator;
  ValidateSecretId(validator, input.secret_id);
  ValidateToken(validator, "versionId", input.version_id);
  if (input.version_stage) validator.Length("versionStage", *input.version_stage, 1, 256);
  if (auto error = validator.Error()) return Fail(std::move(*error));
  if (auto error = CheckSecretIdShape(input.secret_id)) return Fail(std::move(*error));

  std::lock_guard lock(mutex_);
  ApiResult<Secret*> found = LookupLive(input.secret_id);
  if (!found) return Fail(std::move(found).error());
  Secret& secret = **found;

  Version* version = nullptr;
  std::string not_found;
  if (input.version_id) {
    not_found =
        fmt::format("Secrets Manager can't find the specified secret value for VersionId: {}",
                    *input.version_id);
    version = FindVersion(secret, *input.version_id);
    if (version == nullptr) return Fail(ApiError{ApiErrorCode::kResourceNotFound, not_found});
    if (input.version_stage && !version->HasStage(*input.version_stage)) {
      return Fail(ApiError{
          ApiErrorCode::kInvalidRequest,
          "You provided a VersionStage that is not associated to the provided VersionId."});
    }
  } else {
    const std::string stage = input.version_stage.value_or(kAwsCurrent);
    not_found = fmt::format(
        "Secrets Manager can't find the specified secret value for staging label: {}", stage);
    version = VersionWithStage(secret, stage);
    if (version == nullptr) return Fail(ApiError{ApiErrorCode::kResourceNotFound, not_found});
  }
  // A version without a value (RotateSecret's stub) reads as not found (boto/boto3#2794).
  if (!version->value) return Fail(ApiError{ApiErrorCode::kResourceNotFound, not_found});

  const SystemTime today = TruncateToDay(clock_.Now());
  secret.last_accessed = today;
  version->last_accessed = today;
  GetSecretValueOutput output;
  output.arn = secret.arn;
  output.name = secret.name;
  output.version_id = version->id;
  (version->binary ? output.secret_binary : output.secret_string) = version->value->Clone();
  output.version_stages = version->stages;
  output.created_date = version->created;
  return output;
}

ApiResult<DescribeSecretOutput> SecretStore::DescribeSecret(std::string_view secret_id) {
  Validator validator;
  ValidateSecretId(validator, secret_id);
  if (auto error = validator.Error()) return Fail(std::move(*error));
  if (auto error = CheckSecretIdShape(secret_id)) return Fail(std::move(*error));

  std::lock_guard lock(mutex_);
  // Describing a secret scheduled for deletion works: it is how a caller sees DeletedDate.
  ApiResult<Secret*> found = Lookup(secret_id);
  if (!found) return Fail(std::move(found).error());
  const Secret& secret = **found;
  DescribeSecretOutput output;
  output.arn = secret.arn;
  output.name = secret.name;
  output.description = secret.description;
  output.kms_key_id = secret.kms_key_id;
  output.rotation_enabled = secret.rotation_enabled;
  output.rotation_lambda_arn = secret.rotation_lambda_arn;
  output.rotation_automatically_after_days = secret.rotation_days;
  output.rotation_schedule_expression = secret.rotation_schedule;
  output.rotation_duration = secret.rotation_window;
  output.next_rotation_date = NextRotationDate(secret);
  output.last_rotated_date = secret.last_rotated;
  output.last_changed_date = secret.last_changed;
  output.last_accessed_date = secret.last_accessed;
  output.deleted_date = secret.deleted;
  output.created_date = secret.created;
  output.tags = secret.tags;
  for (const Version& version : secret.versions) {
    if (!version.stages.empty())
      output.version_ids_to_stages.emplace_back(version.id, version.stages);
  }
  return output;
}

ApiResult<SecretRef> SecretStore::UpdateSecretVersionStage(
    const UpdateSecretVersionStageInput& input) {
  Validator validator;
  ValidateSecretId(validator, input.secret_id);
  validator.Length("versionStage", input.version_stage, 1, 256);
  ValidateToken(validator, "moveToVersionId", input.move_to_version_id);
  ValidateToken(validator, "removeFromVersionId", input.remove_from_version_id);
  if (auto error = validator.Error()) return Fail(std::move(*error));
  if (auto error = CheckSecretIdShape(input.secret_id)) return Fail(std::move(*error));
  if (!input.move_to_version_id && !input.remove_from_version_id) {
    return Fail(ApiError{ApiErrorCode::kInvalidParameter,
                         "You must specify MoveToVersionId, RemoveFromVersionId, or both."});
  }
  const std::string& label = input.version_stage;

  std::lock_guard lock(mutex_);
  ApiResult<Secret*> found = LookupLive(input.secret_id);
  if (!found) return Fail(std::move(found).error());
  Secret& secret = **found;

  Version* move_to = nullptr;
  Version* remove_from = nullptr;
  if (input.move_to_version_id) {
    move_to = FindVersion(secret, *input.move_to_version_id);
    if (move_to == nullptr) {
      return Fail(ApiError{ApiErrorCode::kInvalidParameter,
                           fmt::format("Not a valid version: {}", *input.move_to_version_id)});
    }
  }
  if (input.remove_from_version_id) {
    remove_from = FindVersion(secret, *input.remove_from_version_id);
    if (remove_from == nullptr) {
      return Fail(ApiError{ApiErrorCode::kInvalidParameter,
                           fmt::format("Not a valid version: {}", *input.remove_from_version_id)});
    }
  }
  Version* holder = VersionWithStage(secret, label);

  if (move_to == nullptr) {
    // Remove only.
    if (holder != remove_from) {
      return Fail(ApiError{
          ApiErrorCode::kInvalidParameter,
          fmt::format("Staging label {} is not attached to version {}.", label, remove_from->id)});
    }
    if (label == kAwsCurrent) {
      // Keeps the invariant that a secret with a value has exactly one AWSCURRENT version.
      return Fail(ApiError{ApiErrorCode::kInvalidParameter,
                           "You can't remove the staging label AWSCURRENT from a version without "
                           "moving it to another version. Specify MoveToVersionId."});
    }
    remove_from->RemoveStage(label);
    secret.last_changed = clock_.Now();
    return SecretRef{secret.arn, secret.name};
  }

  if (holder != nullptr && holder != move_to) {
    // The label is on another version: RemoveFromVersionId must name exactly that version.
    if (remove_from == nullptr) {
      return Fail(ApiError{
          ApiErrorCode::kInvalidParameter,
          fmt::format("The parameter RemoveFromVersionId can't be empty. Staging label {} is "
                      "currently attached to version {}, so you must explicitly reference that "
                      "version in RemoveFromVersionId.",
                      label, holder->id)});
    }
    if (remove_from != holder) {
      return Fail(ApiError{
          ApiErrorCode::kInvalidParameter,
          fmt::format("When you move staging label {}, if you specify RemoveFromVersionId, it "
                      "must be set to the version that currently has the staging label {}, "
                      "which is {}.",
                      label, label, holder->id)});
    }
  } else if (remove_from != nullptr && remove_from != holder) {
    return Fail(ApiError{
        ApiErrorCode::kInvalidParameter,
        fmt::format("Staging label {} is not attached to version {}.", label, remove_from->id)});
  }
  if (holder == nullptr) {
    if (auto error = CheckLabelQuota(secret, {label})) return Fail(std::move(*error));
  }

  if (holder != nullptr && holder != move_to) holder->RemoveStage(label);
  move_to->AddStage(label);
  if (label == kAwsCurrent && holder != nullptr && holder != move_to) {
    // Moving AWSCURRENT puts AWSPREVIOUS on the version it left (and only there).
    for (Version& version : secret.versions) version.RemoveStage(kAwsPrevious);
    holder->AddStage(kAwsPrevious);
    if (options_.clear_pending_on_current_move) move_to->RemoveStage(kAwsPending);
  }
  secret.last_changed = clock_.Now();
  return SecretRef{secret.arn, secret.name};
}

ApiResult<ListSecretVersionIdsOutput> SecretStore::ListSecretVersionIds(
    const ListSecretVersionIdsInput& input) {
  Validator validator;
  ValidateSecretId(validator, input.secret_id);
  if (input.max_results) validator.Value("maxResults", *input.max_results, 1, 100);
  if (input.next_token) validator.Length("nextToken", *input.next_token, 1, 4096);
  if (auto error = validator.Error()) return Fail(std::move(*error));
  if (auto error = CheckSecretIdShape(input.secret_id)) return Fail(std::move(*error));

  std::lock_guard lock(mutex_);
  ApiResult<Secret*> found = Lookup(input.secret_id);
  if (!found) return Fail(std::move(found).error());
  const Secret& secret = **found;

  std::vector<const Version*> listed;
  for (const Version& version : secret.versions) {
    if (!version.stages.empty() || input.include_deprecated) listed.push_back(&version);
  }
  // Newest first.
  std::sort(listed.begin(), listed.end(), [](const Version* a, const Version* b) {
    if (a->created != b->created) return a->created > b->created;
    return a->sequence > b->sequence;
  });

  std::size_t offset = 0;
  if (input.next_token) {
    const std::optional<std::size_t> decoded =
        DecodeNextToken(*input.next_token, secret.arn, input.include_deprecated);
    if (!decoded || *decoded > listed.size()) {
      return Fail(ApiError{ApiErrorCode::kInvalidNextToken,
                           "The NextToken value is invalid for this secret and request."});
    }
    offset = *decoded;
  }
  const std::size_t page =
      input.max_results ? static_cast<std::size_t>(*input.max_results) : options_.default_page_size;
  const std::size_t end = std::min(listed.size(), offset + page);

  ListSecretVersionIdsOutput output;
  output.arn = secret.arn;
  output.name = secret.name;
  for (std::size_t i = offset; i < end; ++i) {
    const Version& version = *listed[i];
    output.versions.push_back(
        VersionListEntry{version.id, version.stages, version.created, version.last_accessed});
  }
  if (end < listed.size() || (options_.trailing_empty_page && end > offset)) {
    output.next_token = EncodeNextToken(secret.arn, end, input.include_deprecated);
  }
  return output;
}

ApiResult<DeleteSecretOutput> SecretStore::DeleteSecret(const DeleteSecretInput& input) {
  Validator validator;
  ValidateSecretId(validator, input.secret_id);
  if (auto error = validator.Error()) return Fail(std::move(*error));
  if (auto error = CheckSecretIdShape(input.secret_id)) return Fail(std::move(*error));
  const bool force = input.force_delete_without_recovery.value_or(false);
  if (force && input.recovery_window_in_days) {
    return Fail(ApiError{ApiErrorCode::kInvalidParameter,
                         "You can't use ForceDeleteWithoutRecovery in conjunction with "
                         "RecoveryWindowInDays."});
  }
  const std::int64_t days = input.recovery_window_in_days.value_or(30);
  if (days < 7 || days > 30) {
    return Fail(ApiError{ApiErrorCode::kInvalidParameter,
                         "RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."});
  }

  std::lock_guard lock(mutex_);
  ApiResult<Secret*> found = Lookup(input.secret_id);
  if (!found) return Fail(std::move(found).error());
  Secret* secret = *found;
  const SystemTime now = clock_.Now();
  if (force) {
    DeleteSecretOutput output{secret->arn, secret->name, now};
    secrets_.erase(std::remove_if(secrets_.begin(), secrets_.end(),
                                  [&](const auto& s) { return s.get() == secret; }),
                   secrets_.end());
    return output;
  }
  if (secret->deleted) {
    return Fail(ApiError{ApiErrorCode::kInvalidRequest,
                         "You tried to perform the operation on a secret that's currently marked "
                         "deleted."});
  }
  secret->deleted = now;
  secret->purge_at = now + hours(24 * days);
  secret->last_changed = now;
  return DeleteSecretOutput{secret->arn, secret->name, *secret->purge_at};
}

ApiResult<SecretRef> SecretStore::RestoreSecret(std::string_view secret_id) {
  Validator validator;
  ValidateSecretId(validator, secret_id);
  if (auto error = validator.Error()) return Fail(std::move(*error));
  if (auto error = CheckSecretIdShape(secret_id)) return Fail(std::move(*error));
  std::lock_guard lock(mutex_);
  ApiResult<Secret*> found = Lookup(secret_id);
  if (!found) return Fail(std::move(found).error());
  Secret& secret = **found;
  secret.deleted.reset();
  secret.purge_at.reset();
  secret.last_changed = clock_.Now();
  return SecretRef{secret.arn, secret.name};
}

ApiResult<CreateSecretOutput> SecretStore::SeedSecret(std::string_view name,
                                                      std::string_view secret_string) {
  CreateSecretInput input;
  input.name = std::string(name);
  input.client_request_token = random_.UuidV4();
  input.secret_string = SecretString::CopyOf(secret_string);
  return CreateSecret(input);
}

ApiResult<void> SecretStore::SeedPendingStub(std::string_view secret_id,
                                             std::string_view version_id) {
  Validator validator;
  validator.Length("clientRequestToken", version_id, 32, 64);
  if (auto error = validator.Error()) return Fail(std::move(*error));
  std::lock_guard lock(mutex_);
  ApiResult<Secret*> found = LookupLive(secret_id);
  if (!found) return Fail(std::move(found).error());
  Secret& secret = **found;
  if (FindVersion(secret, version_id) != nullptr) {
    return Fail(ApiError{ApiErrorCode::kResourceExists,
                         fmt::format("Version {} already exists.", version_id)});
  }
  for (Version& version : secret.versions) version.RemoveStage(kAwsPending);
  Version stub;
  stub.id = std::string(version_id);
  stub.created = clock_.Now();
  stub.stages.emplace_back(kAwsPending);
  stub.sequence = next_sequence_++;
  secret.versions.push_back(std::move(stub));
  return {};
}

ApiResult<void> SecretStore::SetRotation(std::string_view secret_id, bool enabled,
                                         std::optional<std::string> lambda_arn,
                                         std::optional<std::int64_t> automatically_after_days) {
  std::lock_guard lock(mutex_);
  ApiResult<Secret*> found = Lookup(secret_id);
  if (!found) return Fail(std::move(found).error());
  Secret& secret = **found;
  secret.rotation_enabled = enabled;
  if (lambda_arn) secret.rotation_lambda_arn = std::move(lambda_arn);
  if (automatically_after_days) secret.rotation_days = automatically_after_days;
  return {};
}

std::optional<SecretState> SecretStore::Inspect(std::string_view secret_id) {
  std::lock_guard lock(mutex_);
  ApiResult<Secret*> found = Lookup(secret_id);
  if (!found) return std::nullopt;
  const Secret& secret = **found;
  SecretState state;
  state.arn = secret.arn;
  state.name = secret.name;
  state.description = secret.description;
  state.rotation_enabled = secret.rotation_enabled;
  state.last_rotated_date = secret.last_rotated;
  state.deleted_date = secret.deleted;
  state.last_changed_date = secret.last_changed;
  for (const Version& version : secret.versions) {
    VersionState v;
    v.version_id = version.id;
    v.stages = version.stages;
    if (version.value) v.value = version.value->Clone();
    v.binary = version.binary;
    v.created_date = version.created;
    state.versions.push_back(std::move(v));
  }
  return state;
}

std::vector<std::string> SecretStore::SecretNames() {
  std::lock_guard lock(mutex_);
  PurgeExpired();
  std::vector<std::string> names;
  for (const auto& secret : secrets_) names.push_back(secret->name);
  return names;
}

}  // namespace dbtrotate::emulators::secretsmanager
