// The emulators' per-connection delay (src/emulators/common): paid once per connection, as a
// handshake is, so a client that keeps its connections pays it once per host.

#include <gtest/gtest.h>

#include <chrono>

#include "emulators/dbtcloud/dbtcloud_emulator.h"
#include "http/curl_client.h"

namespace dbtrotate {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

milliseconds Timed(http::Client& client, const std::string& url) {
  const auto start = steady_clock::now();
  EXPECT_TRUE(client.Send(http::Request(http::Method::kGet, url)));
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
}

TEST(ConnectionDelayTest, OnlyTheFirstRequestOfAConnectionWaits) {
  emulators::DbtCloudEmulator dbt;
  ASSERT_TRUE(dbt.Start());
  dbt.faults().SetConnectionLatency(milliseconds(150));
  http::CurlClientOptions options;
  options.no_proxy = true;
  http::CurlClient client(options);
  const std::string url = dbt.base_url() + "/api/v3/accounts/";
  EXPECT_GE(Timed(client, url), milliseconds(150));
  EXPECT_LT(Timed(client, url), milliseconds(100));  // the same kept-alive connection
  EXPECT_EQ(dbt.faults().ConnectionCount(), 1U);

  http::CurlClient other(options);  // a second client: a second connection, a second delay
  EXPECT_GE(Timed(other, url), milliseconds(150));
  EXPECT_EQ(dbt.faults().ConnectionCount(), 2U);
  dbt.Stop();
}

}  // namespace
}  // namespace dbtrotate
