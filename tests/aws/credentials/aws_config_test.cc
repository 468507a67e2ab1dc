#include "aws/credentials/aws_config.h"

#include <gtest/gtest.h>

#include "aws/credentials/test_support.h"

namespace dbtrotate::aws {
namespace {

class AwsConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write(".aws/config",
               "[default]\n"
               "region = us-west-2\n"
               "[profile dev]\n"
               "region = eu-west-1\n"
               "services = local\n"
               "[profile fips]\n"
               "region = us-east-1\n"
               "use_fips_endpoint = true\n"
               "[profile fipslocal]\n"
               "region = us-east-1\n"
               "use_fips_endpoint = true\n"
               "endpoint_url = http://127.0.0.1:4566\n"
               "[profile noregion]\n"
               "output = json\n"
               "[profile bundle]\n"
               "region = us-east-1\n"
               "ca_bundle = " +
                   dir_.path() +
                   "/profile-ca.pem\n"
                   "[profile badbool]\n"
                   "region = us-east-1\n"
                   "use_fips_endpoint = yes\n"
                   "[services local]\n"
                   "secrets_manager =\n"
                   "  endpoint_url = http://127.0.0.1:4566\n");
    dir_.Write(".aws/credentials", "[ci]\naws_access_key_id = A\naws_secret_access_key = B\n");
    env_.Set("HOME", dir_.path());
  }

  Result<AwsConfig, AwsConfigError> Resolve(AwsOptions options = {}) {
    return ResolveAwsConfig(options, env_);
  }

  testing::TempDir dir_;
  MapEnvironment env_;
};

TEST_F(AwsConfigTest, DefaultsFromTheDefaultProfile) {
  auto config = Resolve();
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->profile, "default");
  EXPECT_FALSE(config->profile_explicit);
  EXPECT_EQ(config->region, "us-west-2");
  EXPECT_EQ(config->region_source, "region in profile default");
  EXPECT_EQ(config->endpoint_url, "https://secretsmanager.us-west-2.amazonaws.com");
  EXPECT_EQ(config->endpoint_source, "endpoint rules");
  EXPECT_EQ(config->signing_region, "us-west-2");
  EXPECT_FALSE(config->ca_bundle);
}

TEST_F(AwsConfigTest, ProfileOrder) {
  env_.Set("AWS_PROFILE", "dev");
  auto config = Resolve();
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->profile, "dev");
  EXPECT_FALSE(config->profile_explicit);
  config = Resolve({.profile = "ci", .region = "us-east-1"});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->profile, "ci") << "--profile beats AWS_PROFILE";
  EXPECT_TRUE(config->profile_explicit);
  EXPECT_TRUE(config->profile_exists);
}

TEST_F(AwsConfigTest, NamedProfileMustExist) {
  auto config = Resolve({.profile = "nope"});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("The config profile \"nope\" (from --profile) could not be "
                                        "found in " +
                                        dir_.path() + "/.aws/config or " + dir_.path() +
                                        "/.aws/credentials"),
            std::string::npos)
      << config.error().message;
  env_.Set("AWS_PROFILE", "gone");
  config = Resolve();
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("(from AWS_PROFILE)"), std::string::npos);
}

TEST_F(AwsConfigTest, MissingDefaultProfileIsFine) {
  MapEnvironment empty_home({{"HOME", dir_.path() + "/nothing-here"}, {"AWS_REGION", "us-east-1"}});
  auto config = ResolveAwsConfig({}, empty_home);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_FALSE(config->profile_exists);
}

TEST_F(AwsConfigTest, RegionOrder) {
  env_.Set("AWS_DEFAULT_REGION", "ap-south-1");
  auto config = Resolve();
  ASSERT_TRUE(config);
  EXPECT_EQ(config->region, "ap-south-1");
  EXPECT_EQ(config->region_source, "AWS_DEFAULT_REGION");
  env_.Set("AWS_REGION", "sa-east-1");
  config = Resolve();
  ASSERT_TRUE(config);
  EXPECT_EQ(config->region, "sa-east-1");
  EXPECT_EQ(config->region_source, "AWS_REGION");
  config = Resolve({.region = "ca-central-1"});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->region, "ca-central-1");
  EXPECT_EQ(config->region_source, "--region");
  EXPECT_EQ(config->endpoint_url, "https://secretsmanager.ca-central-1.amazonaws.com");
}

TEST_F(AwsConfigTest, MissingRegionIsAClearError) {
  auto config = Resolve({.profile = "noregion"});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("Missing Region: pass --region or set AWS_REGION"),
            std::string::npos)
      << config.error().message;
}

TEST_F(AwsConfigTest, InvalidRegionIsRejected) {
  auto config = Resolve({.region = "us-east-1.evil.example"});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("not a valid AWS region name"), std::string::npos);
}

