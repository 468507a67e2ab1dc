// Standard-mode retries (reference §6): bounded, full-jitter backoff on the injected clock,
// re-signed every attempt, and `ambiguous` set when a failed write may have been applied.

#include <gtest/gtest.h>

#include "aws/secretsmanager/client_fixture.h"
#include "aws/secretsmanager/retry_policy.h"

namespace dbtrotate::aws::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kThrottled[] = R"({"__type":"ThrottlingException","message":"Rate exceeded"})";
constexpr char kInternal[] = R"({"__type":"InternalServiceError","Message":"oops"})";

using RetryTest = ClientTest;

TEST(BackoffDelay, FullJitterCappedExponential) {
  FixedRandom half(0.5);
  const RetryConfig config;
  EXPECT_EQ(BackoffDelay(1, config, half), milliseconds(500));
  EXPECT_EQ(BackoffDelay(2, config, half), milliseconds(1000));
  EXPECT_EQ(BackoffDelay(3, config, half), milliseconds(2000));
  EXPECT_EQ(BackoffDelay(6, config, half), milliseconds(10000));  // 0.5 * min(32 s, 20 s)
  EXPECT_EQ(BackoffDelay(100, config, half), milliseconds(10000));
  FixedRandom zero(0.0);
  EXPECT_EQ(BackoffDelay(3, config, zero), milliseconds(0));
  FixedRandom almost_one(0.9999);
  EXPECT_LT(BackoffDelay(1, config, almost_one), seconds(1));
  SeededRandom seeded(7);
  for (int attempt = 1; attempt < 10; ++attempt) {
    const auto delay = BackoffDelay(attempt, config, seeded);
    EXPECT_GE(delay, milliseconds(0));
    EXPECT_LT(delay, seconds(20));
  }
}

TEST_F(RetryTest, RetriesA503ThenSucceedsAndResignsEachAttempt) {
  http_.Reply(503, "");
  http_.Reply(200, R"({"Name":"app/db"})");
  auto result = client().DescribeSecret("app/db");
  ASSERT_TRUE(result.has_value()) << result.error().message;
  ASSERT_EQ(http_.requests().size(), 2u);
  EXPECT_EQ(clock_.TotalSlept(), milliseconds(500));
  // The second attempt carries the time after the backoff, and a valid signature for it.
  EXPECT_EQ(HeaderOf(http_.requests()[0], "X-Amz-Date"), "20260830T120000Z");
  EXPECT_EQ(HeaderOf(http_.requests()[1], "X-Amz-Date"), "20260830T120000Z");
  EXPECT_TRUE(SignedWith(http_.requests()[1], kSecretKey, clock_.Now()));
  EXPECT_EQ(http_.requests()[0].body, http_.requests()[1].body);
  EXPECT_EQ(credentials_.resolve_count(), 2);
}

TEST_F(RetryTest, EachAttemptUsesTheCurrentCredentialsAndTime) {
  http_.ReplyWith([this](const http::Request&) {
    credentials_.Set("AKIDROTATED", "rotated-secret");  // the provider refreshed meanwhile
    clock_.Advance(std::chrono::minutes(30));
    return MakeResponse(500, kInternal);
  });
  http_.Reply(200, "{}");
  ASSERT_TRUE(client().DescribeSecret("app/db").has_value());
  const http::Request& second = http_.requests()[1];
  EXPECT_EQ(HeaderOf(second, "X-Amz-Date"), "20260830T123000Z");
  EXPECT_NE(HeaderOf(second, "Authorization").find("Credential=AKIDROTATED/"), std::string::npos);
  EXPECT_TRUE(SignedWith(second, "rotated-secret", clock_.Now()));
}

TEST_F(RetryTest, GivesUpAfterThreeAttemptsOnServerErrors) {
  http_.SetFallback([](const http::Request&) { return MakeResponse(500, kInternal); });
  auto result = client().GetSecretValue({"app/db", std::nullopt, std::nullopt});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(http_.requests().size(), 3u);
  EXPECT_EQ(clock_.TotalSlept(), milliseconds(500 + 1000));
  EXPECT_EQ(result.error().code, ErrorCode::kInternal);
  EXPECT_EQ(result.error().aws_code, "InternalServiceError");
  EXPECT_FALSE(result.error().ambiguous);  // a read
  EXPECT_NE(result.error().message.find("gave up after 3 attempts"), std::string::npos);
}

