#include "aws/credentials/refreshing_provider.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "aws/credentials/test_support.h"

namespace dbtrotate::aws {
namespace {

using std::chrono::minutes;

class RefreshingProviderTest : public ::testing::Test {
 protected:
  RefreshingProviderTest() : clock_(testing::Utc(2026, 8, 30, 12, 0, 0)) {}

  // Each fetch issues "KEY<n>" valid for `lifetime_` from now, unless `fail_` is set.
  RefreshingProvider::Fetch Fetcher() {
    return [this]() -> CredentialsResult {
      ++fetches_;
      if (fail_) return Fail(CredentialsError{"source is down"});
      auto credentials = std::make_shared<Credentials>();
      credentials->access_key_id = "KEY" + std::to_string(fetches_);
      credentials->secret_access_key = SecretString::CopyOf("s");
      if (lifetime_) credentials->expiration = clock_.Now() + *lifetime_;
      credentials->source = "test";
      return std::shared_ptr<const Credentials>(std::move(credentials));
    };
  }

  std::string KeyOf(RefreshingProvider& provider) {
    auto result = provider.Resolve();
    return result ? (*result)->access_key_id : "error: " + result.error().message;
  }

  FakeClock clock_;
  std::atomic<int> fetches_{0};
  bool fail_ = false;
  std::optional<Duration> lifetime_ = std::chrono::hours(1);
};

TEST_F(RefreshingProviderTest, CachesUntilTheAdvisoryWindow) {
  RefreshingProvider provider(Fetcher(), clock_);
  EXPECT_EQ(KeyOf(provider), "KEY1");
  clock_.Advance(minutes(44));  // 16 minutes left
  EXPECT_EQ(KeyOf(provider), "KEY1");
  EXPECT_EQ(fetches_, 1);
  clock_.Advance(minutes(2));  // 14 minutes left: advisory refresh
  EXPECT_EQ(KeyOf(provider), "KEY2");
  EXPECT_EQ(fetches_, 2);
  EXPECT_EQ(KeyOf(provider), "KEY2");
  EXPECT_EQ(fetches_, 2);
}

TEST_F(RefreshingProviderTest, InvalidateForcesAFreshFetch) {
  // The service said ExpiredToken although our clock thinks the credentials are fine.
  RefreshingProvider provider(Fetcher(), clock_);
  EXPECT_EQ(KeyOf(provider), "KEY1");
  EXPECT_EQ(KeyOf(provider), "KEY1");
  provider.Invalidate();
  EXPECT_EQ(KeyOf(provider), "KEY2");
  EXPECT_EQ(fetches_, 2);
}

TEST_F(RefreshingProviderTest, AdvisoryFailureKeepsTheOldCredentialsAndBacksOff) {
  RefreshingProvider provider(Fetcher(), clock_);
  EXPECT_EQ(KeyOf(provider), "KEY1");
  fail_ = true;
  clock_.Advance(minutes(46));  // 14 minutes left
  EXPECT_EQ(KeyOf(provider), "KEY1");
  EXPECT_EQ(fetches_, 2);
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_EQ(KeyOf(provider), "KEY1");
  EXPECT_EQ(fetches_, 2) << "no new attempt within retry_after";
  clock_.Advance(std::chrono::seconds(31));
  EXPECT_EQ(KeyOf(provider), "KEY1");
  EXPECT_EQ(fetches_, 3);
}

TEST_F(RefreshingProviderTest, MandatoryWindowFailureIsAnError) {
  RefreshingProvider provider(Fetcher(), clock_);
  EXPECT_EQ(KeyOf(provider), "KEY1");
  fail_ = true;
  clock_.Advance(minutes(51));  // 9 minutes left: must refresh
  EXPECT_EQ(KeyOf(provider), "error: source is down");
  fail_ = false;
  EXPECT_EQ(KeyOf(provider), "KEY3");
}

TEST_F(RefreshingProviderTest, ExpiredCredentialsAreNeverServed) {
  RefreshingProvider provider(Fetcher(), clock_);
  EXPECT_EQ(KeyOf(provider), "KEY1");
  fail_ = true;
  clock_.Advance(minutes(61));
  EXPECT_EQ(KeyOf(provider), "error: source is down");
}

TEST_F(RefreshingProviderTest, CredentialsWithoutExpirationAreFetchedOnce) {
  lifetime_.reset();
  RefreshingProvider provider(Fetcher(), clock_);
  EXPECT_EQ(KeyOf(provider), "KEY1");
  clock_.Advance(std::chrono::hours(24 * 365));
  EXPECT_EQ(KeyOf(provider), "KEY1");
  EXPECT_EQ(fetches_, 1);
}

TEST_F(RefreshingProviderTest, AlreadyExpiredFromTheSourceIsAnError) {
  lifetime_ = -minutes(1);
  RefreshingProvider provider(Fetcher(), clock_);
  EXPECT_EQ(KeyOf(provider),
            "error: credentials from test had already expired (at 2026-08-30T11:59:00Z)");
}

TEST_F(RefreshingProviderTest, ShortLivedCredentialsAreUsedWithoutHammeringTheSource) {
  lifetime_ = minutes(5);  // IMDS near expiry hands out what it has
  RefreshingProvider provider(Fetcher(), clock_);
  EXPECT_EQ(KeyOf(provider), "KEY1");
  EXPECT_EQ(KeyOf(provider), "KEY1");
  EXPECT_EQ(fetches_, 1);
  clock_.Advance(minutes(1));
  EXPECT_EQ(KeyOf(provider), "KEY2");
}

TEST_F(RefreshingProviderTest, ConcurrentCallersShareOneFetch) {
  std::atomic<int> slow_fetches{0};
  RefreshingProvider provider(
      [&]() -> CredentialsResult {
        ++slow_fetches;
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        auto credentials = std::make_shared<Credentials>();
        credentials->access_key_id = "SHARED";
        credentials->expiration = clock_.Now() + std::chrono::hours(1);
        return std::shared_ptr<const Credentials>(std::move(credentials));
      },
      clock_);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto result = provider.Resolve();
      if (result && (*result)->access_key_id == "SHARED") ++ok;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(slow_fetches, 1);
}

}  // namespace
}  // namespace dbtrotate::aws
