// SecretsManagerClient over real loopback HTTP (libcurl) against the Secrets Manager emulator,
// which verifies every SigV4 signature: proves the signer and the wire format are accepted.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "aws/secretsmanager/client.h"
#include "aws/secretsmanager/fakes.h"
#include "emulators/secretsmanager/emulator.h"
#include "http/curl_client.h"

namespace dbtrotate::aws::testing {
namespace {

namespace emu = emulators::secretsmanager;
using emulators::Fault;
using emulators::FaultRule;
using std::chrono::milliseconds;

SystemTime Start() {
  using namespace std::chrono;
  return sys_days{year{2026} / 8 / 30} + hours{12};
}

Credentials Creds(std::string akid, std::string secret, std::string token = "") {
  Credentials credentials;
  credentials.access_key_id = std::move(akid);
  credentials.secret_access_key = SecretString(std::move(secret));
  credentials.session_token = SecretString(std::move(token));
  return credentials;
}

class EmulatorIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override { StartEmulator({}); }

  void StartEmulator(emu::StoreOptions store) {
    emu::SecretsManagerEmulatorOptions options;
    options.store = std::move(store);
    options.clock = &clock_;
    options.random = &emulator_random_;
    options.require_amz_headers_signed = true;
    emulator_ = std::make_unique<emu::SecretsManagerEmulator>(std::move(options));
    emulator_->AddCredentials(Creds(kAccessKey, kSecretKey));
    auto started = emulator_->Start();
    ASSERT_TRUE(started.has_value()) << started.error();
    client_ = std::make_unique<SecretsManagerClient>(curl_, credentials_, emulator_->endpoint_url(),
                                                     "us-east-1", clock_, random_);
  }

  SecretsManagerClient& client() { return *client_; }

  FakeClock clock_{Start()};
  SeededRandom emulator_random_{1};
  SeededRandom random_{2};
  http::CurlClient curl_;
  FakeCredentialsProvider credentials_;
  std::unique_ptr<emu::SecretsManagerEmulator> emulator_;
  std::unique_ptr<SecretsManagerClient> client_;
};

TEST_F(EmulatorIntegrationTest, RotationStyleRoundTrip) {
  auto seeded = emulator_->store().SeedSecret("app/db", R"({"token":"old"})");
  ASSERT_TRUE(seeded.has_value());

  auto current = client().GetSecretValue({"app/db", std::nullopt, std::string(kStageCurrent)});
  ASSERT_TRUE(current.has_value()) << current.error().message;
  ASSERT_TRUE(current->secret_string.has_value());
  EXPECT_EQ(current->secret_string->expose(), R"({"token":"old"})");
  EXPECT_EQ(current->name, "app/db");
  EXPECT_TRUE(current->created_date.has_value());
  const std::string old_version = current->version_id;

  const std::string token = "11111111-2222-4333-8444-555555555555";
  PutSecretValueRequest put{
      "app/db", token, SecretString::CopyOf(R"({"token":"new"})"), {std::string(kStagePending)}};
  auto put_result = client().PutSecretValue(put);
  ASSERT_TRUE(put_result.has_value()) << put_result.error().message;
  EXPECT_EQ(put_result->version_id, token);
  // Same token, same value: an idempotent no-op.
  ASSERT_TRUE(client().PutSecretValue(put).has_value());

  auto pending = client().GetSecretValue({current->arn, token, std::string(kStagePending)});
  ASSERT_TRUE(pending.has_value()) << pending.error().message;
  EXPECT_EQ(pending->secret_string->expose(), R"({"token":"new"})");

  ASSERT_TRUE(
      client()
          .UpdateSecretVersionStage({"app/db", std::string(kStageCurrent), token, old_version})
          .has_value());
  auto described = client().DescribeSecret(current->arn);  // by full ARN
  ASSERT_TRUE(described.has_value()) << described.error().message;
  EXPECT_EQ(described->VersionWithStage(kStageCurrent), token);
  EXPECT_EQ(described->VersionWithStage(kStagePrevious), old_version);
  EXPECT_FALSE(described->rotation_enabled);

  auto versions = client().ListSecretVersionIds("app/db", false);
  ASSERT_TRUE(versions.has_value()) << versions.error().message;
  EXPECT_EQ(versions->size(), 2u);

  // Every request reached the emulator signed, and it accepted them all.
  EXPECT_EQ(emulator_->log().CountFor("PutSecretValue"), 2u);
}

TEST_F(EmulatorIntegrationTest, CreateSecretAndNotFound) {
  auto created = client().CreateSecret(
      {"new/secret", "", SecretString::CopyOf("v1"), std::string("made by test"), {{"k", "v"}}});
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_EQ(created->name, "new/secret");
  EXPECT_FALSE(created->version_id.empty());

  auto missing = client().GetSecretValue({"no/such", std::nullopt, std::nullopt});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kResourceNotFound);
  EXPECT_EQ(missing.error().aws_code, "ResourceNotFoundException");
  EXPECT_EQ(missing.error().http_status, 400);
  EXPECT_NE(missing.error().message.find("'no/such'"), std::string::npos);

