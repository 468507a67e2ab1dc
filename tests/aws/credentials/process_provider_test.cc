#include "aws/credentials/process_provider.h"

#include <gtest/gtest.h>

#include <fstream>

#include "aws/credentials/test_support.h"

namespace dbtrotate::aws {
namespace {

using testing::TempDir;
using testing::Utc;

class ProcessProviderTest : public ::testing::Test {
 protected:
  ProcessProviderTest() : clock_(Utc(2026, 8, 30, 12, 0, 0)) {}

  // A credential helper script that prints `json` (and counts its runs in a file).
  std::string Helper(const std::string& json, int exit_code = 0, const std::string& err = "") {
    std::string body = "#!/bin/sh\necho run >> '" + dir_.path() + "/runs'\n";
    if (!err.empty()) body += "echo '" + err + "' >&2\n";
    body += "cat <<'EOF'\n" + json + "\nEOF\nexit " + std::to_string(exit_code) + "\n";
    return dir_.Write("helper with space.sh", body, 0755);
  }

  int Runs() {
    std::ifstream in(dir_.path() + "/runs");
    int lines = 0;
    std::string line;
    while (std::getline(in, line)) ++lines;
    return lines;
  }

  CredentialsResult Resolve(const std::string& command) {
    provider_ = MakeProcessProvider({command, "proc", ProcessLimits{}}, runner_, clock_);
    return provider_->Resolve();
  }

  TempDir dir_;
  FakeClock clock_;
  PosixProcessRunner runner_;
  std::unique_ptr<CredentialsProvider> provider_;
};

TEST_F(ProcessProviderTest, ReadsVersion1Json) {
  std::string script = Helper(
      R"({"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "proc-secret",
          "SessionToken": "proc-token", "Expiration": "2026-08-30T13:00:00Z", "AccountId": "1"})");
  auto result = Resolve("'" + script + "' --json");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ((*result)->access_key_id, "ASIAPROC");
  EXPECT_EQ((*result)->secret_access_key.expose(), "proc-secret");
  EXPECT_EQ((*result)->session_token.expose(), "proc-token");
  EXPECT_EQ((*result)->expiration, Utc(2026, 8, 30, 13, 0, 0));
  EXPECT_EQ((*result)->source, "credential_process (profile proc)");
}

TEST_F(ProcessProviderTest, RunsAgainBeforeExpiry) {
  std::string script = Helper(
      R"({"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "2026-08-30T13:00:00Z"})");
  auto provider =
      MakeProcessProvider({"\"" + script + "\"", "proc", ProcessLimits{}}, runner_, clock_);
  ASSERT_TRUE(provider->Resolve());
  ASSERT_TRUE(provider->Resolve());
  EXPECT_EQ(Runs(), 1);
  clock_.Advance(std::chrono::minutes(46));  // 14 minutes before the expiration
  ASSERT_TRUE(provider->Resolve());
  EXPECT_EQ(Runs(), 2);
}

TEST_F(ProcessProviderTest, NoExpirationMeansRunOnce) {
  std::string script = Helper(R"({"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S"})");
  auto provider =
      MakeProcessProvider({"'" + script + "'", "proc", ProcessLimits{}}, runner_, clock_);
  ASSERT_TRUE(provider->Resolve());
  clock_.Advance(std::chrono::hours(48));
  auto again = provider->Resolve();
  ASSERT_TRUE(again);
  EXPECT_TRUE((*again)->session_token.empty());
  EXPECT_FALSE((*again)->expiration);
  EXPECT_EQ(Runs(), 1);
}

TEST_F(ProcessProviderTest, NonZeroExitReportsStderr) {
  std::string script = Helper("{}", 2, "token expired, run login");
  auto result = Resolve("'" + script + "'");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("exited with status 2: token expired, run login"),
            std::string::npos)
      << result.error().message;
}

struct BadOutput {
  std::string json;
  const char* expected;
};

class ProcessBadOutputTest : public ProcessProviderTest,
                             public ::testing::WithParamInterface<BadOutput> {};

TEST_P(ProcessBadOutputTest, ClearError) {
  std::string script = Helper(GetParam().json);
  auto result = Resolve("'" + script + "'");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find(GetParam().expected), std::string::npos)
      << result.error().message;
  EXPECT_EQ(result.error().message.find("TOPSECRET"), std::string::npos) << result.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Outputs, ProcessBadOutputTest,
    ::testing::Values(
        BadOutput{"not json TOPSECRET", "returned a body that is not JSON"},
        BadOutput{"[1, 2]", "returned JSON that is not an object"},
        BadOutput{R"({"AccessKeyId": "A", "SecretAccessKey": "TOPSECRET"})",
                  "without \"Version\": 1"},
        BadOutput{R"({"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "TOPSECRET"})",
                  "unsupported \"Version\""},
        BadOutput{R"({"Version": 1, "SecretAccessKey": "TOPSECRET"})", "returned no AccessKeyId"},
        BadOutput{R"({"Version": 1, "AccessKeyId": "A"})", "returned no SecretAccessKey"},
        BadOutput{R"({"Version": 1, "AccessKeyId": 7, "SecretAccessKey": "TOPSECRET"})",
                  "AccessKeyId that is not a string"},
        BadOutput{
            R"({"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "TOPSECRET", "Expiration": "soon"})",
            "Expiration that is not an ISO 8601 timestamp"},
        BadOutput{
            R"({"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "TOPSECRET", "SecretAccessKey": "B"})",
            "has the key 'SecretAccessKey' twice"},
        BadOutput{R"({"Version": 1, "AccessKeyId": "A", "X": )" + std::string(20000, '[') +
                      std::string(20000, ']') + "}",
                  "is nested deeper than 64 levels (in top-level key 'X')"}));

TEST_F(ProcessProviderTest, BadCommandLines) {
  auto unterminated = Resolve("'/bin/true");
  ASSERT_FALSE(unterminated);
  EXPECT_NE(unterminated.error().message.find("cannot be parsed: unterminated ' quote"),
            std::string::npos);
  auto missing = Resolve(dir_.path() + "/nope");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("credential_process of profile proc failed: cannot start"),
            std::string::npos)
      << missing.error().message;
}

TEST_F(ProcessProviderTest, NoShellIsInvolved) {
  // With a shell, `;` would run a second command and the redirect would create a file.
  std::string script = Helper(R"({"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S"})");
  auto result = Resolve("'" + script + "' ; touch '" + dir_.path() + "/pwned'");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_FALSE(std::ifstream(dir_.path() + "/pwned").good());
}

}  // namespace
}  // namespace dbtrotate::aws
