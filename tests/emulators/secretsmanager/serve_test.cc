// The CLI's foreground entry point: serves until told to stop, reports where it listens.

#include "emulators/secretsmanager/serve.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <sstream>
#include <thread>

#include "signed_caller.h"

namespace dbtrotate::emulators::secretsmanager {
namespace {

using smtest::MakeCredentials;
using smtest::SignedCaller;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kServeAccessKey[] = "AKIASERVETEST";
constexpr char kServeSecretKey[] = "serve-test-secret-key";

TEST(ServeForeground, ServesSeededSecretsUntilStopped) {
  ServeOptions options;
  options.credentials.push_back(MakeCredentials(kServeAccessKey, kServeSecretKey));
  options.seed.emplace_back("seeded/secret", "seeded-value");
  options.poll_interval = std::chrono::milliseconds(10);
  std::promise<std::string> endpoint;
  options.on_ready = [&](SecretsManagerEmulator& emulator) {
    endpoint.set_value(emulator.endpoint_url());
  };
  std::atomic<bool> stop{false};
  std::ostringstream out;
  std::optional<Result<void, std::string>> served;
  std::thread server([&] {
    served.emplace(ServeForeground(std::move(options), out, stop, SystemClock::Instance()));
  });
  auto ready = endpoint.get_future();
  ASSERT_EQ(ready.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  const std::string url = ready.get();

  SignedCaller caller(url, MakeCredentials(kServeAccessKey, kServeSecretKey), SystemClock::Instance());
  http::Response response = caller.Call("GetSecretValue", {{"SecretId", "seeded/secret"}});
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(smtest::BodyJson(response).value("SecretString", ""), "seeded-value");

  stop = true;
  server.join();
  ASSERT_TRUE(served.has_value());
  EXPECT_TRUE(served->has_value()) << served->error();
  EXPECT_THAT(out.str(), HasSubstr("Secrets Manager emulator listening on " + url +
                                   " (region us-east-1, 1 access key)"));
  EXPECT_THAT(out.str(), HasSubstr("stopped after 1 request(s)"));
  EXPECT_THAT(out.str(), Not(HasSubstr(kServeSecretKey)));
  EXPECT_THAT(out.str(), Not(HasSubstr("seeded-value")));
  // Stopped means stopped: nothing listens there any more.
  EXPECT_FALSE(caller.Send(caller.Signed("DescribeSecret", "{}")).has_value());
}

TEST(ServeForeground, RefusesToServeWithoutCredentials) {
  std::atomic<bool> stop{true};
  std::ostringstream out;
  auto served = ServeForeground(ServeOptions{}, out, stop, SystemClock::Instance());
  ASSERT_FALSE(served.has_value());
  EXPECT_THAT(served.error(), HasSubstr("no credentials configured"));
  EXPECT_TRUE(out.str().empty());
}

TEST(ServeForeground, ReportsAPortThatIsTaken) {
  SecretsManagerEmulator first;
  ASSERT_TRUE(first.Start().has_value());
  ServeOptions options;
  options.credentials.push_back(MakeCredentials(kServeAccessKey, kServeSecretKey));
  options.emulator.server.port = first.port();
  std::atomic<bool> stop{true};
  std::ostringstream out;
  auto served = ServeForeground(std::move(options), out, stop, SystemClock::Instance());
  ASSERT_FALSE(served.has_value());
  EXPECT_THAT(served.error(), HasSubstr("Secrets Manager emulator"));
}

TEST(ServeForeground, ReportsAnUnusableSeed) {
  ServeOptions options;
  options.credentials.push_back(MakeCredentials(kServeAccessKey, kServeSecretKey));
  options.seed.emplace_back("bad name!", "v");
  std::atomic<bool> stop{true};
  std::ostringstream out;
  auto served = ServeForeground(std::move(options), out, stop, SystemClock::Instance());
  ASSERT_FALSE(served.has_value());
  EXPECT_THAT(served.error(), HasSubstr("cannot create secret 'bad name!'"));
  EXPECT_THAT(served.error(), Not(HasSubstr(": v")));
}

}  // namespace
}  // namespace dbtrotate::emulators::secretsmanager