  auto exists = client().CreateSecret({"new/secret", "", SecretString::CopyOf("v2"), {}, {}});
  ASSERT_FALSE(exists.has_value());
  EXPECT_EQ(exists.error().code, ErrorCode::kResourceExists);
  EXPECT_EQ(exists.error().message.find("v2"), std::string::npos);
}

TEST_F(EmulatorIntegrationTest, BadSignaturesAreRejected) {
  ASSERT_TRUE(emulator_->store().SeedSecret("app/db", "v").has_value());
  credentials_.Set(kAccessKey, "not-the-right-secret");
  auto wrong_key = client().DescribeSecret("app/db");
  ASSERT_FALSE(wrong_key.has_value());
  EXPECT_EQ(wrong_key.error().code, ErrorCode::kAuthFailure);
  EXPECT_EQ(wrong_key.error().aws_code, "InvalidSignatureException");

  credentials_.Set("AKIDUNKNOWN", kSecretKey);
  auto unknown = client().DescribeSecret("app/db");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kAuthFailure);
  EXPECT_EQ(unknown.error().aws_code, "UnrecognizedClientException");
}

TEST_F(EmulatorIntegrationTest, SessionCredentialsAreAccepted) {
  ASSERT_TRUE(emulator_->store().SeedSecret("app/db", "v").has_value());
  emulator_->AddCredentials(Creds("ASIATEMP", "temp-secret", "temp-token"));
  credentials_.Set("ASIATEMP", "temp-secret", "temp-token");
  auto result = client().DescribeSecret("app/db");
  EXPECT_TRUE(result.has_value()) << result.error().message;
}

TEST_F(EmulatorIntegrationTest, RetriesServerErrorsAndDroppedConnections) {
  ASSERT_TRUE(emulator_->store().SeedSecret("app/db", "v").has_value());
  emulator_->faults().AddRule(FaultRule::ForOperation(
      "GetSecretValue", emu::AwsErrorFault(emu::ApiErrorCode::kInternalServiceError, "boom")));
  emulator_->faults().AddRule(FaultRule::ForOperation("DescribeSecret", Fault::Drop()));
  EXPECT_TRUE(client().GetSecretValue({"app/db", std::nullopt, std::nullopt}).has_value());
  EXPECT_TRUE(client().DescribeSecret("app/db").has_value());
  EXPECT_EQ(emulator_->log().CountFor("GetSecretValue"), 2u);
  EXPECT_EQ(emulator_->log().CountFor("DescribeSecret"), 2u);
  EXPECT_EQ(clock_.TotalSlept() > milliseconds(0), true);
  EXPECT_LT(clock_.TotalSlept(), milliseconds(2000));
}

TEST_F(EmulatorIntegrationTest, LostRepliesToAWriteAreRetriedIdempotently) {
  ASSERT_TRUE(emulator_->store().SeedSecret("app/db", "v").has_value());
  // Applied, then the connection drops: the retry with the same token is a no-op success.
  emulator_->faults().AddRule(FaultRule::ForOperation("PutSecretValue", Fault::ApplyThenDrop()));
  const std::string token = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
  auto put = client().PutSecretValue(
      {"app/db", token, SecretString::CopyOf("next"), {std::string(kStagePending)}});
  ASSERT_TRUE(put.has_value()) << put.error().message;
  EXPECT_EQ(emulator_->log().CountFor("PutSecretValue"), 2u);
  EXPECT_EQ(emulator_->log().AppliedCountFor("PutSecretValue"), 2u);
  auto state = emulator_->store().Inspect("app/db");
  ASSERT_TRUE(state.has_value());
}