TEST_F(RetryTest, RetriesEveryRetryableStatusAndCode) {
  const std::vector<std::pair<int, std::string>> retryable = {
      {500, ""},
      {502, "bad gateway"},
      {503, ""},
      {504, ""},
      {400, kThrottled},
      {400, R"({"__type":"TooManyRequestsException"})"},
      {400, R"({"__type":"RequestLimitExceeded"})"},
      {400, R"({"__type":"InternalFailure"})"},
      {400, R"({"__type":"ServiceUnavailable"})"},
      {400, R"({"__type":"RequestTimeoutException"})"}};
  for (const auto& [status, body] : retryable) {
    const std::size_t before = http_.requests().size();
    http_.Reply(status, body);
    http_.Reply(200, "{}");
    EXPECT_TRUE(client().DescribeSecret("app/db").has_value()) << status << " " << body;
    EXPECT_EQ(http_.requests().size() - before, 2u) << status << " " << body;
  }
}

TEST_F(RetryTest, ThrottlingIsReportedAsThrottlingAfterRetries) {
  http_.SetFallback([](const http::Request&) { return MakeResponse(400, kThrottled); });
  auto result = client().DescribeSecret("app/db");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kThrottling);
  EXPECT_EQ(http_.requests().size(), 3u);
  EXPECT_NE(result.error().message.find("throttling"), std::string::npos);
}

TEST_F(RetryTest, DoesNotRetryClientErrors) {
  for (const char* body :
       {R"({"__type":"ResourceNotFoundException"})", R"({"__type":"InvalidRequestException"})",
        R"({"__type":"AccessDeniedException"})", R"({"__type":"LimitExceededException"})",
        R"({"__type":"InvalidSignatureException"})", R"({"__type":"DecryptionFailure"})"}) {
    const std::size_t before = http_.requests().size();
    http_.Reply(400, body);
    EXPECT_FALSE(client().DescribeSecret("app/db").has_value());
    EXPECT_EQ(http_.requests().size() - before, 1u) << body;
  }
  EXPECT_EQ(clock_.TotalSlept(), milliseconds(0));
  EXPECT_EQ(http_.pending(), 0u);
}

TEST_F(RetryTest, RetriesTransportErrors) {
  http_.FailTransport(http::ErrorKind::kConnect, false);
  http_.FailTransport(http::ErrorKind::kReceiveFailed, true);
  http_.Reply(200, "{}");
  EXPECT_TRUE(client().DescribeSecret("app/db").has_value());
  EXPECT_EQ(http_.requests().size(), 3u);
  EXPECT_EQ(clock_.TotalSlept(), milliseconds(1500));
}

TEST_F(RetryTest, WriteThatMayHaveBeenAppliedIsAmbiguous) {
  http_.SetFallback([](const http::Request&) -> http::HttpResult {
    return Fail(http::Error{http::ErrorKind::kTimeout, "timed out after 30 s", true});
  });
  auto put = client().PutSecretValue({"app/db", "tok", SecretString::CopyOf("v"), {}});
  ASSERT_FALSE(put.has_value());
  EXPECT_EQ(put.error().code, ErrorCode::kTransport);
  EXPECT_TRUE(put.error().ambiguous);
  EXPECT_EQ(http_.requests().size(), 3u);
  // Every attempt carried the same idempotency token and body.
  for (const auto& request : http_.requests()) {
    EXPECT_EQ(request.body, http_.requests().front().body);
  }

  auto stage = client().UpdateSecretVersionStage({"app/db", "AWSCURRENT", "v2", "v1"});
  ASSERT_FALSE(stage.has_value());
  EXPECT_TRUE(stage.error().ambiguous);

  auto read = client().GetSecretValue({"app/db", std::nullopt, std::nullopt});
  ASSERT_FALSE(read.has_value());
  EXPECT_FALSE(read.error().ambiguous);
}

TEST_F(RetryTest, AmbiguityComesFromAnyAttempt) {
  // Timed out (maybe applied), then throttled twice: the write may still have happened.
  http_.FailTransport(http::ErrorKind::kTimeout, true);
  http_.Reply(400, kThrottled);
  http_.Reply(400, kThrottled);
  auto put = client().PutSecretValue({"app/db", "tok", SecretString::CopyOf("v"), {}});
  ASSERT_FALSE(put.has_value());
  EXPECT_EQ(put.error().code, ErrorCode::kThrottling);
  EXPECT_TRUE(put.error().ambiguous);

  // A 5xx may have been applied, too.
  http_.Reply(500, kInternal);
  http_.Reply(400, R"({"__type":"InvalidRequestException","Message":"label moved"})");
  auto stage = client().UpdateSecretVersionStage({"app/db", "AWSCURRENT", "v2", "v1"});
  ASSERT_FALSE(stage.has_value());
  EXPECT_EQ(stage.error().code, ErrorCode::kInvalidRequest);
  EXPECT_TRUE(stage.error().ambiguous);
}

