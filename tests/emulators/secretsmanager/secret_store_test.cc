// State-model tests for the emulated Secrets Manager: every rule of reference §2, no HTTP.

#include "emulators/secretsmanager/secret_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <regex>
#include <string>

#include "core/clock.h"
#include "core/random.h"

namespace dbtrotate::emulators::secretsmanager {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// 2026-01-02T03:04:05.678Z
const SystemTime kStoreStart = SystemTime(milliseconds(1767323045678));

StoreOptions With(void (*change)(StoreOptions&)) {
  StoreOptions options;
  change(options);
  return options;
}

std::string Token(int n) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "00000000-0000-4000-8000-%012d", n);
  return buf;
}

template <class T>
void ExpectError(const ApiResult<T>& result, ApiErrorCode code, const std::string& substring = "") {
  ASSERT_FALSE(result.has_value()) << "expected " << ErrorCodeName(code);
  EXPECT_EQ(result.error().code, code)
      << ErrorCodeName(result.error().code) << ": " << result.error().message;
  EXPECT_THAT(result.error().message, HasSubstr(substring));
}

class SecretStoreTest : public ::testing::Test {
 protected:
  explicit SecretStoreTest(StoreOptions options = {})
      : clock_(kStoreStart), random_(7), store_(std::move(options), clock_, random_) {}

  CreateSecretOutput Create(const std::string& name, const std::string& value, int token) {
    CreateSecretInput input;
    input.name = name;
    input.client_request_token = Token(token);
    input.secret_string = SecretString::CopyOf(value);
    auto result = store_.CreateSecret(input);
    EXPECT_TRUE(result.has_value()) << result.error().message;
    return std::move(result).value();
  }

  ApiResult<PutSecretValueOutput> Put(const std::string& id, const std::string& value, int token,
                                      std::optional<std::vector<std::string>> stages = {}) {
    PutSecretValueInput input;
    input.secret_id = id;
    input.client_request_token = Token(token);
    input.secret_string = SecretString::CopyOf(value);
    input.version_stages = std::move(stages);
    return store_.PutSecretValue(input);
  }

  ApiResult<GetSecretValueOutput> Get(const std::string& id,
                                      std::optional<std::string> version_id = {},
                                      std::optional<std::string> stage = {}) {
    return store_.GetSecretValue(GetSecretValueInput{id, std::move(version_id), std::move(stage)});
  }

  // The SecretString read by GetSecretValue, or a description of why there is none.
  std::string Read(const std::string& id, std::optional<std::string> version_id = {},
                   std::optional<std::string> stage = {}) {
    auto got = Get(id, std::move(version_id), std::move(stage));
    if (!got.has_value()) return "<error " + std::string(ErrorCodeName(got.error().code)) + ">";
    if (!got->secret_string) return "<no SecretString>";
    return std::string(got->secret_string->expose());
  }

  ApiResult<SecretRef> Stage(const std::string& id, const std::string& stage,
                             std::optional<std::string> move_to,
                             std::optional<std::string> remove_from) {
    return store_.UpdateSecretVersionStage(
        UpdateSecretVersionStageInput{id, stage, std::move(move_to), std::move(remove_from)});
  }

  std::vector<std::string> StagesOf(const std::string& id, const std::string& version_id) {
    auto state = store_.Inspect(id);
    EXPECT_TRUE(state.has_value());
    const VersionState* version = state->FindVersion(version_id);
    EXPECT_NE(version, nullptr) << version_id;
    return version ? version->stages : std::vector<std::string>{"<missing>"};
  }

  std::string ValueOf(const std::string& id, const std::string& version_id) {
    auto state = store_.Inspect(id);
    const VersionState* version = state ? state->FindVersion(version_id) : nullptr;
    if (version == nullptr || !version->value) return "<none>";
    return std::string(version->value->expose());
  }

  FakeClock clock_;
  SeededRandom random_;
  SecretStore store_;
};

// --- CreateSecret -----------------------------------------------------------------------------

TEST_F(SecretStoreTest, CreateGivesFirstVersionAwscurrentAndAnArnWithSuffix) {
  const CreateSecretOutput out = Create("app/db", "v1", 1);
  EXPECT_TRUE(std::regex_match(
      out.arn,
      std::regex(R"(arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-[A-Za-z0-9]{6})")))
      << out.arn;
  EXPECT_EQ(out.name, "app/db");
  EXPECT_EQ(out.version_id, Token(1));
  EXPECT_THAT(StagesOf("app/db", Token(1)), ElementsAre("AWSCURRENT"));
  EXPECT_EQ(ValueOf("app/db", Token(1)), "v1");
}

TEST_F(SecretStoreTest, CreateRetryWithSameTokenAndValueIsIgnored) {
  const CreateSecretOutput first = Create("s", "v1", 1);
  CreateSecretInput again;
  again.name = "s";
  again.client_request_token = Token(1);
  again.secret_string = SecretString::CopyOf("v1");
  auto second = store_.CreateSecret(again);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_EQ(second->arn, first.arn);
  EXPECT_EQ(second->version_id, Token(1));
  EXPECT_EQ(store_.Inspect("s")->versions.size(), 1u);
}

TEST_F(SecretStoreTest, CreateExistingNameWithOtherTokenOrValueIsResourceExists) {
  Create("s", "v1", 1);
  CreateSecretInput other_token;
  other_token.name = "s";
  other_token.client_request_token = Token(2);
  other_token.secret_string = SecretString::CopyOf("v1");
  ExpectError(store_.CreateSecret(other_token), ApiErrorCode::kResourceExists,
              "The operation failed because the secret s already exists.");
  CreateSecretInput other_value;
  other_value.name = "s";
  other_value.client_request_token = Token(1);
  other_value.secret_string = SecretString::CopyOf("different");
  ExpectError(store_.CreateSecret(other_value), ApiErrorCode::kResourceExists);
  EXPECT_EQ(ValueOf("s", Token(1)), "v1");
}

