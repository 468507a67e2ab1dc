// Faults, the request log, concurrency, seeding errors and the foreground server.

#include <atomic>
#include <future>
#include <set>
#include <sstream>
#include <thread>

#include "emulators/dbtcloud/dbt_fixture.h"
#include "emulators/dbtcloud/serve.h"

namespace dbtrotate::emulators::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

TEST_F(DbtEmulatorTest, EveryEndpointIsLoggedUnderItsOperationName) {
  const json created = CreateViaApi({{"name", "x"}});
  const std::int64_t id = created["id"];
  Get(TokensPath(), admin_);
  Get(TokenPath(id), admin_);
  Put(TokenPath(id), R"({"name":"y"})", admin_);
  Get(PermissionsPath(id), admin_);
  Post(PermissionsPath(id), "[]", admin_);
  Delete(TokenPath(id), admin_);
  Get("/api/v3/accounts/4242/", admin_);
  Get("/api/v3/accounts/", admin_);
  std::vector<std::string> operations;
  for (const auto& record : emulator_.log().Log()) operations.push_back(record.operation);
  EXPECT_EQ(operations, (std::vector<std::string>{
                            "create_service_token", "list_service_tokens", "get_service_token",
                            "update_service_token", "list_service_token_permissions",
                            "create_service_token_permissions", "delete_service_token",
                            "get_account", "list_accounts"}));
  const auto log = emulator_.log().Log();
  EXPECT_EQ(log[0].headers.find("authorization")->second, "Token <redacted>");
  EXPECT_EQ(log[6].status, 204);
}

TEST_F(DbtEmulatorTest, CreateAppliedButReplyLost) {
  emulator_.faults().AddRule(
      FaultRule::ForOperation("create_service_token", Fault::ApplyThenDrop()));
  auto response = Post(TokensPath(), R"({"name":"lost-reply"})", admin_);
  EXPECT_FALSE(response);
  // The token exists: a client must look for it before creating another.
  const auto active = emulator_.ActiveTokens(account_);
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(active[1].name, "lost-reply");
  EXPECT_EQ(emulator_.log().AppliedCountFor("create_service_token"), 1u);
}

TEST_F(DbtEmulatorTest, CreateFailedBeforeApplying) {
  emulator_.faults().AddRule(FaultRule::ForOperation(
      "create_service_token", Fault::Status(500, R"({"status":{"code":500,"is_success":false}})"),
      2));
  EXPECT_EQ(Post(TokensPath(), R"({"name":"a"})", admin_)->status, 500);
  EXPECT_EQ(Post(TokensPath(), R"({"name":"a"})", admin_)->status, 500);
  EXPECT_EQ(emulator_.Tokens(account_).size(), 1u);
  EXPECT_EQ(Post(TokensPath(), R"({"name":"a"})", admin_)->status, 200);
  EXPECT_EQ(emulator_.Tokens(account_).size(), 2u);
}

TEST_F(DbtEmulatorTest, DeleteAppliedButAnsweredWithAnError) {
  const json created = CreateViaApi({{"name", "x"}});
  emulator_.faults().AddRule(
      FaultRule::ForOperation("delete_service_token", Fault::ApplyThenStatus(502)));
  EXPECT_EQ(Delete(TokenPath(created["id"]), admin_)->status, 502);
  EXPECT_EQ(emulator_.Token(created["id"])->state, 2);
}

TEST_F(DbtEmulatorTest, GarbageAndDropsOnReads) {
  emulator_.faults().AddRule(FaultRule::NthOfOperation("list_service_tokens", 1, Fault::Garbage()));
  emulator_.faults().AddRule(FaultRule::NthOfOperation("list_service_tokens", 2, Fault::Drop()));
  auto garbage = Get(TokensPath(), admin_);
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 200);
  EXPECT_TRUE(Body(garbage).is_discarded());
  EXPECT_FALSE(Get(TokensPath(), admin_));
  EXPECT_EQ(Get(TokensPath(), admin_)->status, 200);
}

TEST_F(DbtEmulatorTest, HeldCreateCanBeAbandonedWithoutApplying) {
  emulator_.faults().AddRule(FaultRule::ForOperation("create_service_token", Fault::Hold()));
  auto pending = std::async(std::launch::async,
                            [this] { return Post(TokensPath(), R"({"name":"held"})", admin_); });
  ASSERT_TRUE(emulator_.faults().WaitForHeld(milliseconds(2000)));
  EXPECT_EQ(emulator_.Tokens(account_).size(), 1u);
  emulator_.faults().Release(HoldRelease::kDrop);
  EXPECT_FALSE(pending.get());
  EXPECT_EQ(emulator_.Tokens(account_).size(), 1u);
}

TEST_F(DbtEmulatorTest, HeldCreateCanBeReleasedToApply) {
  emulator_.faults().AddRule(FaultRule::ForOperation("create_service_token", Fault::Hold()));
  auto pending = std::async(std::launch::async,
                            [this] { return Post(TokensPath(), R"({"name":"held"})", admin_); });
  ASSERT_TRUE(emulator_.faults().WaitForHeld(milliseconds(2000)));
  emulator_.faults().Release(HoldRelease::kApply);
  auto response = pending.get();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(emulator_.ActiveTokens(account_).size(), 2u);
}

