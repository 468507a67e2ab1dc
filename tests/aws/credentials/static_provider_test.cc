#include "aws/credentials/static_provider.h"

#include <gtest/gtest.h>

#include "aws/credentials/test_support.h"

namespace dbtrotate::aws {
namespace {

TEST(EnvironmentCredentialsTest, ReadsKeysAndToken) {
  MapEnvironment env({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                      {"AWS_SECRET_ACCESS_KEY", "env-secret"},
                      {"AWS_SESSION_TOKEN", "env-token"}});
  auto found = CredentialsFromEnvironment(env);
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->credentials);
  EXPECT_EQ(found->credentials->access_key_id, "AKIDENV");
  EXPECT_EQ(found->credentials->secret_access_key.expose(), "env-secret");
  EXPECT_EQ(found->credentials->session_token.expose(), "env-token");
  EXPECT_FALSE(found->credentials->expiration);
  EXPECT_EQ(found->credentials->source, "environment variables");
}

TEST(EnvironmentCredentialsTest, SecurityTokenIsTheOldName) {
  MapEnvironment env({{"AWS_ACCESS_KEY_ID", "A"},
                      {"AWS_SECRET_ACCESS_KEY", "S"},
                      {"AWS_SECURITY_TOKEN", "old-token"}});
  auto found = CredentialsFromEnvironment(env);
  ASSERT_TRUE(found && found->credentials);
  EXPECT_EQ(found->credentials->session_token.expose(), "old-token");
}

TEST(EnvironmentCredentialsTest, SkipsWhenAbsentOrEmpty) {
  MapEnvironment env({{"AWS_ACCESS_KEY_ID", ""}});
  auto found = CredentialsFromEnvironment(env);
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->credentials);
  EXPECT_EQ(found->skip_reason, "AWS_ACCESS_KEY_ID is not set");
  env.Set("AWS_SECRET_ACCESS_KEY", "lonely");
  found = CredentialsFromEnvironment(env);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->skip_reason, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
}

TEST(EnvironmentCredentialsTest, AccessKeyWithoutSecretIsAnError) {
  MapEnvironment env({{"AWS_ACCESS_KEY_ID", "AKIDENV"}});
  auto found = CredentialsFromEnvironment(env);
  ASSERT_FALSE(found);
  EXPECT_NE(found.error().message.find("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"),
            std::string::npos);
}

}  // namespace
}  // namespace dbtrotate::aws
