#include "aws/credentials/endpoints.h"

#include <gtest/gtest.h>

#include "aws/credentials/test_support.h"

namespace dbtrotate::aws {
namespace {

struct RuleCase {
  const char* region;
  bool fips;
  bool dual_stack;
  const char* expected;  // URL, or "!" + message fragment
};

// `url` is what the rule set gave for `c`: the expected URL, or an error containing the text
// after "!".
template <class UrlResult>
void ExpectRuleOutcome(const UrlResult& url, const RuleCase& c) {
  std::string expected = c.expected;
  if (expected[0] == '!') {
    ASSERT_FALSE(url) << *url;
    EXPECT_NE(url.error().find(expected.substr(1)), std::string::npos) << url.error();
  } else {
    ASSERT_TRUE(url) << url.error();
    EXPECT_EQ(*url, expected);
  }
}

class SecretsManagerRulesTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(SecretsManagerRulesTest, MatchesTheRuleSet) {
  const RuleCase& c = GetParam();
  ExpectRuleOutcome(SecretsManagerEndpointFromRules(c.region, EndpointFlags{c.fips, c.dual_stack}),
                    c);
}

INSTANTIATE_TEST_SUITE_P(
    AllPartitions, SecretsManagerRulesTest,
    ::testing::Values(
        RuleCase{"us-east-1", false, false, "https://secretsmanager.us-east-1.amazonaws.com"},
        RuleCase{"eu-central-2", false, false, "https://secretsmanager.eu-central-2.amazonaws.com"},
        RuleCase{"il-central-1", false, false, "https://secretsmanager.il-central-1.amazonaws.com"},
        RuleCase{"mx-central-1", false, false, "https://secretsmanager.mx-central-1.amazonaws.com"},
        RuleCase{"us-east-1", true, false, "https://secretsmanager-fips.us-east-1.amazonaws.com"},
        RuleCase{"ca-west-1", true, false, "https://secretsmanager-fips.ca-west-1.amazonaws.com"},
        RuleCase{"us-east-1", false, true, "https://secretsmanager.us-east-1.amazonaws.com"},
        RuleCase{"us-east-1", true, true, "https://secretsmanager-fips.us-east-1.amazonaws.com"},
        RuleCase{"cn-north-1", false, false, "https://secretsmanager.cn-north-1.amazonaws.com.cn"},
        RuleCase{"cn-northwest-1", true, false,
                 "https://secretsmanager-fips.cn-northwest-1.amazonaws.com.cn"},
        RuleCase{"cn-north-1", false, true, "https://secretsmanager.cn-north-1.amazonaws.com.cn"},
        RuleCase{"cn-north-1", true, true,
                 "https://secretsmanager-fips.cn-north-1.api.amazonwebservices.com.cn"},
        RuleCase{"us-gov-west-1", false, false,
                 "https://secretsmanager.us-gov-west-1.amazonaws.com"},
        RuleCase{"us-gov-east-1", true, false,
                 "https://secretsmanager-fips.us-gov-east-1.amazonaws.com"},
        RuleCase{"us-gov-west-1", true, true,
                 "https://secretsmanager-fips.us-gov-west-1.amazonaws.com"},
        RuleCase{"us-iso-east-1", false, false, "https://secretsmanager.us-iso-east-1.c2s.ic.gov"},
        RuleCase{"us-isob-east-1", false, false,
                 "https://secretsmanager.us-isob-east-1.sc2s.sgov.gov"},
        RuleCase{"eu-isoe-west-1", false, false,
                 "https://secretsmanager.eu-isoe-west-1.cloud.adc-e.uk"},
        RuleCase{"us-isof-south-1", true, false,
                 "https://secretsmanager-fips.us-isof-south-1.csp.hci.ic.gov"},
        RuleCase{"eusc-de-east-1", false, false,
                 "https://secretsmanager.eusc-de-east-1.amazonaws.eu"},
        RuleCase{"us-iso-east-1", false, true, "!DualStack is enabled but this partition"},
        RuleCase{"us-isob-east-1", true, true, "!FIPS and DualStack are enabled"},
        // Unknown regions fall back to the aws partition, as botocore does.
        RuleCase{"xx-future-9", false, false, "https://secretsmanager.xx-future-9.amazonaws.com"},
        RuleCase{"", false, false, "!Missing Region"},
        RuleCase{"us-east-1/evil", false, false, "!not a valid AWS region name"},
        RuleCase{"us east 1", false, false, "!not a valid AWS region name"}));

class StsRulesTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(StsRulesTest, MatchesTheRuleSet) {
  const RuleCase& c = GetParam();
  ExpectRuleOutcome(StsEndpointFromRules(c.region, EndpointFlags{c.fips, c.dual_stack}), c);
}

INSTANTIATE_TEST_SUITE_P(
    Regional, StsRulesTest,
    ::testing::Values(
        RuleCase{"us-east-1", false, false, "https://sts.us-east-1.amazonaws.com"},
        RuleCase{"eu-west-1", false, false, "https://sts.eu-west-1.amazonaws.com"},
        RuleCase{"eu-west-1", true, false, "https://sts-fips.eu-west-1.amazonaws.com"},
        RuleCase{"us-gov-west-1", true, false, "https://sts.us-gov-west-1.amazonaws.com"},
        RuleCase{"us-east-2", false, true, "https://sts.us-east-2.api.aws"},
        RuleCase{"us-east-2", true, true, "https://sts-fips.us-east-2.api.aws"},
        RuleCase{"cn-north-1", false, false, "https://sts.cn-north-1.amazonaws.com.cn"},
        RuleCase{"us-iso-east-1", false, false, "https://sts.us-iso-east-1.c2s.ic.gov"},
        RuleCase{"aws-global", false, false, "https://sts.amazonaws.com"},
        RuleCase{"", false, false, "!Missing Region"}));

TEST(PartitionTest, ExactNamesAndPatterns) {
  EXPECT_EQ(PartitionForRegion("aws-cn-global").name, "aws-cn");
  EXPECT_EQ(PartitionForRegion("us-gov-east-1").name, "aws-us-gov");
  EXPECT_EQ(PartitionForRegion("us-east-1").name, "aws");
  EXPECT_EQ(PartitionForRegion("us-isof-east-1").name, "aws-iso-f");
  EXPECT_EQ(PartitionForRegion("eusc-de-east-1").name, "aws-eusc");
}

TEST(EndpointUrlTest, Validation) {
  EXPECT_TRUE(ValidateEndpointUrl("http://127.0.0.1:4566", "X"));
  EXPECT_TRUE(
      ValidateEndpointUrl("https://vpce-1.secretsmanager.us-east-1.vpce.amazonaws.com", "X"));
  auto bad = ValidateEndpointUrl("ftp://host", "AWS_ENDPOINT_URL");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().rfind("AWS_ENDPOINT_URL ", 0), 0u) << bad.error();
  EXPECT_NE(bad.error().find("ftp://host"), std::string::npos) << bad.error();
  EXPECT_FALSE(ValidateEndpointUrl("localhost:4566", "X"));
  EXPECT_FALSE(ValidateEndpointUrl("", "X"));
}

class ConfiguredEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string config = dir_.Write("config",
                                    "[profile dev]\n"
                                    "services = local\n"
                                    "endpoint_url = http://profile-wide:1\n"
                                    "[profile plain]\n"
                                    "endpoint_url = http://profile-wide:2\n"
                                    "[profile ignoring]\n"
                                    "endpoint_url = http://profile-wide:3\n"
                                    "ignore_configured_endpoint_urls = true\n"
                                    "[services local]\n"
                                    "secrets_manager =\n"
                                    "  endpoint_url = http://services-block:4566\n");
    auto loaded = SharedConfig::Load({config, ""});
    ASSERT_TRUE(loaded) << loaded.error();
    shared_ = std::move(*loaded);
  }

  std::optional<ConfiguredEndpoint> Find(const std::string& profile, ServiceNames service) {
    auto found = FindConfiguredEndpoint(env_, shared_, shared_.FindProfile(profile), service);
    EXPECT_TRUE(found) << found.error();
    return found ? *found : std::nullopt;
  }

  testing::TempDir dir_;
  SharedConfig shared_;
  MapEnvironment env_;
};

