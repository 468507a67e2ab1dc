#ifndef DBTROTATE_TESTS_EMULATORS_DBTCLOUD_DBT_FIXTURE_H_
#define DBTROTATE_TESTS_EMULATORS_DBTCLOUD_DBT_FIXTURE_H_

// A started dbt Cloud emulator with one account and an account_admin token, a fake clock and
// a seeded random source, plus an httplib client that speaks to it like a real client would.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/clock.h"
#include "core/random.h"
#include "emulators/dbtcloud/dbtcloud_emulator.h"

namespace dbtrotate::emulators::testing {

// 2026-08-20T12:00:00Z
inline SystemTime FixtureStart() { return SystemTime(std::chrono::seconds(1787227200)); }

class DbtEmulatorTest : public ::testing::Test {
 protected:
  DbtEmulatorTest() : clock_(FixtureStart()), random_(20260820), emulator_(Options()) {}

  DbtCloudEmulatorOptions Options() {
    DbtCloudEmulatorOptions options;
    options.clock = &clock_;
    options.random = &random_;
    return options;
  }

  void SetUp() override {
    auto started = emulator_.Start();
    ASSERT_TRUE(started.has_value()) << started.error();
    account_ = emulator_.CreateAccount("Acme", 4242);
    auto admin = emulator_.AddServiceToken(account_, {"admin", DbtAdminGrants()});
    ASSERT_TRUE(admin.has_value()) << admin.error();
    admin_id_ = admin->id;
    admin_ = std::string(admin->token_string.expose());
  }

  std::string TokensPath(std::int64_t account = 0) const {
    return "/api/v3/accounts/" + std::to_string(account == 0 ? account_ : account) +
           "/service-tokens/";
  }
  std::string TokenPath(std::int64_t id) const { return TokensPath() + std::to_string(id) + "/"; }
  std::string PermissionsPath(std::int64_t id) const { return TokenPath(id) + "permissions/"; }

  httplib::Client Client() {
    httplib::Client client(emulator_.base_url());
    client.set_read_timeout(std::chrono::seconds(5));
    return client;
  }
  static httplib::Headers Auth(const std::string& token, const std::string& scheme = "Token") {
    return {{"Authorization", scheme + " " + token}, {"Accept", "application/json"}};
  }

  httplib::Result Get(const std::string& path, const std::string& token) {
    return Client().Get(path, Auth(token));
  }
  httplib::Result Post(const std::string& path, const std::string& body, const std::string& token) {
    return Client().Post(path, Auth(token), body, "application/json");
  }
  httplib::Result Put(const std::string& path, const std::string& body, const std::string& token) {
    return Client().Put(path, Auth(token), body, "application/json");
  }
  httplib::Result Delete(const std::string& path, const std::string& token) {
    return Client().Delete(path, Auth(token));
  }

  /// Creates a token through the API; returns the create response's `data`.
  nlohmann::json CreateViaApi(const nlohmann::json& body) {
    auto response = Post(TokensPath(), body.dump(), admin_);
    EXPECT_TRUE(response);
    if (!response) return nullptr;
    EXPECT_EQ(response->status, 200) << response->body;
    return nlohmann::json::parse(response->body, nullptr, false)["data"];
  }

  static nlohmann::json Body(const httplib::Result& response) {
    return nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  }

  FakeClock clock_;
  SeededRandom random_;
  DbtCloudEmulator emulator_;
  std::int64_t account_ = 0;
  std::int64_t admin_id_ = 0;
  std::string admin_;
};

}  // namespace dbtrotate::emulators::testing

#endif  // DBTROTATE_TESTS_EMULATORS_DBTCLOUD_DBT_FIXTURE_H_