TEST_F(EmulatorIntegrationTest, WriteWhoseEveryReplyIsLostIsAmbiguous) {
  ASSERT_TRUE(emulator_->store().SeedSecret("app/db", "v").has_value());
  emulator_->faults().AddRule(
      FaultRule::ForOperation("PutSecretValue", Fault::ApplyThenDrop(), /*times=*/-1));
  const std::string token = "aaaaaaaa-bbbb-4ccc-8ddd-ffffffffffff";
  auto put = client().PutSecretValue(
      {"app/db", token, SecretString::CopyOf("next-value"), {std::string(kStagePending)}});
  ASSERT_FALSE(put.has_value());
  EXPECT_EQ(put.error().code, ErrorCode::kTransport);
  EXPECT_TRUE(put.error().ambiguous);
  EXPECT_EQ(put.error().message.find("next-value"), std::string::npos);
  EXPECT_EQ(emulator_->log().CountFor("PutSecretValue"), 3u);
  // It was applied: the caller's re-read finds it.
  auto pending = client().GetSecretValue({"app/db", token, std::nullopt});
  ASSERT_TRUE(pending.has_value()) << pending.error().message;
  EXPECT_EQ(pending->secret_string->expose(), "next-value");
}

TEST_F(EmulatorIntegrationTest, ThrottlingGivesUpAfterThreeAttempts) {
  emulator_->faults().AddRule(FaultRule::ForOperation(
      "DescribeSecret", emu::AwsErrorFault(emu::ApiErrorCode::kThrottling, "Rate exceeded"),
      /*times=*/-1));
  auto result = client().DescribeSecret("app/db");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kThrottling);
  EXPECT_EQ(emulator_->log().CountFor("DescribeSecret"), 3u);
}

TEST_F(EmulatorIntegrationTest, PaginatesBeyondOnePage) {
  ASSERT_TRUE(emulator_->store().SeedSecret("app/many", "v0").has_value());
  // Seeded in the store directly: 120 writes over HTTP would only slow the test down.
  for (int i = 1; i <= 120; ++i) {
    emu::PutSecretValueInput input;
    input.secret_id = "app/many";
    input.client_request_token = random_.UuidV4();
    input.secret_string = SecretString::CopyOf("v" + std::to_string(i));
    ASSERT_TRUE(emulator_->store().PutSecretValue(input).has_value());
  }
  auto all = client().ListSecretVersionIds("app/many", true);
  ASSERT_TRUE(all.has_value()) << all.error().message;
  EXPECT_EQ(all->size(), 121u);
  EXPECT_EQ(emulator_->log().CountFor("ListSecretVersionIds"), 2u);
  auto labelled = client().ListSecretVersionIds("app/many", false);
  ASSERT_TRUE(labelled.has_value());
  EXPECT_EQ(labelled->size(), 2u);  // AWSCURRENT and AWSPREVIOUS
}

TEST_F(EmulatorIntegrationTest, TrailingEmptyPageVariant) {
  emu::StoreOptions store;
  store.trailing_empty_page = true;
  StartEmulator(store);
  ASSERT_TRUE(emulator_->store().SeedSecret("app/db", "v").has_value());
  auto versions = client().ListSecretVersionIds("app/db", false);
  ASSERT_TRUE(versions.has_value()) << versions.error().message;
  EXPECT_EQ(versions->size(), 1u);
  EXPECT_EQ(emulator_->log().CountFor("ListSecretVersionIds"), 2u);
}

}  // namespace
}  // namespace dbtrotate::aws::testing

namespace dbtrotate::aws::testing {
namespace {

using emulators::Fault;
using emulators::FaultRule;

// Replies that a JSON parser would read one way and a person another (issue #8).
TEST_F(EmulatorIntegrationTest, AmbiguousDeepOrEnvelopeRepliesAreMalformed) {
  ASSERT_TRUE(emulator_->store().SeedSecret("app/db", "v").has_value());
  struct Case {
    std::string body;
    std::string says;
  };
  const std::vector<Case> cases = {
      {R"({"Name": "app/db", "SecretString": "a", "SecretString": "b", "VersionId": "v1"})",
       "'SecretString' twice"},
      {R"({"Name": "app/db", "VersionId": "v1", "X": )" + std::string(50000, '[') +
           std::string(50000, ']') + "}",
       "nested deeper than 64 levels"},
      {R"({"__type": "ResourceNotFoundException", "message": "gone"})",
       "error envelope (ResourceNotFoundException)"},
  };
  for (const auto& c : cases) {
    emulator_->faults().AddRule(FaultRule::ForOperation("GetSecretValue", Fault::Garbage(c.body)));
    auto value = client().GetSecretValue({"app/db", std::nullopt, std::nullopt});
    ASSERT_FALSE(value.has_value()) << c.says;
    EXPECT_EQ(value.error().code, ErrorCode::kMalformedResponse) << c.says;
    EXPECT_NE(value.error().message.find(c.says), std::string::npos) << value.error().message;
    EXPECT_EQ(value.error().message.find("binary"), std::string::npos) << value.error().message;
  }
}

}  // namespace
}  // namespace dbtrotate::aws::testing