TEST_F(ConfiguredEndpointTest, PrecedenceOrder) {
  env_.Set("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://service-env:1");
  env_.Set("AWS_ENDPOINT_URL", "http://global-env:1");
  EXPECT_EQ(Find("dev", kSecretsManagerService)->url, "http://service-env:1");
  EXPECT_EQ(Find("dev", kSecretsManagerService)->source, "AWS_ENDPOINT_URL_SECRETS_MANAGER");
  env_.Unset("AWS_ENDPOINT_URL_SECRETS_MANAGER");
  EXPECT_EQ(Find("dev", kSecretsManagerService)->url, "http://global-env:1");
  env_.Unset("AWS_ENDPOINT_URL");
  EXPECT_EQ(Find("dev", kSecretsManagerService)->url, "http://services-block:4566");
  EXPECT_EQ(Find("dev", kSecretsManagerService)->source,
            "[services local] secrets_manager.endpoint_url");
  // The services block has no sts entry: the profile-wide endpoint_url applies.
  EXPECT_EQ(Find("dev", kStsService)->url, "http://profile-wide:1");
  EXPECT_EQ(Find("plain", kSecretsManagerService)->url, "http://profile-wide:2");
  EXPECT_FALSE(Find("missing", kSecretsManagerService));
}

TEST_F(ConfiguredEndpointTest, ServiceSpecificEnvIsPerService) {
  env_.Set("AWS_ENDPOINT_URL_STS", "http://sts-env:1");
  EXPECT_EQ(Find("plain", kStsService)->url, "http://sts-env:1");
  EXPECT_EQ(Find("plain", kSecretsManagerService)->url, "http://profile-wide:2");
}

TEST_F(ConfiguredEndpointTest, IgnoreSettingDisablesEnvAndConfig) {
  env_.Set("AWS_ENDPOINT_URL", "http://global-env:1");
  EXPECT_FALSE(Find("ignoring", kSecretsManagerService)) << "profile ignore flag";
  env_.Set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE");
  EXPECT_FALSE(Find("dev", kSecretsManagerService));
  env_.Set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false");
  EXPECT_EQ(Find("ignoring", kSecretsManagerService)->url, "http://global-env:1")
      << "the env setting wins over the profile's";
  env_.Set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "yes");
  auto bad = FindConfiguredEndpoint(env_, shared_, nullptr, kSecretsManagerService);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS must be \"true\" or \"false\""),
            std::string::npos);
}

TEST_F(ConfiguredEndpointTest, MalformedConfiguredUrlIsAnError) {
  env_.Set("AWS_ENDPOINT_URL", "127.0.0.1:4566");
  auto bad = FindConfiguredEndpoint(env_, shared_, nullptr, kSecretsManagerService);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("AWS_ENDPOINT_URL"), std::string::npos) << bad.error();
}

}  // namespace
}  // namespace dbtrotate::aws
