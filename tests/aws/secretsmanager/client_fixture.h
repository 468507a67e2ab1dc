#ifndef DBTROTATE_TESTS_AWS_SECRETSMANAGER_CLIENT_FIXTURE_H_
#define DBTROTATE_TESTS_AWS_SECRETSMANAGER_CLIENT_FIXTURE_H_

// A SecretsManagerClient wired to fakes, plus helpers that look at what went over the wire.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "aws/secretsmanager/client.h"
#include "aws/secretsmanager/fakes.h"
#include "core/clock.h"

namespace dbtrotate::aws::testing {

inline SystemTime TestStart() {
  using namespace std::chrono;
  return sys_days{year{2026} / 8 / 30} + hours{12};
}

class ClientTest : public ::testing::Test {
 protected:
  explicit ClientTest(std::string endpoint = "https://secretsmanager.us-east-1.amazonaws.com",
                      RetryConfig retry = {})
      : client_(std::make_unique<SecretsManagerClient>(http_, credentials_, std::move(endpoint),
                                                       "us-east-1", clock_, random_, retry)) {}

  void Recreate(std::string endpoint, std::string region = "us-east-1", RetryConfig retry = {}) {
    client_ = std::make_unique<SecretsManagerClient>(http_, credentials_, std::move(endpoint),
                                                     std::move(region), clock_, random_, retry);
  }

  SecretsManagerClient& client() { return *client_; }

  const http::Request& LastRequest() {
    EXPECT_FALSE(http_.requests().empty());
    return http_.requests().back();
  }

  static nlohmann::json BodyOf(const http::Request& request) {
    return nlohmann::json::parse(request.body);
  }

  /// Checks the request's SigV4 signature the way a server would, with `secret_key`.
  static ::testing::AssertionResult SignedWith(const http::Request& request,
                                               std::string_view secret_key, SystemTime now);

  FakeClock clock_{TestStart()};
  FixedRandom random_{0.5};
  ScriptedHttpClient http_;
  FakeCredentialsProvider credentials_;
  std::unique_ptr<SecretsManagerClient> client_;
};

}  // namespace dbtrotate::aws::testing

#endif  // DBTROTATE_TESTS_AWS_SECRETSMANAGER_CLIENT_FIXTURE_H_
