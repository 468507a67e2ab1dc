#include "fleet/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>
#include <vector>

#include "fleet/rate_limited_client.h"

namespace dbtrotate::fleet {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

SystemTime Start() { return SystemTime{std::chrono::hours(24 * 365 * 56)}; }

// The most sends inside any interval [t, t + window).
int MaxInAnyWindow(std::vector<SystemTime> sends, Duration window) {
  std::sort(sends.begin(), sends.end());
  int best = 0;
  for (std::size_t i = 0, j = 0; i < sends.size(); ++i) {
    while (sends[i] - sends[j] >= window) ++j;
    best = std::max(best, static_cast<int>(i - j + 1));
  }
  return best;
}

TEST(RateLimiterTest, LetsAWindowFullThroughThenWaitsForTheOldestToLeave) {
  FakeClock clock(Start());
  RateLimiter limiter({5, minutes(1), seconds(0)}, clock);
  std::vector<SystemTime> sends;
  for (int i = 0; i < 12; ++i) {
    limiter.Acquire().Done();
    sends.push_back(clock.Now());
  }
  EXPECT_EQ(clock.TotalSlept(), minutes(2));  // 5 at 0, 5 at 60 s, 2 at 120 s
  EXPECT_EQ(MaxInAnyWindow(sends, minutes(1)), 5);
  EXPECT_EQ(limiter.Stats().acquired, 12);
}

TEST(RateLimiterTest, UsesTheWholeRateAndNeverMoreUnderConcurrency) {
  FakeClock clock(Start());
  RateLimiter limiter({50, seconds(1), Duration(10)}, clock);
  std::mutex mutex;
  std::vector<SystemTime> sends;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        limiter.Acquire().Done();
        std::lock_guard<std::mutex> lock(mutex);
        sends.push_back(clock.Now());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(sends.size(), 400U);
  EXPECT_EQ(limiter.Stats().acquired, 400);
  // Never faster than the rate: 400 at 50 per second (+10 ms) cannot end before 7 windows.
  EXPECT_GE(*std::max_element(sends.begin(), sends.end()) - Start(), seconds(7) + Duration(70));
  // (Sends here are stamped after Acquire returns, while other threads move the fake clock, so
  // the per-window bound is checked where it counts: the emulator's 429s, fleet_runner_test.)
}

TEST(RateLimiterTest, SequentialRunTakesTheFloorOfRequestsOverRate) {
  FakeClock clock(Start());
  RateLimiter limiter({100, seconds(1), Duration(0)}, clock);
  for (int i = 0; i < 1000; ++i) limiter.Acquire().Done();
  // 1,000 requests at 100/s with the first window free: 9 s, the floor of 10 s minus one window.
  EXPECT_EQ(clock.TotalSlept(), seconds(9));
}

TEST(RateLimiterTest, PauseHoldsEveryCallerUntilItEnds) {
  FakeClock clock(Start());
  RateLimiter limiter({100, minutes(1), seconds(0)}, clock);
  limiter.Acquire().Done();
  limiter.PauseFor(minutes(5));
  limiter.Acquire().Done();
  EXPECT_GE(clock.Now() - Start(), minutes(5));
  EXPECT_EQ(limiter.Stats().pauses, 1);
}

TEST(RateLimiterTest, CountsARequestUntilOneWindowAfterItsAnswer) {
  FakeClock clock(Start());
  RateLimiter limiter({2, seconds(1), Duration(0)}, clock);
  auto first = limiter.Acquire();
  limiter.Acquire().Done();  // answered at once
  clock.Advance(Duration(700));
  first.Done();  // answered 700 ms after it went: the server may have counted it at 699 ms
  limiter.Acquire().Done();
  // The second left the window at 1 s; the first counts until 1.7 s, not 1 s.
  EXPECT_EQ(clock.Now() - Start(), Duration(1000));
  limiter.Acquire().Done();
  EXPECT_EQ(clock.Now() - Start(), Duration(1700));
}

TEST(RateLimiterTest, WaitsForAnAnswerWhenTheWholeRateIsInFlight) {
  FakeClock clock(Start());
  RateLimiter limiter({2, seconds(1), Duration(0)}, clock);
  auto first = limiter.Acquire();
  auto second = limiter.Acquire();
  std::atomic<bool> let_through{false};
  std::thread third([&] {
    limiter.Acquire().Done();
    let_through = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // it waits: nothing expires
  EXPECT_FALSE(let_through.load());
  clock.Advance(Duration(300));
  second.Done();  // now it needs only time: until 1.3 s, which its SleepFor moves to
  third.join();
  EXPECT_TRUE(let_through.load());
  EXPECT_EQ(clock.Now() - Start(), Duration(1300));
  first.Done();
}

// The server counts a request when it arrives, anywhere between its send and its answer. With
// random latencies (and several requests in flight), no window of arrivals holds more than the
// rate: the guarantee does not depend on a margin guessed to cover jitter.
TEST(RateLimiterTest, NoWindowOfArrivalsExceedsTheRateWhateverTheLatency) {
  FakeClock clock(Start());
  constexpr int kRate = 5;
  RateLimiter limiter({kRate, seconds(1), Duration(0)}, clock);
  std::mt19937 random(7);
  std::uniform_int_distribution<int> latency_ms(0, 400);
  struct Pending {
    RateLimiter::Slot slot;
    SystemTime sent;
  };
  std::vector<Pending> in_flight;
  std::vector<SystemTime> arrivals;
  for (int step = 0; step < 2000; ++step) {
    // Keep up to kRate - 2 in flight, so that one thread can always go on.
    if (in_flight.size() < kRate - 2 && random() % 2 == 0) {
      auto slot = limiter.Acquire();
      in_flight.push_back({std::move(slot), clock.Now()});
      continue;
    }
    if (in_flight.empty()) continue;
    clock.Advance(Duration(latency_ms(random)));
    const std::size_t which = random() % in_flight.size();
    Pending done = std::move(in_flight[which]);
    in_flight.erase(in_flight.begin() + static_cast<std::ptrdiff_t>(which));
    const auto span = std::chrono::duration_cast<Duration>(clock.Now() - done.sent).count();
    arrivals.push_back(done.sent + Duration(span == 0 ? 0 : random() % (span + 1)));
    done.slot.Done();
  }
  ASSERT_GT(arrivals.size(), 500U);
  EXPECT_LE(MaxInAnyWindow(arrivals, seconds(1)), kRate);
}

TEST(RateLimiterTest, ZeroMeansUnlimited) {
  FakeClock clock(Start());
  RateLimiter limiter({0, minutes(1), seconds(0)}, clock);
  for (int i = 0; i < 10000; ++i) limiter.Acquire().Done();
  EXPECT_EQ(clock.TotalSlept(), Duration(0));
}

// Answers 429 `refusals` times (with an optional Retry-After), then 200.
class RefusingClient final : public http::Client {
 public:
  RefusingClient(int refusals, std::optional<std::string> retry_after)
      : refusals_(refusals), retry_after_(std::move(retry_after)) {}
  http::HttpResult Send(const http::Request&) override {
    ++sent;
    http::Response response;
    response.status = sent <= refusals_ ? 429 : 200;
    if (response.status == 429 && retry_after_) {
      response.headers.push_back({"retry-after", *retry_after_});
    }
    return response;
  }
  int sent = 0;

 private:
  int refusals_;
  std::optional<std::string> retry_after_;
};

TEST(RateLimitedClientTest, A429PausesForTheCooldownAndResendsEvenAPost) {
  FakeClock clock(Start());
  RateLimiter limiter({1000, minutes(1), seconds(0)}, clock);
  RefusingClient inner(1, std::nullopt);
  RateLimitedClient client(inner, limiter, clock, {minutes(5), 2});
  auto result = client.Send(http::Request(http::Method::kPost, "http://127.0.0.1/create"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(inner.sent, 2);
  EXPECT_EQ(client.too_many_requests(), 1);
  EXPECT_GE(clock.Now() - Start(), minutes(5));
}

TEST(RateLimitedClientTest, HonoursRetryAfter) {
  FakeClock clock(Start());
  RateLimiter limiter({1000, minutes(1), seconds(0)}, clock);
  RefusingClient inner(2, "7");
  RateLimitedClient client(inner, limiter, clock, {minutes(5), 2});
  auto result = client.Send(http::Request(http::Method::kGet, "http://127.0.0.1/list"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(clock.Now() - Start(), seconds(14));
}

TEST(RateLimitedClientTest, GivesUpAfterItsBoundAndReturnsThe429) {
  FakeClock clock(Start());
  RateLimiter limiter({1000, minutes(1), seconds(0)}, clock);
  RefusingClient inner(100, "1");
  RateLimitedClient client(inner, limiter, clock, {minutes(5), 2});
  auto result = client.Send(http::Request(http::Method::kGet, "http://127.0.0.1/list"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 429);
  EXPECT_EQ(inner.sent, 3);
}

}  // namespace
}  // namespace dbtrotate::fleet

namespace dbtrotate::fleet {
namespace {

TEST(ParseRateTest, PerDefaultWindowOrPerGivenDuration) {
  auto plain = ParseRate("3000", std::chrono::minutes(1), "--dbt-rate");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->max_requests, 3000);
  EXPECT_EQ(plain->window, std::chrono::minutes(1));
  EXPECT_EQ(plain->margin, kRateMargin);
  auto scaled = ParseRate("100/1s", std::chrono::minutes(1), "--dbt-rate");
  ASSERT_TRUE(scaled);
  EXPECT_EQ(scaled->max_requests, 100);
  EXPECT_EQ(scaled->window, std::chrono::seconds(1));
  for (const char* bad : {"", "0", "-5", "ten", "10/", "10/0s", "10/soon", "5x"}) {
    auto rate = ParseRate(bad, std::chrono::minutes(1), "--dbt-rate");
    ASSERT_FALSE(rate) << bad;
    EXPECT_EQ(rate.error().rfind("--dbt-rate: ", 0), 0U) << rate.error();
  }
}

}  // namespace
}  // namespace dbtrotate::fleet
