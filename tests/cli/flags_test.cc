// Findings 2, 3 and 6: every option refuses an empty value, a value that looks like a flag, a
// number that is not plain decimal or is out of range, and an unusable timeout, with exit 2
// and nothing written.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_fixture.h"

namespace dbtrotate {
namespace {

class FlagsTest : public CliTest {
 protected:
  // A run that must stop with exit 2, saying `mentions`, before anything is written.
  void ExpectUsageError(const std::vector<std::string>& args, const std::string& mentions,
                        std::vector<std::string> env = {}) {
    std::string joined;
    for (const auto& arg : args) joined += arg + " ";
    auto result = Run(args, std::move(env), "dbtc_not-a-real-token-for-flag-tests\n");
    EXPECT_EQ(result.exit_code, 2) << joined << "\n" << result.out << result.err;
    EXPECT_NE(result.err.find(mentions), std::string::npos)
        << joined << ": '" << mentions << "' not in: " << result.err;
    EXPECT_EQ(Writes(), 0u) << joined;
  }
};

// The reported case: "--token-name= --dry-run" made a real rotation of a token named --dry-run.
TEST_F(FlagsTest, EmptyAttachedValueDoesNotSwallowTheNextArgument) {
  ExpectUsageError({"rotate", "--secret-id", kSecret, "--token-name=", "--dry-run"},
                   "--token-name: empty value");
  EXPECT_EQ(ActiveTokens().size(), 1u);
  EXPECT_EQ(ActiveTokens()[0].id, admin_id_);
}

TEST_F(FlagsTest, EveryValueOptionOfEverySubcommandRefusesAnEmptyValue) {
  const std::vector<std::string> connection = {"--account-id", "--access-url", "--region",
                                               "--profile",    "--ca-bundle",  "--timeout"};
  struct Command {
    std::vector<std::string> base;
    std::vector<std::string> options;
  };
  std::vector<Command> commands = {
      {{"rotate", "--secret-id", kSecret},
       {"--token-name", "--permissions", "--overlap", "--manager-secret-id", "--min-age",
        "--output"}},
      {{"status", "--secret-id", kSecret}, {"--manager-secret-id", "--output"}},
      {{"init", "--secret-id", "dbt/new", "--token-id", "5"},
       {"--manager-secret-id", "--description", "--output"}},
      {{"sandbox"}, {"--latency-ms", "--output"}},
  };
  for (auto& command : commands) {
    if (command.base[0] != "sandbox") {
      command.options.insert(command.options.end(), connection.begin(), connection.end());
    }
  }
  commands[0].options.push_back("--secret-id");
  commands[2].options.push_back("--token-id");
  for (const auto& command : commands) {
    for (const auto& option : command.options) {
      auto attached = command.base;
      attached.push_back(option + "=");
      attached.push_back("--dry-run");
      ExpectUsageError(attached, option + ": empty value");
      auto separate = command.base;
      separate.push_back(option);
      separate.push_back("");
      ExpectUsageError(separate, option + ": empty value");
    }
  }
  // emulate: the service comes last, so an option that swallowed it could never serve.
  for (const std::string option : {"--port", "--host", "--secrets-file"}) {
    ExpectUsageError({"emulate", option + "=", "dbtcloud"}, option + ": empty value");
    ExpectUsageError({"emulate", option, "", "dbtcloud"}, option + ": empty value");
  }
  EXPECT_EQ(ActiveTokens().size(), 1u);
}

TEST_F(FlagsTest, ValuesThatLookLikeFlagsAreRefused) {
  ExpectUsageError({"rotate", "--secret-id", kSecret, "--token-name=--dry-run"}, "--token-name");
  ExpectUsageError({"rotate", "--secret-id", kSecret, "--token-name", "--dry-run"}, "--token-name");
  ExpectUsageError({"rotate", "--secret-id=--force"}, "--secret-id");
  ExpectUsageError({"rotate", "--secret-id", kSecret, "--permissions=-x", "--dry-run"},
                   "--permissions");
  EXPECT_EQ(ActiveTokens()[0].id, admin_id_);
}

TEST_F(FlagsTest, IntegersAreDecimalOnlyAndRangeChecked) {
  const std::vector<std::string> base = {"rotate", "--secret-id", kSecret, "--dry-run"};
  for (const std::string bad : {"0x10", "1e3", "+5", "-5", " 5", "5 ", "0", "5.0",
                                "99999999999999999999", "9223372036854775808"}) {
    auto args = base;
    args.insert(args.end(), {"--account-id", bad});
    ExpectUsageError(args, "--account-id");
  }
  auto env = Env();
  std::erase_if(env, [](const std::string& e) { return e.rfind("DBT_CLOUD_ACCOUNT_ID=", 0) == 0; });
  for (const std::string bad : {"0x10", "99999999999999999999", "-5", "0"}) {
    auto with_bad = env;
    with_bad.push_back("DBT_CLOUD_ACCOUNT_ID=" + bad);
    ExpectUsageError(base, "DBT_CLOUD_ACCOUNT_ID", with_bad);
  }
  for (const std::string bad : {"0x50", "65536", "-1", "080x"}) {
    // No AWS keys: if the port were accepted, the emulator would refuse to start anyway.
    ExpectUsageError({"emulate", "secretsmanager", "--port", bad}, "--port",
                     {"HOME=" + scratch_.path()});
  }
  for (const std::string bad : {"5001", "0x10", "1e3"}) {
    ExpectUsageError({"sandbox", "--latency-ms", bad}, "--latency-ms");
  }
}

// "--token-id 02041" stored token 1057 (octal): a leading zero is still decimal.
TEST_F(FlagsTest, LeadingZerosAreDecimalNeverOctal) {
  auto job = dbt_.AddServiceToken(account_, {"job-runner", {{"job_runner", 7, std::nullopt}}});
  ASSERT_TRUE(job);
  tokens_seen_.push_back(std::string(job->token_string.expose()));
  auto result = Run({"init", "--secret-id", "dbt/job", "--token-id", "0" + std::to_string(job->id),
                     "--access-url", dbt_.base_url(), "--account-id",
                     "00" + std::to_string(account_), "--manager-secret-id", kSecret},
                    {}, std::string(job->token_string.expose()) + "\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto value = CurrentValue("dbt/job");
  EXPECT_EQ(value["service_token_id"], job->id);
  EXPECT_EQ(value["account_id"], account_);
}

TEST_F(FlagsTest, TimeoutMustBeAFiniteNumberOfSecondsInRange) {
  for (const std::string bad :
       {"0.0001", "0.5", "0", "601", "1e9", "nan", "inf", "-1", "0x10", "1.", ".5", "30s"}) {
    ExpectUsageError({"rotate", "--secret-id", kSecret, "--dry-run", "--timeout", bad},
                     "--timeout");
  }
  for (const std::string good : {"1", "2.5", "600"}) {
    auto result = Run({"rotate", "--secret-id", kSecret, "--dry-run", "--timeout", good});
    EXPECT_EQ(result.exit_code, 0) << good << ": " << result.err;
  }
}

}  // namespace
}  // namespace dbtrotate