TEST_F(SecretStoreTest, CreateWithoutTokenIsInvalidRequest) {
  CreateSecretInput input;
  input.name = "s";
  input.secret_string = SecretString::CopyOf("v");
  ExpectError(store_.CreateSecret(input), ApiErrorCode::kInvalidRequest,
              "You must provide a ClientRequestToken value");
  EXPECT_THAT(store_.SecretNames(), IsEmpty());
}

TEST_F(SecretStoreTest, CreateWithBothValuesIsInvalidParameter) {
  CreateSecretInput input;
  input.name = "s";
  input.client_request_token = Token(1);
  input.secret_string = SecretString::CopyOf("v");
  input.secret_binary = SecretString::CopyOf("b");
  ExpectError(store_.CreateSecret(input), ApiErrorCode::kInvalidParameter, "both");
}

TEST_F(SecretStoreTest, CreateRejectsBadNames) {
  CreateSecretInput input;
  input.client_request_token = Token(1);
  input.name = "has space";
  ExpectError(store_.CreateSecret(input), ApiErrorCode::kValidation, "Invalid name");
  input.name = std::string(513, 'a');
  ExpectError(store_.CreateSecret(input), ApiErrorCode::kValidation,
              "Member must have length less than or equal to 512");
  input.name = "";
  ExpectError(store_.CreateSecret(input), ApiErrorCode::kValidation, "'name'");
  input.name = std::string(512, 'a');
  EXPECT_TRUE(store_.CreateSecret(input).has_value());
}

TEST_F(SecretStoreTest, CreateWithoutValueHasNoVersionUntilTheFirstPut) {
  CreateSecretInput input;
  input.name = "empty";
  input.client_request_token = Token(1);
  auto out = store_.CreateSecret(input);
  ASSERT_TRUE(out.has_value());
  EXPECT_FALSE(out->version_id.has_value());
  // A retry of the same call is ignored too.
  EXPECT_TRUE(store_.CreateSecret(input).has_value());
  ExpectError(Get("empty"), ApiErrorCode::kResourceNotFound,
              "can't find the specified secret value for staging label: AWSCURRENT");
  auto described = store_.DescribeSecret("empty");
  ASSERT_TRUE(described.has_value());
  EXPECT_THAT(described->version_ids_to_stages, IsEmpty());
  // The first version always gets AWSCURRENT, even when only AWSPENDING is asked for.
  auto put = Put("empty", "v1", 2, std::vector<std::string>{"AWSPENDING"});
  ASSERT_TRUE(put.has_value()) << put.error().message;
  EXPECT_THAT(put->version_stages, UnorderedElementsAre("AWSPENDING", "AWSCURRENT"));
}

TEST_F(SecretStoreTest, CreateBinarySecretReadsBackAsBinary) {
  CreateSecretInput input;
  input.name = "bin";
  input.client_request_token = Token(1);
  input.secret_binary = SecretString::CopyOf(std::string("\x00\x01\xff", 3));
  ASSERT_TRUE(store_.CreateSecret(input).has_value());
  auto got = Get("bin");
  ASSERT_TRUE(got.has_value());
  EXPECT_FALSE(got->secret_string.has_value());
  ASSERT_TRUE(got->secret_binary.has_value());
  EXPECT_EQ(got->secret_binary->expose(), std::string("\x00\x01\xff", 3));
}

TEST_F(SecretStoreTest, ValueSizeLimitIs65536Bytes) {
  CreateSecretInput input;
  input.name = "big";
  input.client_request_token = Token(1);
  input.secret_string = SecretString::CopyOf(std::string(65537, 'x'));
  ExpectError(store_.CreateSecret(input), ApiErrorCode::kValidation,
              "'secretString' failed to satisfy constraint: Member must have length less than or "
              "equal to 65536");
  input.secret_string = SecretString::CopyOf("");
  ExpectError(store_.CreateSecret(input), ApiErrorCode::kValidation, "greater than or equal to 1");
  input.secret_string = SecretString::CopyOf(std::string(65536, 'x'));
  ASSERT_TRUE(store_.CreateSecret(input).has_value());
  ExpectError(Put("big", std::string(65537, 'y'), 2), ApiErrorCode::kValidation, "65536");
}

TEST_F(SecretStoreTest, ClientRequestTokenMustBe32To64Chars) {
  Create("s", "v", 1);
  PutSecretValueInput input;
  input.secret_id = "s";
  input.secret_string = SecretString::CopyOf("x");
  input.client_request_token = std::string(31, 'a');
  ExpectError(store_.PutSecretValue(input), ApiErrorCode::kValidation,
              "'clientRequestToken' failed to satisfy constraint: Member must have length greater "
              "than or equal to 32");
  input.client_request_token = std::string(65, 'a');
  ExpectError(store_.PutSecretValue(input), ApiErrorCode::kValidation, "less than or equal to 64");
  input.client_request_token = std::string(32, 'a');
  EXPECT_TRUE(store_.PutSecretValue(input).has_value());
  input.client_request_token = std::string(64, 'b');
  EXPECT_TRUE(store_.PutSecretValue(input).has_value());
}