TEST_F(AwsConfigTest, EndpointPrecedence) {
  env_.Set("AWS_PROFILE", "dev");
  auto config = Resolve();
  ASSERT_TRUE(config);
  EXPECT_EQ(config->endpoint_url, "http://127.0.0.1:4566");
  EXPECT_EQ(config->signing_region, "eu-west-1") << "signing region stays the region";

  env_.Set("AWS_ENDPOINT_URL", "http://127.0.0.1:1111");
  config = Resolve();
  ASSERT_TRUE(config);
  EXPECT_EQ(config->endpoint_url, "http://127.0.0.1:1111");

  env_.Set("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:2222");
  config = Resolve();
  ASSERT_TRUE(config);
  EXPECT_EQ(config->endpoint_url, "http://127.0.0.1:2222");

  config = Resolve({.endpoint_url = "http://127.0.0.1:3333"});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->endpoint_url, "http://127.0.0.1:3333");
  EXPECT_EQ(config->endpoint_source, "--endpoint-url");

  env_.Set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
  config = Resolve();
  ASSERT_TRUE(config);
  EXPECT_EQ(config->endpoint_url, "https://secretsmanager.eu-west-1.amazonaws.com");
  config = Resolve({.endpoint_url = "http://127.0.0.1:3333"});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->endpoint_url, "http://127.0.0.1:3333") << "explicit override still applies";
}

TEST_F(AwsConfigTest, FipsFromEnvOrProfile) {
  auto config = Resolve({.profile = "fips"});
  ASSERT_TRUE(config);
  EXPECT_TRUE(config->use_fips);
  EXPECT_EQ(config->endpoint_url, "https://secretsmanager-fips.us-east-1.amazonaws.com");
  env_.Set("AWS_USE_FIPS_ENDPOINT", "false");
  config = Resolve({.profile = "fips"});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->endpoint_url, "https://secretsmanager.us-east-1.amazonaws.com");
  env_.Set("AWS_USE_FIPS_ENDPOINT", "true");
  config = Resolve({.region = "cn-north-1"});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->endpoint_url, "https://secretsmanager-fips.cn-north-1.amazonaws.com.cn");
}

TEST_F(AwsConfigTest, CustomEndpointWithFipsIsAnError) {
  auto config = Resolve({.profile = "fipslocal"});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("FIPS and custom endpoint are not supported"),
            std::string::npos)
      << config.error().message;
  env_.Set("AWS_USE_FIPS_ENDPOINT", "true");
  config = Resolve({.endpoint_url = "http://127.0.0.1:3333"});
  ASSERT_FALSE(config);
  env_.Unset("AWS_USE_FIPS_ENDPOINT");
  env_.Set("AWS_USE_DUALSTACK_ENDPOINT", "true");
  config = Resolve({.endpoint_url = "http://127.0.0.1:3333"});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("Dualstack and custom endpoint"), std::string::npos);
}

TEST_F(AwsConfigTest, BadBooleanIsAnError) {
  auto config = Resolve({.profile = "badbool"});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("use_fips_endpoint in profile badbool must be \"true\" or "
                                        "\"false\", not \"yes\""),
            std::string::npos)
      << config.error().message;
}

TEST_F(AwsConfigTest, BadEndpointUrlIsAnError) {
  auto config = Resolve({.endpoint_url = "not a url"});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("--endpoint-url"), std::string::npos);
}

TEST_F(AwsConfigTest, CaBundleOrder) {
  std::string from_env = dir_.Write("env-ca.pem", "x");
  std::string from_flag = dir_.Write("flag-ca.pem", "x");
  dir_.Write("profile-ca.pem", "x");
  auto config = Resolve({.profile = "bundle"});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(*config->ca_bundle, dir_.path() + "/profile-ca.pem");
  env_.Set("AWS_CA_BUNDLE", from_env);
  config = Resolve({.profile = "bundle"});
  ASSERT_TRUE(config);
  EXPECT_EQ(*config->ca_bundle, from_env);
  EXPECT_EQ(config->ca_bundle_source, "AWS_CA_BUNDLE");
  config = Resolve({.profile = "bundle", .ca_bundle = from_flag});
  ASSERT_TRUE(config);
  EXPECT_EQ(*config->ca_bundle, from_flag);
}

TEST_F(AwsConfigTest, MissingCaBundleIsAnError) {
  env_.Set("AWS_CA_BUNDLE", dir_.path() + "/missing.pem");
  auto config = Resolve();
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("(from AWS_CA_BUNDLE) does not exist"), std::string::npos);
}

TEST_F(AwsConfigTest, MalformedConfigFileIsAnError) {
  dir_.Write(".aws/config", "[default]\nregion\n");
  auto config = Resolve();
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find(dir_.path() + "/.aws/config:2:"), std::string::npos)
      << config.error().message;
}

}  // namespace
}  // namespace dbtrotate::aws
