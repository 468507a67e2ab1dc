// `rotate` opens its dbt connections while Secrets Manager is read (http/preconnect.h), and
// the round-2 reads ride them: checked by when the dbt emulator accepted each connection.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "cli/cli_fixture.h"

namespace dbtrotate {
namespace {

using std::chrono::steady_clock;

class PreconnectCliTest : public CliTest {
 protected:
  // Secrets Manager slow enough that any dbt connection opened after its answer is visibly
  // late; dbt itself at full speed.
  void SetUp() override {
    CliTest::SetUp();
    sm_.SetLatency(std::chrono::milliseconds(150));
    started_ = steady_clock::now();
  }

  steady_clock::time_point SecretReadAnswered() {
    for (const auto& record : sm_.log().Log()) {
      if (record.operation == "GetSecretValue") return record.finished_at;
    }
    ADD_FAILURE() << "no GetSecretValue";
    return steady_clock::now();
  }

  std::vector<steady_clock::time_point> DbtAccepts() {
    auto accepts = dbt_.faults().AcceptTimes();
    accepts.erase(
        std::remove_if(accepts.begin(), accepts.end(), [this](auto at) { return at < started_; }),
        accepts.end());
    return accepts;
  }

  steady_clock::time_point started_;
};

TEST_F(PreconnectCliTest, DbtConnectionsOpenWhileSecretsManagerIsReadAndCarryTheReads) {
  auto result = Run({"--quiet", "rotate", "--secret-id", kSecret, "--force"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto answered = SecretReadAnswered();
  const auto accepts = DbtAccepts();
  ASSERT_EQ(accepts.size(), 2u) << "the two concurrent dbt reads need two connections, no more";
  for (const auto at : accepts) EXPECT_LT(at, answered);
  EXPECT_EQ(sm_.faults().ConnectionCount(), 2u);
}

TEST_F(PreconnectCliTest, NothingIsOpenedAheadWhenAProxyWouldCarryTheRequests) {
  // Plain http to loopback never uses a proxy (the emulators still answer directly), but a
  // connection opened ahead would go around any proxy, so none is opened.
  auto env = Env();
  env.push_back("ALL_PROXY=http://127.0.0.1:9");
  auto result = Run({"--quiet", "rotate", "--secret-id", kSecret, "--force"}, env);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto answered = SecretReadAnswered();
  const auto accepts = DbtAccepts();
  ASSERT_FALSE(accepts.empty());
  for (const auto at : accepts) EXPECT_GT(at, answered);
}

TEST_F(PreconnectCliTest, WithoutAKnownDbtHostOnlySecretsManagerIsOpenedAhead) {
  // The host then comes from the secret itself; the run still rotates.
  auto stored = CurrentValue(kSecret);
  stored["access_url"] = dbt_.base_url();
  stored["account_id"] = account_;
  ASSERT_TRUE(sm_.store().SeedSecret("dbt/stored-host", stored.dump()));
  auto env = Env();
  env.erase(std::remove_if(env.begin(), env.end(),
                           [](const std::string& v) { return v.rfind("DBT_CLOUD_", 0) == 0; }),
            env.end());
  auto result = Run({"--quiet", "rotate", "--secret-id", "dbt/stored-host", "--force"}, env);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto accepts = DbtAccepts();
  ASSERT_FALSE(accepts.empty());
  for (const auto at : accepts) EXPECT_GT(at, SecretReadAnswered());
}

}  // namespace
}  // namespace dbtrotate