TEST_F(SecretStoreTest, ValidationCollectsEveryViolation) {
  PutSecretValueInput input;
  input.secret_id = "";
  input.client_request_token = "short";
  input.secret_string = SecretString::CopyOf("x");
  auto result = store_.PutSecretValue(input);
  ExpectError(result, ApiErrorCode::kValidation, "2 validation errors detected: ");
  EXPECT_THAT(result.error().message, HasSubstr("'secretId'"));
  EXPECT_THAT(result.error().message, HasSubstr("'clientRequestToken'"));
}

TEST_F(SecretStoreTest, CreateOverASecretScheduledForDeletionIsInvalidRequest) {
  Create("s", "v", 1);
  ASSERT_TRUE(store_.DeleteSecret(DeleteSecretInput{"s", 7, {}}).has_value());
  CreateSecretInput input;
  input.name = "s";
  input.client_request_token = Token(2);
  input.secret_string = SecretString::CopyOf("v");
  ExpectError(store_.CreateSecret(input), ApiErrorCode::kInvalidRequest,
              "already scheduled for deletion");
}

// --- SecretId lookups -------------------------------------------------------------------------

TEST_F(SecretStoreTest, LooksUpByNameFullArnAndPartialArn) {
  const CreateSecretOutput out = Create("team/db-creds", "v1", 1);
  EXPECT_TRUE(Get("team/db-creds").has_value());
  EXPECT_TRUE(Get(out.arn).has_value());
  // Partial ARN: the ARN without SM's "-XXXXXX" suffix.
  const std::string partial = out.arn.substr(0, out.arn.size() - 7);
  EXPECT_EQ(partial, "arn:aws:secretsmanager:us-east-1:123456789012:secret:team/db-creds");
  auto by_partial = Get(partial);
  ASSERT_TRUE(by_partial.has_value());
  EXPECT_EQ(by_partial->arn, out.arn);
}

TEST_F(SecretStoreTest, ArnsThatDoNotMatchAreNotFound) {
  const CreateSecretOutput out = Create("s", "v1", 1);
  ExpectError(Get(out.arn.substr(0, out.arn.size() - 1) + "Z"), ApiErrorCode::kResourceNotFound,
              "Secrets Manager can't find the specified secret.");
  ExpectError(Get("arn:aws:secretsmanager:eu-west-1:123456789012:secret:s"),
              ApiErrorCode::kResourceNotFound);
  ExpectError(Get("arn:aws:secretsmanager:us-east-1:999999999999:secret:s"),
              ApiErrorCode::kResourceNotFound);
  ExpectError(Get("nope"), ApiErrorCode::kResourceNotFound,
              "Secrets Manager can't find the specified secret.");
  ExpectError(Get("bad name!"), ApiErrorCode::kValidation, "Invalid name");
}

// --- PutSecretValue ---------------------------------------------------------------------------

TEST_F(SecretStoreTest, PutWithoutStagesMovesCurrentAndPrevious) {
  Create("s", "v1", 1);
  auto put2 = Put("s", "v2", 2);
  ASSERT_TRUE(put2.has_value());
  EXPECT_THAT(put2->version_stages, ElementsAre("AWSCURRENT"));
  EXPECT_THAT(StagesOf("s", Token(1)), ElementsAre("AWSPREVIOUS"));
  ASSERT_TRUE(Put("s", "v3", 3).has_value());
  EXPECT_THAT(StagesOf("s", Token(3)), ElementsAre("AWSCURRENT"));
  EXPECT_THAT(StagesOf("s", Token(2)), ElementsAre("AWSPREVIOUS"));
  EXPECT_THAT(StagesOf("s", Token(1)), IsEmpty());  // deprecated, still stored
  EXPECT_EQ(Read("s"), "v3");
  EXPECT_EQ(Read("s", {}, "AWSPREVIOUS"), "v2");
}

TEST_F(SecretStoreTest, PutPendingLeavesCurrentAlone) {
  Create("s", "v1", 1);
  auto put = Put("s", "v2", 2, std::vector<std::string>{"AWSPENDING"});
  ASSERT_TRUE(put.has_value());
  EXPECT_THAT(put->version_stages, ElementsAre("AWSPENDING"));
  EXPECT_THAT(StagesOf("s", Token(1)), ElementsAre("AWSCURRENT"));
  EXPECT_EQ(Read("s"), "v1");
  // A listed label moves off the version that had it.
  ASSERT_TRUE(Put("s", "v3", 3, std::vector<std::string>{"AWSPENDING"}).has_value());
  EXPECT_THAT(StagesOf("s", Token(2)), IsEmpty());
  EXPECT_THAT(StagesOf("s", Token(3)), ElementsAre("AWSPENDING"));
}

TEST_F(SecretStoreTest, PutListingAwscurrentStillSetsPrevious) {
  Create("s", "v1", 1);
  ASSERT_TRUE(Put("s", "v2", 2, std::vector<std::string>{"AWSCURRENT", "custom"}).has_value());
  EXPECT_THAT(StagesOf("s", Token(2)), ElementsAre("AWSCURRENT", "custom"));
  EXPECT_THAT(StagesOf("s", Token(1)), ElementsAre("AWSPREVIOUS"));
}

TEST_F(SecretStoreTest, PutListingCurrentAndPreviousPutsBothOnTheNewVersion) {
  Create("s", "v1", 1);
  ASSERT_TRUE(Put("s", "v2", 2, std::vector<std::string>{"AWSCURRENT", "AWSPREVIOUS"}).has_value());
  EXPECT_THAT(StagesOf("s", Token(2)), ElementsAre("AWSCURRENT", "AWSPREVIOUS"));
  EXPECT_THAT(StagesOf("s", Token(1)), IsEmpty());
}

