// Finding 9 (terminal injection): names and messages from dbt Cloud, AWS or the command line
// reach the terminal only with their control characters made visible.

#include <gtest/gtest.h>

#include <string>

#include "cli/cli_fixture.h"

namespace dbtrotate {
namespace {

// A name that would forge a result line, retitle the terminal, clear the screen and use a C1
// CSI, a DEL, a NUL and a right-to-left override.
std::string HostileName() {
  return std::string(
             "evil\nrotated: token 1 'fake'\r\x1b]0;pwned\x07\x1b[2J\xc2\x9b"
             "31m") +
         std::string("\x7f\0end\xe2\x80\xae", 8);
}

// Only newlines that end lines, no other byte a terminal acts on.
void ExpectTerminalSafe(const std::string& text, const char* stream) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    EXPECT_FALSE((c < 0x20 && c != '\n') || c == 0x7f)
        << stream << " has raw control byte " << int(c) << " at " << i << ": " << text;
  }
  EXPECT_EQ(text.find("\xc2\x9b"), std::string::npos) << stream << " has a raw C1 CSI";
  EXPECT_EQ(text.find("\xe2\x80\xae"), std::string::npos) << stream << " has a raw RLO";
  EXPECT_EQ(text.find("\nrotated: token 1"), std::string::npos) << stream << " has a forged line";
}

class TerminalOutputTest : public CliTest {
 protected:
  void SeedHostileSecret() {
    auto token = dbt_.AddServiceToken(account_, {HostileName(), emulators::DbtAdminGrants()});
    ASSERT_TRUE(token) << token.error();
    hostile_id_ = token->id;
    tokens_seen_.push_back(std::string(token->token_string.expose()));
    SeedSecret("dbt/hostile", hostile_id_, token->token_string);
  }
  std::int64_t hostile_id_ = 0;
};

TEST_F(TerminalOutputTest, HostileTokenNameIsEscapedInRotateProgressAndReport) {
  SeedHostileSecret();
  auto result = Run({"rotate", "--secret-id", "dbt/hostile"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ExpectTerminalSafe(result.out, "stdout");
  ExpectTerminalSafe(result.err, "stderr");
  EXPECT_NE(result.err.find("evil\\nrotated: token 1 'fake'\\r\\x1b]0;pwned\\x07\\x1b[2J"),
            std::string::npos)
      << result.err;
  EXPECT_NE((result.out + result.err).find("\\u009b31m\\x7f\\x00end\\u202e"), std::string::npos)
      << result.out << result.err;
}

TEST_F(TerminalOutputTest, HostileTokenNameIsEscapedInStatus) {
  SeedHostileSecret();
  auto result = Run({"status", "--secret-id", "dbt/hostile"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ExpectTerminalSafe(result.out, "stdout");
  ExpectTerminalSafe(result.err, "stderr");
  EXPECT_NE(result.out.find("evil\\nrotated"), std::string::npos) << result.out;
}

TEST_F(TerminalOutputTest, JsonOutputKeepsTheExactName) {
  SeedHostileSecret();
  auto result =
      Run({"--quiet", "rotate", "--secret-id", "dbt/hostile", "--dry-run", "--output", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto report = json::parse(result.out);
  EXPECT_EQ(report["plan"]["token_name"], HostileName());
  ExpectTerminalSafe(result.out, "stdout");  // nlohmann escapes every control character
}

TEST_F(TerminalOutputTest, HostileSecretIdIsEscapedInErrors) {
  const std::string id = "dbt/\x1b]0;pwned\x07\nrotated: fake";
  auto result = Run({"rotate", "--secret-id", id});
  EXPECT_NE(result.exit_code, 0);
  ExpectTerminalSafe(result.out, "stdout");
  ExpectTerminalSafe(result.err, "stderr");
  EXPECT_NE(result.err.find("\\x1b]0;pwned\\x07\\nrotated: fake"), std::string::npos) << result.err;
}

TEST_F(TerminalOutputTest, HostileServerErrorMessageIsEscaped) {
  dbt_.faults().AddRule(emulators::FaultRule::ForOperation(
      "create_service_token",
      emulators::Fault::Status(
          400,
          R"({"status": {"code": 400, "is_success": false, "user_message": "bad\u001b[2J\nrotated: fake", "developer_message": "\u009b"}, "data": null})"),
      -1));
  auto result = Run({"rotate", "--secret-id", kSecret});
  EXPECT_NE(result.exit_code, 0);
  ExpectTerminalSafe(result.out, "stdout");
  ExpectTerminalSafe(result.err, "stderr");
}

TEST_F(TerminalOutputTest, BadFlagValueIsEscapedInUsageErrors) {
  auto result = Run({"rotate", "--secret-id", kSecret, "--output", "\x1b]0;pwned\x07"});
  EXPECT_EQ(result.exit_code, 2);
  ExpectTerminalSafe(result.err, "stderr");
}

}  // namespace
}  // namespace dbtrotate