TEST_F(RetryTest, WriteThatCertainlyDidNotApplyIsNotAmbiguous) {
  http_.FailTransport(http::ErrorKind::kConnect, false);
  http_.Reply(400, kThrottled);
  http_.Reply(400, kThrottled);
  auto put = client().PutSecretValue({"app/db", "tok", SecretString::CopyOf("v"), {}});
  ASSERT_FALSE(put.has_value());
  EXPECT_FALSE(put.error().ambiguous);

  http_.Reply(400, R"({"__type":"ResourceExistsException"})");
  auto create = client().CreateSecret({"n", "tok", SecretString::CopyOf("v"), std::nullopt, {}});
  ASSERT_FALSE(create.has_value());
  EXPECT_FALSE(create.error().ambiguous);
}

TEST_F(RetryTest, ExpiredTokenRefreshesCredentialsAndRetriesOnceWithoutWaiting) {
  credentials_.Set("ASIAOLD", "old-secret", "old-token");
  http_.ReplyWith([this](const http::Request&) {
    credentials_.Set("ASIANEW", "new-secret", "new-token");
    return MakeResponse(400, R"({"__type":"ExpiredTokenException","message":"expired"})");
  });
  http_.Reply(200, "{}");
  ASSERT_TRUE(client().DescribeSecret("app/db").has_value());
  ASSERT_EQ(http_.requests().size(), 2u);
  EXPECT_EQ(HeaderOf(http_.requests()[1], "X-Amz-Security-Token"), "new-token");
  EXPECT_TRUE(SignedWith(http_.requests()[1], "new-secret", clock_.Now()));
  EXPECT_EQ(clock_.TotalSlept(), milliseconds(0));
  EXPECT_EQ(credentials_.invalidate_count(), 1);  // the cache was told to drop them
}

TEST_F(RetryTest, ExpiredTokenTwiceIsAnAuthFailure) {
  http_.SetFallback([](const http::Request&) {
    return MakeResponse(403, R"({"__type":"ExpiredToken","message":"expired"})");
  });
  auto result = client().DescribeSecret("app/db");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kAuthFailure);
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(RetryTest, ExpiredTokenRetryDoesNotStretchTheBudget) {
  // expired (free extra attempt), then 500, 500, 500: 1 + 3 requests, never more.
  http_.Reply(400, R"({"__type":"ExpiredTokenException"})");
  http_.SetFallback([](const http::Request&) { return MakeResponse(500, kInternal); });
  EXPECT_FALSE(client().DescribeSecret("app/db").has_value());
  EXPECT_EQ(http_.requests().size(), 4u);
}

TEST_F(RetryTest, MaxAttemptsAndBackoffCapAreConfigurable) {
  Recreate("https://secretsmanager.us-east-1.amazonaws.com", "us-east-1",
           RetryConfig{5, seconds(1), seconds(3)});
  http_.SetFallback([](const http::Request&) { return MakeResponse(503, ""); });
  EXPECT_FALSE(client().DescribeSecret("app/db").has_value());
  EXPECT_EQ(http_.requests().size(), 5u);
  EXPECT_EQ(clock_.TotalSlept(), milliseconds(500 + 1000 + 1500 + 1500));
}

TEST_F(RetryTest, OneAttemptMeansNoRetry) {
  Recreate("https://secretsmanager.us-east-1.amazonaws.com", "us-east-1", RetryConfig{1});
  http_.SetFallback([](const http::Request&) { return MakeResponse(503, ""); });
  auto result = client().DescribeSecret("app/db");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(http_.requests().size(), 1u);
  EXPECT_EQ(result.error().message.find("gave up"), std::string::npos);
  Recreate("https://secretsmanager.us-east-1.amazonaws.com", "us-east-1", RetryConfig{0});
  EXPECT_FALSE(client().DescribeSecret("app/db").has_value());
  EXPECT_EQ(http_.requests().size(), 2u);  // 0 is treated as 1
}

TEST_F(RetryTest, CredentialFailureStopsRetrying) {
  http_.ReplyWith([this](const http::Request&) {
    credentials_.FailWith("IMDS unreachable");
    return MakeResponse(503, "");
  });
  auto result = client().DescribeSecret("app/db");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kNoCredentials);
  EXPECT_EQ(http_.requests().size(), 1u);
}

}  // namespace
}  // namespace dbtrotate::aws::testing