TEST_F(SecretStoreTest, PutSameTokenSameValueIsANoOp) {
  Create("s", "v1", 1);
  ASSERT_TRUE(Put("s", "v2", 2, std::vector<std::string>{"AWSPENDING"}).has_value());
  const SystemTime changed = *store_.Inspect("s")->last_changed_date;
  clock_.Advance(hours(1));
  // Even with other stages: the request is ignored.
  auto again = Put("s", "v2", 2, std::vector<std::string>{"AWSCURRENT"});
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->version_id, Token(2));
  EXPECT_THAT(again->version_stages, ElementsAre("AWSPENDING"));
  EXPECT_THAT(StagesOf("s", Token(1)), ElementsAre("AWSCURRENT"));
  EXPECT_EQ(*store_.Inspect("s")->last_changed_date, changed);
  EXPECT_EQ(store_.Inspect("s")->versions.size(), 2u);
}

TEST_F(SecretStoreTest, PutSameTokenDifferentValueIsResourceExists) {
  const CreateSecretOutput out = Create("s", "v1", 1);
  ASSERT_TRUE(Put("s", "v2", 2).has_value());
  auto clash = Put("s", "other", 2);
  ExpectError(clash, ApiErrorCode::kResourceExists,
              "You can't use ClientRequestToken " + Token(2) +
                  " because that value is already in use for a version of secret " + out.arn);
  EXPECT_EQ(ValueOf("s", Token(2)), "v2");
  // Same bytes as binary instead of string is different data too.
  PutSecretValueInput binary;
  binary.secret_id = "s";
  binary.client_request_token = Token(2);
  binary.secret_binary = SecretString::CopyOf("v2");
  ExpectError(store_.PutSecretValue(binary), ApiErrorCode::kResourceExists);
}

TEST_F(SecretStoreTest, PutFillsARotationStub) {
  Create("s", "v1", 1);
  ASSERT_TRUE(store_.SeedPendingStub("s", Token(9)).has_value());
  // The stub has no value: reading it is ResourceNotFound, by id and by id+stage.
  ExpectError(Get("s", Token(9)), ApiErrorCode::kResourceNotFound,
              "can't find the specified secret value for VersionId: " + Token(9));
  ExpectError(Get("s", Token(9), "AWSPENDING"), ApiErrorCode::kResourceNotFound);
  ExpectError(Get("s", {}, "AWSPENDING"), ApiErrorCode::kResourceNotFound,
              "staging label: AWSPENDING");
  auto put = Put("s", "v2", 9, std::vector<std::string>{"AWSPENDING"});
  ASSERT_TRUE(put.has_value()) << put.error().message;
  EXPECT_EQ(put->version_id, Token(9));
  EXPECT_THAT(put->version_stages, ElementsAre("AWSPENDING"));
  EXPECT_EQ(Read("s", Token(9), "AWSPENDING"), "v2");
  EXPECT_EQ(store_.Inspect("s")->versions.size(), 2u);
  // Once filled, the token behaves like any other.
  EXPECT_TRUE(Put("s", "v2", 9, std::vector<std::string>{"AWSPENDING"}).has_value());
  ExpectError(Put("s", "v3", 9, std::vector<std::string>{"AWSPENDING"}),
              ApiErrorCode::kResourceExists);
}

TEST_F(SecretStoreTest, PutRequiresTokenAndExactlyOneValue) {
  Create("s", "v1", 1);
  PutSecretValueInput input;
  input.secret_id = "s";
  input.secret_string = SecretString::CopyOf("v");
  ExpectError(store_.PutSecretValue(input), ApiErrorCode::kInvalidRequest,
              "You must provide a ClientRequestToken value. We recommend a UUID-type value.");
  input.client_request_token = Token(2);
  input.secret_binary = SecretString::CopyOf("b");
  ExpectError(store_.PutSecretValue(input), ApiErrorCode::kInvalidParameter);
  input.secret_string.reset();
  input.secret_binary.reset();
  ExpectError(store_.PutSecretValue(input), ApiErrorCode::kInvalidRequest,
              "You must provide either SecretString or SecretBinary.");
  EXPECT_EQ(store_.Inspect("s")->versions.size(), 1u);
}

TEST_F(SecretStoreTest, VersionStagesListLimits) {
  Create("s", "v1", 1);
  ExpectError(Put("s", "v", 2, std::vector<std::string>{}), ApiErrorCode::kValidation,
              "'versionStages' failed to satisfy constraint: Member must have length greater than "
              "or equal to 1");
  std::vector<std::string> many;
  for (int i = 0; i < 21; ++i) many.push_back("L" + std::to_string(i));
  ExpectError(Put("s", "v", 2, many), ApiErrorCode::kValidation, "less than or equal to 20");
  ExpectError(Put("s", "v", 2, std::vector<std::string>{std::string(257, 'x')}),
              ApiErrorCode::kValidation, "'versionStages.1.member'");
  ExpectError(Put("s", "v", 2, std::vector<std::string>{""}), ApiErrorCode::kValidation);
}

TEST_F(SecretStoreTest, AtMostTwentyStagingLabelsPerSecret) {
  Create("s", "v1", 1);  // AWSCURRENT
  for (int i = 0; i < 19; ++i) {
    ASSERT_TRUE(Put("s", "v" + std::to_string(i), 100 + i,
                    std::vector<std::string>{"L" + std::to_string(i)})
                    .has_value());
  }
  ExpectError(Put("s", "x", 200, std::vector<std::string>{"L19"}), ApiErrorCode::kLimitExceeded);
  EXPECT_EQ(store_.Inspect("s")->FindVersion(Token(200)), nullptr);
  // Reusing an existing label is fine.
  EXPECT_TRUE(Put("s", "x", 200, std::vector<std::string>{"L0"}).has_value());
  ExpectError(Stage("s", "L19", Token(1), {}), ApiErrorCode::kLimitExceeded);
}

