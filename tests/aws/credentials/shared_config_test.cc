#include "aws/credentials/shared_config.h"

#include <gtest/gtest.h>

#include "aws/credentials/test_support.h"

namespace dbtrotate::aws {
namespace {

using testing::TempDir;

TEST(SharedConfigPathsTest, EnvironmentOverridesHome) {
  MapEnvironment env({{"HOME", "/home/u"}});
  auto paths = SharedConfigPathsFrom(env);
  EXPECT_EQ(paths.config_file, "/home/u/.aws/config");
  EXPECT_EQ(paths.credentials_file, "/home/u/.aws/credentials");

  env.Set("AWS_CONFIG_FILE", "~/custom/config");
  env.Set("AWS_SHARED_CREDENTIALS_FILE", "/etc/aws/creds");
  paths = SharedConfigPathsFrom(env);
  EXPECT_EQ(paths.config_file, "/home/u/custom/config");
  EXPECT_EQ(paths.credentials_file, "/etc/aws/creds");

  MapEnvironment no_home;
  paths = SharedConfigPathsFrom(no_home);
  EXPECT_TRUE(paths.config_file.empty());
  EXPECT_TRUE(paths.credentials_file.empty());
}

TEST(SharedConfigTest, MergesProfilesWithCredentialsFileWinning) {
  TempDir dir;
  std::string config = dir.Write(".aws/config",
                                 "[default]\n"
                                 "region = us-east-1\n"
                                 "aws_access_key_id = FROM_CONFIG\n"
                                 "[profile dev]\n"
                                 "region = eu-west-1\n"
                                 "services = local\n"
                                 "[profile \"with space\"]\n"
                                 "region = ap-south-1\n"
                                 "[sso-session corp]\n"
                                 "sso_region = us-east-1\n"
                                 "[not-a-profile]\n"
                                 "region = nowhere\n"
                                 "[services local]\n"
                                 "secrets_manager =\n"
                                 "  endpoint_url = http://127.0.0.1:4566\n");
  std::string credentials = dir.Write(".aws/credentials",
                                      "[default]\n"
                                      "aws_access_key_id = FROM_CREDENTIALS\n"
                                      "aws_secret_access_key = s\n"
                                      "[ci]\n"
                                      "aws_access_key_id = CI\n"
                                      "[profile weird]\n"
                                      "aws_access_key_id = W\n");
  auto shared = SharedConfig::Load({config, credentials});
  ASSERT_TRUE(shared) << shared.error();

  const Profile* def = shared->FindProfile("default");
  ASSERT_NE(def, nullptr);
  EXPECT_TRUE(def->in_config_file);
  EXPECT_TRUE(def->in_credentials_file);
  EXPECT_EQ(*def->Get("aws_access_key_id"), "FROM_CREDENTIALS");
  EXPECT_EQ(*def->Get("region"), "us-east-1") << "keys only in config stay";

  ASSERT_NE(shared->FindProfile("dev"), nullptr);
  EXPECT_EQ(*shared->FindProfile("dev")->Get("region"), "eu-west-1");
  ASSERT_NE(shared->FindProfile("with space"), nullptr);
  EXPECT_EQ(shared->FindProfile("profile dev"), nullptr);
  EXPECT_EQ(shared->FindProfile("not-a-profile"), nullptr);
  EXPECT_EQ(shared->FindProfile("corp"), nullptr);
  EXPECT_EQ(shared->FindProfile("sso-session corp"), nullptr);

  ASSERT_NE(shared->FindProfile("ci"), nullptr);
  EXPECT_FALSE(shared->FindProfile("ci")->in_config_file);
  // In the credentials file, section names are bare profile names.
  EXPECT_NE(shared->FindProfile("profile weird"), nullptr);

  const PropertyMap* sm = shared->ServiceSettings("local", "secrets_manager");
  ASSERT_NE(sm, nullptr);
  EXPECT_EQ(sm->at("endpoint_url"), "http://127.0.0.1:4566");
  EXPECT_EQ(shared->ServiceSettings("local", "sts"), nullptr);
  EXPECT_EQ(shared->ServiceSettings("other", "secrets_manager"), nullptr);
}

TEST(SharedConfigTest, MissingFilesAreEmpty) {
  TempDir dir;
  auto shared = SharedConfig::Load({dir.path() + "/nope/config", dir.path() + "/nope/credentials"});
  ASSERT_TRUE(shared) << shared.error();
  EXPECT_EQ(shared->FindProfile("default"), nullptr);
}

TEST(SharedConfigTest, ProfileDefaultBesideDefaultWins) {
  TempDir dir;
  std::string config =
      dir.Write("config", "[default]\nregion = a\n[profile default]\nregion = b\n");
  auto shared = SharedConfig::Load({config, ""});
  ASSERT_TRUE(shared) << shared.error();
  EXPECT_EQ(*shared->FindProfile("default")->Get("region"), "b");
}

TEST(SharedConfigTest, DuplicateProfileIsAnError) {
  TempDir dir;
  std::string config = dir.Write("config", "[profile a]\nregion = x\n[profile  a]\nregion = y\n");
  auto shared = SharedConfig::Load({config, ""});
  ASSERT_FALSE(shared);
  EXPECT_NE(shared.error().find("profile \"a\" is defined twice"), std::string::npos)
      << shared.error();
}

TEST(SharedConfigTest, MalformedFileNamesPathAndLine) {
  TempDir dir;
  std::string credentials = dir.Write("credentials", "[default]\naws_access_key_id AKID\n");
  auto shared = SharedConfig::Load({"", credentials});
  ASSERT_FALSE(shared);
  EXPECT_NE(shared.error().find(credentials + ":2:"), std::string::npos) << shared.error();
}

TEST(SharedConfigTest, UnreadablePathIsAnError) {
  TempDir dir;
  // A directory where the file should be.
  auto shared = SharedConfig::Load({dir.path(), ""});
  ASSERT_FALSE(shared);
  EXPECT_NE(shared.error().find("not a regular file"), std::string::npos) << shared.error();
}

}  // namespace
}  // namespace dbtrotate::aws
