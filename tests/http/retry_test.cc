#include "http/retry.h"

#include <gtest/gtest.h>

#include "support/scripted_http_client.h"

namespace dbtrotate::http {
namespace {

using namespace std::chrono_literals;

class RetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    inner_.SetFallback([](const Request&) -> HttpResult { return testing::MakeResponse(200, ""); });
  }
  Request Idempotent() {
    Request r(Method::kGet, "https://example.test/");
    r.idempotent = true;
    return r;
  }
  FakeClock clock_{SystemTime{} + std::chrono::hours(24 * 365 * 50)};
  SeededRandom random_{42};
  testing::ScriptedHttpClient inner_;
  RetryPolicy policy_;
};

TEST_F(RetryTest, RetriesRetryableStatusesForIdempotentRequests) {
  for (int status : {429, 500, 502, 503, 504}) inner_.Reply(status, "");
  policy_.max_attempts = 6;
  RetryingClient client(inner_, policy_, clock_, random_);
  auto result = client.Send(Idempotent());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(inner_.sent(), 6);
  EXPECT_GT(clock_.TotalSlept(), 0ms);
}

TEST_F(RetryTest, NonRetryableStatusIsReturnedAtOnce) {
  inner_.Reply(400, "");
  RetryingClient client(inner_, policy_, clock_, random_);
  auto result = client.Send(Idempotent());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(inner_.sent(), 1);
  EXPECT_EQ(clock_.TotalSlept(), 0ms);
}

TEST_F(RetryTest, AttemptsAreBounded) {
  for (int i = 0; i < 10; ++i) inner_.Reply(503, "");
  RetryingClient client(inner_, policy_, clock_, random_);
  auto result = client.Send(Idempotent());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 503);
  EXPECT_EQ(inner_.sent(), policy_.max_attempts);
}

TEST_F(RetryTest, TotalWaitIsBounded) {
  for (int i = 0; i < 10; ++i) inner_.Reply(503, "", {{"retry-after", "30"}});
  policy_.max_attempts = 10;
  policy_.max_total_delay = 65s;
  RetryingClient client(inner_, policy_, clock_, random_);
  auto result = client.Send(Idempotent());
  ASSERT_TRUE(result);
  EXPECT_EQ(inner_.sent(), 3);  // waits 30 s twice; a third wait would pass 65 s
  EXPECT_EQ(clock_.TotalSlept(), 60s);
}

TEST_F(RetryTest, NonIdempotentRequestIsNeverRetriedAfterItMayHaveBeenSent) {
  inner_.Reply(500, "");
  RetryingClient client(inner_, policy_, clock_, random_);
  Request create(Method::kPost, "https://example.test/create");
  auto result = client.Send(create);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 500);
  EXPECT_EQ(inner_.sent(), 1);

  inner_.FailTransport(ErrorKind::kReceiveFailed, /*maybe_sent=*/true);
  auto dropped = client.Send(create);
  ASSERT_FALSE(dropped);
  EXPECT_EQ(inner_.sent(), 2);
}

TEST_F(RetryTest, NonIdempotentRequestIsRetriedWhenItCertainlyNeverLeft) {
  inner_.FailTransport(ErrorKind::kConnect, /*maybe_sent=*/false);
  RetryingClient client(inner_, policy_, clock_, random_);
  auto result = client.Send(Request(Method::kPost, "https://example.test/create"));
  ASSERT_TRUE(result);
  EXPECT_EQ(inner_.sent(), 2);
}

TEST_F(RetryTest, TransportErrorsOfIdempotentRequestsAreRetried) {
  inner_.FailTransport(ErrorKind::kTimeout, true);
  inner_.FailTransport(ErrorKind::kReceiveFailed, true);
  RetryingClient client(inner_, policy_, clock_, random_);
  auto result = client.Send(Idempotent());
  ASSERT_TRUE(result);
  EXPECT_EQ(inner_.sent(), 3);
}

TEST_F(RetryTest, TlsAndPolicyErrorsAreNotRetried) {
  inner_.FailTransport(ErrorKind::kTls, false);
  RetryingClient client(inner_, policy_, clock_, random_);
  EXPECT_FALSE(client.Send(Idempotent()));
  EXPECT_EQ(inner_.sent(), 1);
}

TEST_F(RetryTest, HonoursRetryAfterSeconds) {
  inner_.Reply(429, "", {{"retry-after", "7"}});
  RetryingClient client(inner_, policy_, clock_, random_);
  ASSERT_TRUE(client.Send(Idempotent()));
  EXPECT_EQ(clock_.TotalSlept(), 7s);
}

TEST_F(RetryTest, HonoursRetryAfterHttpDate) {
  // The fake clock's now, plus 12 seconds, as an IMF-fixdate.
  const auto when = clock_.Now() + 12s;
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  char text[64];
  std::strftime(text, sizeof(text), "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&t));
  inner_.Reply(503, "", {{"retry-after", text}});
  RetryingClient client(inner_, policy_, clock_, random_);
  ASSERT_TRUE(client.Send(Idempotent()));
  EXPECT_NEAR(std::chrono::duration_cast<std::chrono::seconds>(clock_.TotalSlept()).count(), 12, 1);
}

TEST_F(RetryTest, RetryAfterBeyondTheCapReturnsTheRateLimitResponse) {
  inner_.Reply(429, "", {{"retry-after", "300"}});
  RetryingClient client(inner_, policy_, clock_, random_);
  auto result = client.Send(Idempotent());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 429);
  EXPECT_EQ(inner_.sent(), 1);
  EXPECT_EQ(clock_.TotalSlept(), 0ms);
}

TEST(Backoff, FullJitterStaysUnderTheExponentialCeiling) {
  RetryPolicy policy;
  SeededRandom random(7);
  for (int retry = 1; retry <= 10; ++retry) {
    const auto ceiling = std::min(policy.max_delay, policy.base_delay * (1 << (retry - 1)));
    for (int i = 0; i < 50; ++i) {
      const auto delay = FullJitterBackoff(retry, policy, random);
      EXPECT_GE(delay.count(), 0);
      EXPECT_LT(delay, ceiling + 1ms);
    }
  }
}

TEST(Backoff, ParseRetryAfterRejectsGarbage) {
  const SystemTime now = std::chrono::system_clock::from_time_t(1'700'000'000);
  EXPECT_EQ(ParseRetryAfter("5", now), std::chrono::milliseconds(5000));
  EXPECT_EQ(ParseRetryAfter(" 0 ", now), std::chrono::milliseconds(0));
  EXPECT_FALSE(ParseRetryAfter("", now));
  EXPECT_FALSE(ParseRetryAfter("-3", now));
  EXPECT_FALSE(ParseRetryAfter("soon", now));
  // A date in the past means "now".
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now), std::chrono::milliseconds(0));
}

}  // namespace
}  // namespace dbtrotate::http