TEST_F(SecretStoreTest, PutUpdatesLastChangedDate) {
  Create("s", "v1", 1);
  clock_.Advance(hours(2));
  ASSERT_TRUE(Put("s", "v2", 2).has_value());
  EXPECT_EQ(*store_.DescribeSecret("s")->last_changed_date, kStoreStart + hours(2));
  EXPECT_EQ(Get("s")->created_date, kStoreStart + hours(2));
  EXPECT_EQ(Get("s", {}, "AWSPREVIOUS")->created_date, kStoreStart);
}

TEST_F(SecretStoreTest, PutOnUnknownSecretIsResourceNotFound) {
  ExpectError(Put("missing", "v", 1), ApiErrorCode::kResourceNotFound,
              "Secrets Manager can't find the specified secret.");
}

class PruningTest : public SecretStoreTest {
 protected:
  PruningTest() : SecretStoreTest(With([](StoreOptions& o) { o.max_versions = 3; })) {}
};

TEST_F(PruningTest, OldUnlabelledVersionsArePrunedBeyondTheLimit) {
  Create("s", "v1", 1);
  ASSERT_TRUE(Put("s", "v2", 2).has_value());
  ASSERT_TRUE(Put("s", "v3", 3).has_value());  // v1 deprecated
  ASSERT_TRUE(Put("s", "v4", 4).has_value());  // v2 deprecated; 4 versions, none old enough
  EXPECT_EQ(store_.Inspect("s")->versions.size(), 4u);
  clock_.Advance(hours(25));
  ASSERT_TRUE(Put("s", "v5", 5).has_value());  // v1, v2 and v3 deprecated and older than 24 h
  auto state = store_.Inspect("s");
  ASSERT_EQ(state->versions.size(), 3u);
  EXPECT_EQ(state->FindVersion(Token(1)), nullptr);
  EXPECT_EQ(state->FindVersion(Token(2)), nullptr);
  EXPECT_NE(state->FindVersion(Token(4)), nullptr);
  EXPECT_NE(state->FindVersion(Token(5)), nullptr);
}

// --- GetSecretValue ---------------------------------------------------------------------------

TEST_F(SecretStoreTest, GetByStageVersionOrBoth) {
  const CreateSecretOutput out = Create("s", "v1", 1);
  ASSERT_TRUE(Put("s", "v2", 2, std::vector<std::string>{"AWSPENDING"}).has_value());
  auto current = Get("s");
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(current->arn, out.arn);
  EXPECT_EQ(current->name, "s");
  EXPECT_EQ(current->version_id, Token(1));
  EXPECT_THAT(current->version_stages, ElementsAre("AWSCURRENT"));
  EXPECT_EQ(current->created_date, kStoreStart);
  EXPECT_EQ(Read("s", {}, "AWSPENDING"), "v2");
  EXPECT_EQ(Read("s", Token(2)), "v2");
  EXPECT_EQ(Read("s", Token(2), "AWSPENDING"), "v2");
}

TEST_F(SecretStoreTest, GetWithVersionAndStageThatDisagreeIsInvalidRequest) {
  Create("s", "v1", 1);
  ASSERT_TRUE(Put("s", "v2", 2, std::vector<std::string>{"AWSPENDING"}).has_value());
  ExpectError(Get("s", Token(1), "AWSPENDING"), ApiErrorCode::kInvalidRequest,
              "You provided a VersionStage that is not associated to the provided VersionId.");
}

TEST_F(SecretStoreTest, GetUnknownVersionOrStageIsResourceNotFound) {
  Create("s", "v1", 1);
  ExpectError(Get("s", Token(5)), ApiErrorCode::kResourceNotFound, "VersionId: " + Token(5));
  ExpectError(Get("s", {}, "AWSPREVIOUS"), ApiErrorCode::kResourceNotFound,
              "Secrets Manager can't find the specified secret value for staging label: "
              "AWSPREVIOUS");
  ExpectError(Get("s", "short"), ApiErrorCode::kValidation, "'versionId'");
}

TEST_F(SecretStoreTest, GetRecordsLastAccessedDateAtDayResolution) {
  Create("s", "v1", 1);
  EXPECT_FALSE(store_.DescribeSecret("s")->last_accessed_date.has_value());
  ASSERT_TRUE(Get("s").has_value());
  // kStoreStart is 2026-01-02T03:04:05.678Z; the day is 2026-01-02T00:00:00Z = 1767312000.
  EXPECT_EQ(*store_.DescribeSecret("s")->last_accessed_date,
            SystemTime(std::chrono::seconds(1767312000)));
  auto listed = store_.ListSecretVersionIds(ListSecretVersionIdsInput{"s", {}, {}, false});
  ASSERT_TRUE(listed.has_value());
  EXPECT_EQ(listed->versions[0].last_accessed_date, SystemTime(std::chrono::seconds(1767312000)));
}

// --- DescribeSecret ---------------------------------------------------------------------------

