#include "aws/credentials/ini.h"

#include <gtest/gtest.h>

namespace dbtrotate::aws {
namespace {

TEST(IniTest, ParsesSectionsValuesAndComments) {
  auto ini = ParseIni(
      "# leading comment\n"
      "; another\n"
      "[default]\n"
      "aws_access_key_id = AKIDEXAMPLE\n"
      "  # indented comment\n"
      "Region=eu-west-1\n"
      "output :  json  \n"
      "\n"
      "[profile dev]   # trailing comment on a header\n"
      "role_arn = arn:aws:iam::123456789012:role/Rotator\n",
      "cfg");
  ASSERT_TRUE(ini) << ini.error();
  ASSERT_EQ(ini->sections.size(), 2u);
  const IniSection* def = ini->Find("default");
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(*def->Value("aws_access_key_id"), "AKIDEXAMPLE");
  EXPECT_EQ(*def->Value("region"), "eu-west-1") << "names are lowercased";
  EXPECT_EQ(*def->Value("output"), "json");
  const IniSection* dev = ini->Find("profile dev");
  ASSERT_NE(dev, nullptr);
  EXPECT_EQ(dev->line, 9);
  EXPECT_EQ(*dev->Value("role_arn"), "arn:aws:iam::123456789012:role/Rotator")
      << "the first delimiter splits; colons in the value stay";
}

TEST(IniTest, NoInlineCommentsInValues) {
  auto ini = ParseIni("[default]\nregion = us-east-1 # prod\n", "cfg");
  ASSERT_TRUE(ini);
  EXPECT_EQ(*ini->Find("default")->Value("region"), "us-east-1 # prod");
}

TEST(IniTest, IndentedBlockUnderEmptyValueIsSubProperties) {
  auto ini = ParseIni(
      "[services local]\n"
      "secrets_manager =\n"
      "  endpoint_url = http://127.0.0.1:4566\n"
      "\n"
      "  Signature_Version = v4\n"
      "sts =\n"
      "\tendpoint_url = http://127.0.0.1:4567\n",
      "cfg");
  ASSERT_TRUE(ini) << ini.error();
  const IniSection* services = ini->Find("services local");
  ASSERT_NE(services, nullptr);
  EXPECT_EQ(*services->Value("secrets_manager"), "");
  const auto& sm = services->sub_properties.at("secrets_manager");
  EXPECT_EQ(sm.at("endpoint_url"), "http://127.0.0.1:4566");
  EXPECT_EQ(sm.at("signature_version"), "v4");
  EXPECT_EQ(services->sub_properties.at("sts").at("endpoint_url"), "http://127.0.0.1:4567");
}

TEST(IniTest, IndentedLineAfterNonEmptyValueContinuesIt) {
  auto ini = ParseIni("[default]\nnote = first\n   second\nnext = x\n", "cfg");
  ASSERT_TRUE(ini);
  EXPECT_EQ(*ini->Find("default")->Value("note"), "first\nsecond");
  EXPECT_EQ(*ini->Find("default")->Value("next"), "x");
}

TEST(IniTest, CrLfLineEndings) {
  auto ini = ParseIni("[default]\r\nregion = us-west-2\r\n", "cfg");
  ASSERT_TRUE(ini);
  EXPECT_EQ(*ini->Find("default")->Value("region"), "us-west-2");
}

struct BadIni {
  const char* text;
  const char* expected;  // a fragment of the message
};

class IniErrorTest : public ::testing::TestWithParam<BadIni> {};

TEST_P(IniErrorTest, ReportsFileLineAndProblem) {
  auto ini = ParseIni(GetParam().text, "/home/u/.aws/config");
  ASSERT_FALSE(ini);
  EXPECT_NE(ini.error().find("/home/u/.aws/config:"), std::string::npos) << ini.error();
  EXPECT_NE(ini.error().find(GetParam().expected), std::string::npos) << ini.error();
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, IniErrorTest,
    ::testing::Values(BadIni{"region = x\n", ":1: setting \"region\" appears before any [section]"},
                      BadIni{"[default\nx = 1\n", ":1: section header without a closing ']'"},
                      BadIni{"[]\n", ":1: empty section name"},
                      BadIni{"[default] junk\n", "unexpected text after the section header"},
                      BadIni{"[default]\njust words\n", ":2: expected \"name = value\""},
                      BadIni{"[default]\n= value\n", ":2: setting with an empty name"},
                      BadIni{"[default]\na = 1\nA = 2\n", ":3: \"a\" is set twice in [default]"},
                      BadIni{"[a]\n[b]\n[a]\n", ":3: section [a] appears twice (first at line 1)"},
                      BadIni{"[s]\nsm =\n  no equals here\n",
                             ":3: expected \"name = value\" in the block under \"sm\""}));

TEST(IniTest, ErrorsNeverQuoteValues) {
  auto ini = ParseIni(
      "[default]\naws_secret_access_key = SECRETVALUE\naws_secret_access_key = "
      "OTHERSECRET\n",
      "cfg");
  ASSERT_FALSE(ini);
  EXPECT_EQ(ini.error().find("SECRET"), std::string::npos) << ini.error();
}

}  // namespace
}  // namespace dbtrotate::aws
