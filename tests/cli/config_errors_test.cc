// Findings 7 and 13: configuration and input errors are exit 2, before anything is sent, with
// a message that says what is wrong and never echoes credentials.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "cli/cli_fixture.h"

namespace dbtrotate {
namespace {

class ConfigErrorsTest : public CliTest {
 protected:
  std::vector<std::string> EnvWith(const std::string& name, const std::string& value) {
    auto env = Env();
    std::erase_if(env, [&](const std::string& e) { return e.rfind(name + "=", 0) == 0; });
    env.push_back(name + "=" + value);
    return env;
  }
  // Exit 2, the message says `mentions`, and neither emulator saw a request.
  ProcessResult ExpectConfigError(const std::vector<std::string>& args, const std::string& mentions,
                                  std::vector<std::string> env = {}) {
    auto result = Run(args, std::move(env));
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find(mentions), std::string::npos) << mentions << " not in " << result.err;
    EXPECT_EQ(sm_.log().RequestCount(), 0u) << "a request reached Secrets Manager";
    EXPECT_EQ(dbt_.log().RequestCount(), 0u) << "a request reached dbt Cloud";
    return result;
  }
};

TEST_F(ConfigErrorsTest, PlainHttpAwsEndpointIsRefusedBeforeAnythingIsSent) {
  for (const std::string name : {"AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL"}) {
    auto env = EnvWith(name, "http://example.com");
    if (name == "AWS_ENDPOINT_URL") {
      std::erase_if(env, [](const std::string& e) {
        return e.rfind("AWS_ENDPOINT_URL_SECRETS_MANAGER=", 0) == 0;
      });
    }
    ExpectConfigError({"rotate", "--secret-id", kSecret}, name, env);
  }
}

TEST_F(ConfigErrorsTest, EndpointWithUserInfoIsRefusedWithoutEchoingIt) {
  for (const std::string url :
       {"https://admin:hunter2pass@secretsmanager.example.com", "https://admin:hunter2pass@",
        "http://admin:hunter2pass@127.0.0.1:9"}) {
    auto result =
        ExpectConfigError({"rotate", "--secret-id", kSecret}, "AWS_ENDPOINT_URL_SECRETS_MANAGER",
                          EnvWith("AWS_ENDPOINT_URL_SECRETS_MANAGER", url));
    EXPECT_EQ(result.err.find("hunter2pass"), std::string::npos) << result.err;
    EXPECT_EQ(result.out.find("hunter2pass"), std::string::npos) << result.out;
  }
}

TEST_F(ConfigErrorsTest, BadCaBundlesAreConfigurationErrors) {
  const std::string not_pem = scratch_.WriteFile("not-pem.crt", "this is not a certificate\n");
  const std::string directory = scratch_.path();
  ExpectConfigError({"rotate", "--secret-id", kSecret, "--ca-bundle", not_pem}, "PEM");
  ExpectConfigError({"rotate", "--secret-id", kSecret, "--ca-bundle", directory}, "is a directory");
  ExpectConfigError({"rotate", "--secret-id", kSecret, "--ca-bundle", "/dev/zero"},
                    "not a regular file");
  ExpectConfigError({"rotate", "--secret-id", kSecret, "--ca-bundle", "/nonexistent/ca.pem"},
                    "does not exist");
  ExpectConfigError({"status", "--secret-id", kSecret}, "AWS_CA_BUNDLE",
                    EnvWith("AWS_CA_BUNDLE", not_pem));
  ExpectConfigError({"status", "--secret-id", kSecret}, "AWS_CA_BUNDLE",
                    EnvWith("AWS_CA_BUNDLE", directory));
  ExpectConfigError({"status", "--secret-id", kSecret}, "SSL_CERT_FILE",
                    EnvWith("SSL_CERT_FILE", not_pem));
}

TEST_F(ConfigErrorsTest, PermissionsFileThatIsNotARegularFileOrTooBig) {
  ExpectConfigError({"rotate", "--secret-id", kSecret, "--permissions", scratch_.path()},
                    "is a directory");
  ExpectConfigError({"rotate", "--secret-id", kSecret, "--permissions", "/dev/zero"},
                    "not a regular file");
  const std::string fifo = scratch_.path() + "/grants.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ExpectConfigError({"rotate", "--secret-id", kSecret, "--permissions", fifo},
                    "not a regular file");
  const std::string big = scratch_.WriteFile("big.yaml", std::string((1 << 20) + 1, '#'));
  ExpectConfigError({"rotate", "--secret-id", kSecret, "--permissions", big}, "1 MiB");
}

TEST_F(ConfigErrorsTest, InitRefusesATokenLongerThanFourKiB) {
  const std::vector<std::string> args = {"init", "--secret-id", "dbt/new", "--token-id", "5"};
  auto from_stdin = Run(args, {}, "dbtc_" + std::string(5000, 'a') + "\n");
  EXPECT_EQ(from_stdin.exit_code, 2) << from_stdin.err;
  EXPECT_NE(from_stdin.err.find("larger than a token"), std::string::npos) << from_stdin.err;
  auto from_env = Run(args, EnvWith("DBT_CLOUD_TOKEN", "dbtc_" + std::string(5000, 'a')));
  EXPECT_EQ(from_env.exit_code, 2) << from_env.err;
  EXPECT_NE(from_env.err.find("4 KiB"), std::string::npos) << from_env.err;
  EXPECT_EQ(Writes(), 0u);
  EXPECT_EQ(sm_.store().SecretNames().size(), 1u);
}

}  // namespace
}  // namespace dbtrotate