TEST_F(SecretStoreTest, DescribeListsOnlyLabelledVersionsAndOmitsUnsetFields) {
  Create("s", "v1", 1);
  clock_.Advance(hours(1));
  ASSERT_TRUE(Put("s", "v2", 2).has_value());
  ASSERT_TRUE(Put("s", "v3", 3).has_value());  // v1 deprecated
  auto described = store_.DescribeSecret("s");
  ASSERT_TRUE(described.has_value());
  EXPECT_EQ(described->name, "s");
  EXPECT_EQ(described->created_date, kStoreStart);
  EXPECT_EQ(described->last_changed_date, kStoreStart + hours(1));
  EXPECT_FALSE(described->rotation_enabled.has_value());
  EXPECT_FALSE(described->deleted_date.has_value());
  EXPECT_FALSE(described->description.has_value());
  using Entry = std::pair<std::string, std::vector<std::string>>;
  EXPECT_THAT(described->version_ids_to_stages,
              ElementsAre(Entry{Token(2), {"AWSPREVIOUS"}}, Entry{Token(3), {"AWSCURRENT"}}));
  ASSERT_TRUE(store_.SetRotation("s", true, "arn:aws:lambda:us-east-1:123456789012:function:f", 30)
                  .has_value());
  described = store_.DescribeSecret("s");
  EXPECT_EQ(described->rotation_enabled, true);
  EXPECT_EQ(described->rotation_lambda_arn, "arn:aws:lambda:us-east-1:123456789012:function:f");
  EXPECT_EQ(described->rotation_automatically_after_days, 30);
  ASSERT_TRUE(store_.SetRotation("s", false).has_value());
  EXPECT_EQ(store_.DescribeSecret("s")->rotation_enabled, false);
}

// --- UpdateSecretVersionStage -----------------------------------------------------------------

class StagingTest : public SecretStoreTest {
 protected:
  void SetUp() override {
    Create("s", "v1", 1);
    ASSERT_TRUE(Put("s", "v2", 2).has_value());  // v2 CURRENT, v1 PREVIOUS
    ASSERT_TRUE(Put("s", "v3", 3, std::vector<std::string>{"AWSPENDING"}).has_value());
  }
};

TEST_F(StagingTest, MovingAwscurrentPutsAwspreviousOnTheVersionItLeft) {
  ASSERT_TRUE(Stage("s", "AWSCURRENT", Token(3), Token(2)).has_value());
  EXPECT_THAT(StagesOf("s", Token(3)), ElementsAre("AWSPENDING", "AWSCURRENT"));
  EXPECT_THAT(StagesOf("s", Token(2)), ElementsAre("AWSPREVIOUS"));
  EXPECT_THAT(StagesOf("s", Token(1)), IsEmpty());
  EXPECT_EQ(Read("s"), "v3");
}

TEST_F(StagingTest, MovingAwscurrentWithoutRemoveFromIsRejectedWithAwsMessage) {
  ExpectError(Stage("s", "AWSCURRENT", Token(3), {}), ApiErrorCode::kInvalidParameter,
              "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is "
              "currently attached to version " +
                  Token(2) +
                  ", so you must explicitly reference that version in RemoveFromVersionId.");
  EXPECT_THAT(StagesOf("s", Token(2)), ElementsAre("AWSCURRENT"));
}

TEST_F(StagingTest, RemoveFromMustNameTheCurrentHolder) {
  ExpectError(Stage("s", "AWSCURRENT", Token(3), Token(1)), ApiErrorCode::kInvalidParameter,
              "must be set to the version that currently has the staging label AWSCURRENT");
  EXPECT_THAT(StagesOf("s", Token(2)), ElementsAre("AWSCURRENT"));
  EXPECT_THAT(StagesOf("s", Token(1)), ElementsAre("AWSPREVIOUS"));
}

TEST_F(StagingTest, UnattachedLabelMovesWithoutRemoveFrom) {
  ASSERT_TRUE(Stage("s", "blue", Token(1), {}).has_value());
  EXPECT_THAT(StagesOf("s", Token(1)), ElementsAre("AWSPREVIOUS", "blue"));
  // ...but a RemoveFromVersionId that does not hold it is refused.
  ExpectError(Stage("s", "green", Token(1), Token(2)), ApiErrorCode::kInvalidParameter,
              "not attached to version " + Token(2));
}

TEST_F(StagingTest, MovingALabelAlreadyOnTheTargetIsANoOp) {
  ASSERT_TRUE(Stage("s", "AWSCURRENT", Token(2), {}).has_value());
  ASSERT_TRUE(Stage("s", "AWSCURRENT", Token(2), Token(2)).has_value());
  EXPECT_THAT(StagesOf("s", Token(2)), ElementsAre("AWSCURRENT"));
  EXPECT_THAT(StagesOf("s", Token(1)), ElementsAre("AWSPREVIOUS"));
}

TEST_F(StagingTest, RemoveOnlyDeprecatesAVersionWithNoOtherLabels) {
  ASSERT_TRUE(Stage("s", "AWSPENDING", {}, Token(3)).has_value());
  EXPECT_THAT(StagesOf("s", Token(3)), IsEmpty());
  auto described = store_.DescribeSecret("s");
  for (const auto& [id, stages] : described->version_ids_to_stages) EXPECT_NE(id, Token(3));
  auto visible = store_.ListSecretVersionIds(ListSecretVersionIdsInput{"s", {}, {}, false});
  auto all = store_.ListSecretVersionIds(ListSecretVersionIdsInput{"s", {}, {}, true});
  EXPECT_EQ(visible->versions.size(), 2u);
  EXPECT_EQ(all->versions.size(), 3u);
}

TEST_F(StagingTest, RemoveOnlyFromAVersionWithoutTheLabelFails) {
  ExpectError(Stage("s", "AWSPENDING", {}, Token(2)), ApiErrorCode::kInvalidParameter,
              "Staging label AWSPENDING is not attached to version " + Token(2));
  EXPECT_THAT(StagesOf("s", Token(3)), ElementsAre("AWSPENDING"));
}