TEST_F(DbtEmulatorTest, RateLimitFaultWithRetryAfter) {
  emulator_.faults().AddRule(FaultRule::ForOperation(
      "list_service_tokens", Fault::Status(429, "", {{"Retry-After", "2"}})));
  auto response = Get(TokensPath(), admin_);
  EXPECT_EQ(response->status, 429);
  EXPECT_EQ(response->get_header_value("Retry-After"), "2");
}

TEST_F(DbtEmulatorTest, LatencyAppliesToEveryRequest) {
  emulator_.SetLatency(milliseconds(40));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Get(TokensPath(), admin_)->status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(40));
}

TEST_F(DbtEmulatorTest, ConcurrentCreatesAreAllDistinct) {
  constexpr int kThreads = 4;
  constexpr int kEach = 8;
  std::vector<std::future<std::vector<json>>> futures;
  for (int t = 0; t < kThreads; ++t) {
    futures.push_back(std::async(std::launch::async, [this, t] {
      std::vector<json> created;
      httplib::Client client = Client();
      for (int i = 0; i < kEach; ++i) {
        auto response =
            client.Post(TokensPath(), Auth(admin_), json{{"name", "t" + std::to_string(t)}}.dump(),
                        "application/json");
        if (response && response->status == 200) created.push_back(Body(response)["data"]);
      }
      return created;
    }));
  }
  std::set<std::int64_t> ids;
  std::set<std::string> tokens;
  for (auto& future : futures) {
    for (const auto& data : future.get()) {
      ids.insert(data["id"].get<std::int64_t>());
      tokens.insert(data["token_string"].get<std::string>());
    }
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(tokens.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(emulator_.ActiveTokens(account_).size(),
            static_cast<std::size_t>(kThreads * kEach + 1));
}

TEST_F(DbtEmulatorTest, SeedingErrors) {
  EXPECT_FALSE(emulator_.AddServiceToken(999, {"x", {}}).has_value());
  EXPECT_FALSE(emulator_.AddServiceToken(account_, {"", {}}).has_value());
  EXPECT_FALSE(emulator_.AddServiceToken(account_, {"x", {}, 3}).has_value());
  EXPECT_EQ(emulator_.Tokens(account_).size(), 1u);
  // Account ids: a taken id is not reused.
  EXPECT_NE(emulator_.CreateAccount("dup", 4242), 4242);
}

TEST(DbtTimestampTest, MicrosecondsAndUtcOffset) {
  EXPECT_EQ(FormatDbtTimestamp(SystemTime(std::chrono::microseconds(1787227200000001))),
            "2026-08-20T12:00:00.000001+00:00");
  EXPECT_EQ(FormatDbtTimestamp(SystemTime(std::chrono::seconds(0))),
            "1970-01-01T00:00:00.000000+00:00");
}

TEST(DbtServeTest, ServesInTheForegroundAndWritesSecretsOnlyToTheSecretsStream) {
  DbtServeOptions options;
  options.account_id = 55;
  options.extra_tokens.push_back(
      DbtSeedToken{"to-rotate", {DbtGrant{"job_admin", 12, std::nullopt}}});
  std::promise<void> ready;
  options.on_ready = [&ready] { ready.set_value(); };
  std::ostringstream secrets;
  std::ostringstream status;
  std::atomic<bool> stop{false};
  auto served = std::async(std::launch::async,
                           [&] { return ServeDbtCloudEmulator(options, secrets, status, stop); });
  ASSERT_EQ(ready.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);

  const json line = json::parse(secrets.str());
  EXPECT_EQ(line["account_id"], 55);
  ASSERT_EQ(line["tokens"].size(), 2u);
  EXPECT_EQ(line["tokens"][0]["name"], "dbt-rotate-sandbox-admin");
  EXPECT_EQ(line["tokens"][1]["name"], "to-rotate");
  const std::string admin = line["tokens"][0]["token"];
  const std::string base_url = line["base_url"];
  EXPECT_EQ(status.str().find(admin), std::string::npos);
  EXPECT_NE(status.str().find(base_url), std::string::npos);

  httplib::Client client(base_url);
  auto response =
      client.Get("/api/v3/accounts/55/service-tokens/", {{"Authorization", "Token " + admin}});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(json::parse(response->body)["extra"]["pagination"]["total_count"], 2);

  stop = true;
  ASSERT_EQ(served.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_TRUE(served.get().has_value());
  EXPECT_NE(status.str().find("stopped"), std::string::npos);
}

TEST(DbtServeTest, PortInUseIsAnError) {
  DbtCloudEmulator first;
  ASSERT_TRUE(first.Start().has_value());
  DbtServeOptions options;
  options.server.port = first.port();
  std::ostringstream secrets;
  std::ostringstream status;
  std::atomic<bool> stop{true};
  auto result = ServeDbtCloudEmulator(options, secrets, status, stop);
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().find(std::to_string(first.port())), std::string::npos);
  EXPECT_TRUE(secrets.str().empty());
}

}  // namespace
}  // namespace dbtrotate::emulators::testing