TEST_F(StagingTest, AwscurrentCannotBeRemovedWithoutMoving) {
  ExpectError(Stage("s", "AWSCURRENT", {}, Token(2)), ApiErrorCode::kInvalidParameter,
              "AWSCURRENT");
  EXPECT_THAT(StagesOf("s", Token(2)), ElementsAre("AWSCURRENT"));
}

TEST_F(StagingTest, UnknownVersionsAndMissingTargetsAreRejected) {
  ExpectError(Stage("s", "AWSCURRENT", Token(77), Token(2)), ApiErrorCode::kInvalidParameter,
              "Not a valid version: " + Token(77));
  ExpectError(Stage("s", "AWSPENDING", {}, Token(77)), ApiErrorCode::kInvalidParameter,
              "Not a valid version: " + Token(77));
  ExpectError(Stage("s", "AWSPENDING", {}, {}), ApiErrorCode::kInvalidParameter);
  ExpectError(Stage("s", "", Token(1), {}), ApiErrorCode::kValidation, "'versionStage'");
  ExpectError(Stage("nope", "AWSPENDING", {}, Token(3)), ApiErrorCode::kResourceNotFound);
}

TEST_F(StagingTest, RollbackMovesCurrentBackToPrevious) {
  ASSERT_TRUE(Stage("s", "AWSCURRENT", Token(1), Token(2)).has_value());
  EXPECT_THAT(StagesOf("s", Token(1)), ElementsAre("AWSCURRENT"));
  EXPECT_THAT(StagesOf("s", Token(2)), ElementsAre("AWSPREVIOUS"));
  EXPECT_EQ(Read("s"), "v1");
}

TEST_F(StagingTest, StageChangesUpdateLastChangedDate) {
  clock_.Advance(hours(3));
  ASSERT_TRUE(Stage("s", "AWSCURRENT", Token(3), Token(2)).has_value());
  EXPECT_EQ(*store_.DescribeSecret("s")->last_changed_date, kStoreStart + hours(3));
}

class ClearPendingTest : public SecretStoreTest {
 protected:
  ClearPendingTest()
      : SecretStoreTest(With([](StoreOptions& o) { o.clear_pending_on_current_move = true; })) {}
};

TEST_F(ClearPendingTest, MovingAwscurrentCanAlsoClearAwspending) {
  Create("s", "v1", 1);
  ASSERT_TRUE(store_.SeedPendingStub("s", Token(2)).has_value());
  ASSERT_TRUE(Put("s", "v2", 2, std::vector<std::string>{"AWSPENDING"}).has_value());
  ASSERT_TRUE(Stage("s", "AWSCURRENT", Token(2), Token(1)).has_value());
  EXPECT_THAT(StagesOf("s", Token(2)), ElementsAre("AWSCURRENT"));
  EXPECT_THAT(StagesOf("s", Token(1)), ElementsAre("AWSPREVIOUS"));
}

// --- ListSecretVersionIds ---------------------------------------------------------------------

TEST_F(SecretStoreTest, ListPaginatesNewestFirstWithOpaqueTokens) {
  Create("s", "v1", 1);
  for (int i = 2; i <= 5; ++i) {
    clock_.Advance(hours(1));
    ASSERT_TRUE(
        Put("s", "v" + std::to_string(i), i, std::vector<std::string>{"L" + std::to_string(i)})
            .has_value());
  }
  std::vector<std::string> seen;
  std::optional<std::string> token;
  int pages = 0;
  do {
    auto page = store_.ListSecretVersionIds(ListSecretVersionIdsInput{"s", 2, token, false});
    ASSERT_TRUE(page.has_value()) << page.error().message;
    EXPECT_LE(page->versions.size(), 2u);
    for (const auto& v : page->versions) seen.push_back(v.version_id);
    token = page->next_token;
    ASSERT_LT(++pages, 10);
  } while (token);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(seen, ElementsAre(Token(5), Token(4), Token(3), Token(2), Token(1)));
}

TEST_F(SecretStoreTest, ListRejectsBadTokensAndPageSizes) {
  Create("s", "v1", 1);
  Create("t", "v1", 2);
  ASSERT_TRUE(Put("s", "v2", 3, std::vector<std::string>{"x"}).has_value());
  auto page = store_.ListSecretVersionIds(ListSecretVersionIdsInput{"s", 1, {}, false});
  ASSERT_TRUE(page.has_value() && page->next_token.has_value());
  ExpectError(
      store_.ListSecretVersionIds(ListSecretVersionIdsInput{"t", 1, page->next_token, false}),
      ApiErrorCode::kInvalidNextToken);
  ExpectError(
      store_.ListSecretVersionIds(ListSecretVersionIdsInput{"s", 1, page->next_token, true}),
      ApiErrorCode::kInvalidNextToken);
  ExpectError(
      store_.ListSecretVersionIds(ListSecretVersionIdsInput{"s", 1, "zz-not-a-token", false}),
      ApiErrorCode::kInvalidNextToken);
  ExpectError(store_.ListSecretVersionIds(ListSecretVersionIdsInput{"s", 0, {}, false}),
              ApiErrorCode::kValidation, "greater than or equal to 1");
  ExpectError(store_.ListSecretVersionIds(ListSecretVersionIdsInput{"s", 101, {}, false}),
              ApiErrorCode::kValidation, "less than or equal to 100");
}

TEST_F(SecretStoreTest, ListOmitsDeprecatedUnlessAsked) {
  Create("s", "v1", 1);
  ASSERT_TRUE(Put("s", "v2", 2).has_value());
  ASSERT_TRUE(Put("s", "v3", 3).has_value());
  auto visible = store_.ListSecretVersionIds(ListSecretVersionIdsInput{"s", {}, {}, false});
  ASSERT_TRUE(visible.has_value());
  ASSERT_EQ(visible->versions.size(), 2u);
  EXPECT_FALSE(visible->next_token.has_value());
  auto all = store_.ListSecretVersionIds(ListSecretVersionIdsInput{"s", {}, {}, true});
  ASSERT_EQ(all->versions.size(), 3u);
  EXPECT_EQ(all->versions[2].version_id, Token(1));
  EXPECT_THAT(all->versions[2].version_stages, IsEmpty());
}

class TrailingPageTest : public SecretStoreTest {
 protected:
  TrailingPageTest()
      : SecretStoreTest(With([](StoreOptions& o) {
          o.default_page_size = 2;
          o.trailing_empty_page = true;
        })) {}
};

TEST_F(TrailingPageTest, LastPageCanBeEmptyWithATokenBeforeIt) {
  Create("s", "v1", 1);
  ASSERT_TRUE(Put("s", "v2", 2).has_value());
  auto first = store_.ListSecretVersionIds(ListSecretVersionIdsInput{"s", {}, {}, false});
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->versions.size(), 2u);
  ASSERT_TRUE(first->next_token.has_value());
  auto second =
      store_.ListSecretVersionIds(ListSecretVersionIdsInput{"s", {}, first->next_token, false});
  ASSERT_TRUE(second.has_value());
  EXPECT_THAT(second->versions, IsEmpty());
  EXPECT_FALSE(second->next_token.has_value());
}

// --- Deletion ---------------------------------------------------------------------------------

TEST_F(SecretStoreTest, SecretMarkedForDeletionRefusesReadsAndWrites) {
  Create("s", "v1", 1);
  auto deleted = store_.DeleteSecret(DeleteSecretInput{"s", 7, {}});
  ASSERT_TRUE(deleted.has_value()) << deleted.error().message;
  EXPECT_EQ(deleted->deletion_date, kStoreStart + hours(24 * 7));
  const std::string message =
      "You can't perform this operation on the secret because it was marked for deletion.";
  ExpectError(Get("s"), ApiErrorCode::kInvalidRequest, message);
  ExpectError(Put("s", "v2", 2), ApiErrorCode::kInvalidRequest, message);
  ExpectError(Stage("s", "x", Token(1), {}), ApiErrorCode::kInvalidRequest, message);
  // Metadata stays readable.
  auto described = store_.DescribeSecret("s");
  ASSERT_TRUE(described.has_value());
  EXPECT_EQ(described->deleted_date, kStoreStart);
  EXPECT_TRUE(
      store_.ListSecretVersionIds(ListSecretVersionIdsInput{"s", {}, {}, false}).has_value());
  ExpectError(store_.DeleteSecret(DeleteSecretInput{"s", {}, {}}), ApiErrorCode::kInvalidRequest,
              "marked deleted");
  ASSERT_TRUE(store_.RestoreSecret("s").has_value());
  EXPECT_EQ(Read("s"), "v1");
  EXPECT_FALSE(store_.DescribeSecret("s")->deleted_date.has_value());
}

TEST_F(SecretStoreTest, DeletedSecretDisappearsAfterTheRecoveryWindow) {
  Create("s", "v1", 1);
  ASSERT_TRUE(store_.DeleteSecret(DeleteSecretInput{"s", {}, {}}).has_value());  // 30 days
  clock_.Advance(hours(24 * 30) - milliseconds(1));
  EXPECT_TRUE(store_.DescribeSecret("s").has_value());
  clock_.Advance(milliseconds(1));
  ExpectError(store_.DescribeSecret("s"), ApiErrorCode::kResourceNotFound);
  EXPECT_THAT(store_.SecretNames(), IsEmpty());
  Create("s", "again", 2);
}

TEST_F(SecretStoreTest, ForceDeleteRemovesAtOnceAndParametersAreChecked) {
  Create("s", "v1", 1);
  ExpectError(store_.DeleteSecret(DeleteSecretInput{"s", 7, true}), ApiErrorCode::kInvalidParameter,
              "ForceDeleteWithoutRecovery");
  ExpectError(store_.DeleteSecret(DeleteSecretInput{"s", 6, {}}), ApiErrorCode::kInvalidParameter,
              "between 7 and 30");
  ExpectError(store_.DeleteSecret(DeleteSecretInput{"s", 31, {}}), ApiErrorCode::kInvalidParameter);
  ASSERT_TRUE(store_.DeleteSecret(DeleteSecretInput{"s", {}, true}).has_value());
  EXPECT_FALSE(store_.Inspect("s").has_value());
}

// --- Seeding and inspection -------------------------------------------------------------------

TEST_F(SecretStoreTest, SeedingAndInspection) {
  auto seeded = store_.SeedSecret("seeded", R"({"token":"t1"})");
  ASSERT_TRUE(seeded.has_value());
  ASSERT_TRUE(seeded->version_id.has_value());
  auto state = store_.Inspect(seeded->arn);
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->name, "seeded");
  ASSERT_EQ(state->versions.size(), 1u);
  const VersionState* current = state->VersionWithStage("AWSCURRENT");
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(current->value->expose(), R"({"token":"t1"})");
  EXPECT_FALSE(current->binary);
  ASSERT_TRUE(store_.SeedPendingStub("seeded", Token(4)).has_value());
  ExpectError(store_.SeedPendingStub("seeded", Token(4)), ApiErrorCode::kResourceExists);
  state = store_.Inspect("seeded");
  EXPECT_FALSE(state->VersionWithStage("AWSPENDING")->value.has_value());
  EXPECT_THAT(store_.SecretNames(), ElementsAre("seeded"));
}

}  // namespace
}  // namespace dbtrotate::emulators::secretsmanager
