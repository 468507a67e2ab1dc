#include "aws/credentials/default_chain.h"

#include <gtest/gtest.h>

#include <thread>

#include "aws/credentials/fake_imds.h"
#include "aws/credentials/fake_sts.h"
#include "aws/credentials/test_support.h"
#include "aws/credentials/web_identity_provider.h"

namespace dbtrotate::aws {
namespace {

using testing::FakeImds;
using testing::FakeSts;
using testing::LoopbackServer;
using testing::TempDir;
using testing::TestHttpClient;
using testing::Utc;

// Every source of the chain on loopback: STS (AWS_ENDPOINT_URL_STS), a container endpoint
// (AWS_CONTAINER_CREDENTIALS_FULL_URI when a test sets it), IMDS disabled unless a test points
// AWS_EC2_METADATA_SERVICE_ENDPOINT at a fake, shared files in a temporary HOME.
class ChainTest : public ::testing::Test {
 protected:
  ChainTest() : clock_(Utc(2026, 8, 30, 12, 0, 0)), sts_(clock_, "eu-west-1") {
    sts_.AddKey("AKIDDEFAULT", "default-secret");
    sts_.AddKey("AKIDENV", "env-secret");
    sts_.AddKey("AKIDBASE", "base-secret");
    sts_.AddKey("ASIACONTAINER", "container-secret");
    sts_.AddKey("ASIAIMDS", "imds-secret");
    sts_.Start();
    container_.server().Get("/creds", [this](const httplib::Request&, httplib::Response& r) {
      ++container_hits_;
      r.set_content(
          R"({"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"container-secret","Token":"ct",)"
          R"("Expiration":"2026-08-30T18:00:00Z"})",
          "application/json");
    });
    container_.Start();
    env_.Set("HOME", home_.path());
    env_.Set("AWS_REGION", "eu-west-1");
    env_.Set("AWS_ENDPOINT_URL_STS", sts_.url());
    env_.Set("AWS_EC2_METADATA_DISABLED", "true");
  }
  ~ChainTest() override { container_.Stop(); }

  void WriteConfig(const std::string& text) { home_.Write(".aws/config", text); }
  void WriteCredentials(const std::string& text) { home_.Write(".aws/credentials", text); }
  void UseContainer() {
    env_.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", container_.base_url() + "/creds");
  }

  // Resolves the config and the chain; on success `chain_` stays for further calls.
  CredentialsResult Resolve(AwsOptions options = {}) {
    auto config = ResolveAwsConfig(options, env_);
    if (!config) return Fail(CredentialsError{"config: " + config.error().message});
    config_ = *config;
    chain_ = MakeDefaultCredentialsProvider(config_,
                                            CredentialsDeps{env_, clock_, http_, http_, runner_});
    return chain_->Resolve();
  }

  std::string Source() { return chain_ ? chain_->ActiveSource() : ""; }

  FakeClock clock_;
  FakeSts sts_;
  LoopbackServer container_;
  std::atomic<int> container_hits_{0};
  TempDir home_;
  MapEnvironment env_;
  TestHttpClient http_;
  PosixProcessRunner runner_;
  AwsConfig config_;
  std::unique_ptr<ChainProvider> chain_;
};

// ---- precedence -------------------------------------------------------------------------

TEST_F(ChainTest, EnvironmentKeysWinOverEverythingElse) {
  WriteCredentials(
      "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n");
  UseContainer();
  env_.Set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env_.Set("AWS_SECRET_ACCESS_KEY", "env-secret");
  auto result = Resolve();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ((*result)->access_key_id, "AKIDENV");
  EXPECT_EQ(Source(), "environment variables");
  EXPECT_EQ(container_hits_, 0);
}

TEST_F(ChainTest, AwsProfileVariableStillLetsEnvironmentKeysWin) {
  WriteCredentials(
      "[ci]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n");
  env_.Set("AWS_PROFILE", "ci");
  env_.Set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env_.Set("AWS_SECRET_ACCESS_KEY", "env-secret");
  auto result = Resolve();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ((*result)->access_key_id, "AKIDENV");
}

TEST_F(ChainTest, ExplicitProfileSkipsTheEnvironmentLikeTheAwsCli) {
  WriteCredentials(
      "[ci]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n");
  env_.Set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env_.Set("AWS_SECRET_ACCESS_KEY", "env-secret");
  env_.Set("AWS_WEB_IDENTITY_TOKEN_FILE", home_.Write("token", "jwt"));
  env_.Set("AWS_ROLE_ARN", "arn:aws:iam::1:role/Web");
  auto result = Resolve({.profile = "ci"});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ((*result)->access_key_id, "AKIDDEFAULT");
  EXPECT_EQ((*result)->source, "profile ci (static keys)");
  EXPECT_EQ(Source(), "shared config profile ci");
  EXPECT_TRUE(sts_.calls().empty());
}

TEST_F(ChainTest, EnvironmentWebIdentityBeatsTheProfile) {
  WriteCredentials(
      "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n");
  env_.Set("AWS_WEB_IDENTITY_TOKEN_FILE", home_.Write("token", "jwt-one\n"));
  env_.Set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/Web");
  env_.Set("AWS_ROLE_SESSION_NAME", "pod-a");
  sts_.ExpectWebIdentityToken("jwt-one");
  auto result = Resolve();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ((*result)->access_key_id, "ASIAFAKE1");
  EXPECT_EQ(Source(), "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)");
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].action, "AssumeRoleWithWebIdentity");
  EXPECT_FALSE(calls[0].had_authorization);
  EXPECT_EQ(calls[0].params.at("RoleArn"), "arn:aws:iam::123456789012:role/Web");
  EXPECT_EQ(calls[0].params.at("RoleSessionName"), "pod-a");
  EXPECT_EQ(calls[0].params.at("WebIdentityToken"), "jwt-one") << "trailing newline trimmed";
}

TEST_F(ChainTest, WebIdentityTokenFileIsReadAgainOnRefresh) {
  std::string token_file = home_.Write("token", "jwt-one");
  env_.Set("AWS_WEB_IDENTITY_TOKEN_FILE", token_file);
  env_.Set("AWS_ROLE_ARN", "arn:aws:iam::1:role/Web");
  ASSERT_TRUE(Resolve());
  home_.Write("token", "jwt-two");
  sts_.ExpectWebIdentityToken("jwt-two");
  clock_.Advance(std::chrono::minutes(50));
  auto result = chain_->Resolve();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ((*result)->access_key_id, "ASIAFAKE2");
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].params.at("WebIdentityToken"), "jwt-two");
  EXPECT_EQ(calls[0].params.at("RoleSessionName"), "dbt-rotate-" + std::to_string(1788091200));
}

TEST_F(ChainTest, WebIdentityWithoutRoleArnIsAnError) {
  env_.Set("AWS_WEB_IDENTITY_TOKEN_FILE", home_.Write("token", "jwt"));
  auto result = Resolve();
  ASSERT_FALSE(result);
  EXPECT_NE(
      result.error().message.find("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"),
      std::string::npos);
}

TEST_F(ChainTest, WebIdentityTokenFileProblems) {
  env_.Set("AWS_ROLE_ARN", "arn:aws:iam::1:role/Web");
  env_.Set("AWS_WEB_IDENTITY_TOKEN_FILE", home_.path() + "/missing-token");
  auto result = Resolve();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("cannot read the web identity token file"),
            std::string::npos)
      << result.error().message;
  env_.Set("AWS_WEB_IDENTITY_TOKEN_FILE", home_.Write("empty", " \n"));
  result = Resolve();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("is empty"), std::string::npos);
}

TEST_F(ChainTest, ContainerBeatsImds) {
  FakeImds imds;
  env_.Unset("AWS_EC2_METADATA_DISABLED");
  env_.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  UseContainer();
  auto result = Resolve();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ((*result)->access_key_id, "ASIACONTAINER");
  EXPECT_EQ(Source(), "container credentials");
  EXPECT_TRUE(imds.log().empty());
}

TEST_F(ChainTest, ImdsIsTheLastResort) {
  FakeImds imds;
  env_.Unset("AWS_EC2_METADATA_DISABLED");
  env_.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  auto result = Resolve();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ((*result)->access_key_id, "ASIAIMDS");
  EXPECT_EQ(Source(), "EC2 instance metadata (IMDS)");
}

TEST_F(ChainTest, NothingFoundListsEverySource) {
  WriteConfig("[default]\nregion = eu-west-1\n");
  auto result = Resolve();
  ASSERT_FALSE(result);
  EXPECT_EQ(
      result.error().message,
      "Unable to locate AWS credentials. Sources tried, in order:\n"
      "  1. environment variables: AWS_ACCESS_KEY_ID is not set\n"
      "  2. web identity (AWS_WEB_IDENTITY_TOKEN_FILE): AWS_WEB_IDENTITY_TOKEN_FILE is not set\n"
      "  3. shared config profile default: profile default has no credentials (no "
      "aws_access_key_id, role_arn or credential_process)\n"
      "  4. container credentials: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor "
      "AWS_CONTAINER_CREDENTIALS_FULL_URI is set\n"
      "  5. EC2 instance metadata (IMDS): disabled by AWS_EC2_METADATA_DISABLED=true\n"
      "Configure credentials with `aws configure`, name a profile with --profile or "
      "AWS_PROFILE, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an IAM "
      "role is available.");
}

TEST_F(ChainTest, UnreachableImdsIsASkipReason) {
  std::string closed_url;
  {
    LoopbackServer closed;
    closed.Start();
    closed_url = closed.base_url();
  }
  env_.Unset("AWS_EC2_METADATA_DISABLED");
  env_.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", closed_url);
  auto result = Resolve();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("Unable to locate AWS credentials"), std::string::npos);
  EXPECT_NE(result.error().message.find("  2. web identity"), std::string::npos);
  EXPECT_NE(result.error().message.find("  3. shared config profile default: no profile named "
                                        "\"default\" in " +
                                        home_.path() + "/.aws/config or " + home_.path() +
                                        "/.aws/credentials"),
            std::string::npos)
      << result.error().message;
  EXPECT_NE(
      result.error().message.find("  5. EC2 instance metadata (IMDS): EC2 instance metadata at " +
                                  closed_url + ": not reachable"),
      std::string::npos)
      << result.error().message;
}

TEST_F(ChainTest, BrokenSourceStopsTheChainWithItsError) {
  env_.Set("AWS_ACCESS_KEY_ID", "AKIDENV");
  UseContainer();
  auto result = Resolve();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "environment variables: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set "
            "both, or unset AWS_ACCESS_KEY_ID to use another credential source");
  EXPECT_EQ(container_hits_, 0);
}

TEST_F(ChainTest, InvalidContainerHostIsAnError) {
  env_.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.10/creds");
  auto result = Resolve();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI "
                                        "uses plain http to host \"192.0.2.10\""),
            std::string::npos)
      << result.error().message;
}

// ---- profiles ---------------------------------------------------------------------------

TEST_F(ChainTest, AssumeRoleWithSourceProfileIsSignedWithTheSourceKeys) {
  WriteConfig(
      "[profile app]\n"
      "role_arn = arn:aws:iam::123456789012:role/Rotator\n"
      "source_profile = base\n"
      "role_session_name = rotator\n"
      "external_id = xyz-123\n"
      "duration_seconds = 1800\n");
  WriteCredentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  auto result = Resolve({.profile = "app"});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ((*result)->access_key_id, "ASIAFAKE1");
  EXPECT_EQ((*result)->expiration, clock_.Now() + std::chrono::hours(1));
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].action, "AssumeRole");
  ASSERT_TRUE(calls[0].authorization) << calls[0].verify_error;
  EXPECT_EQ(calls[0].authorization->access_key_id, "AKIDBASE");
  EXPECT_EQ(calls[0].authorization->service, "sts");
  EXPECT_EQ(calls[0].authorization->region, "eu-west-1");
  EXPECT_EQ(calls[0].authorization->Scope(), "20260830/eu-west-1/sts/aws4_request");
  EXPECT_EQ(calls[0].params.at("RoleArn"), "arn:aws:iam::123456789012:role/Rotator");
  EXPECT_EQ(calls[0].params.at("RoleSessionName"), "rotator");
  EXPECT_EQ(calls[0].params.at("ExternalId"), "xyz-123");
  EXPECT_EQ(calls[0].params.at("DurationSeconds"), "1800");
}

TEST_F(ChainTest, AssumedRoleIsRefreshedBeforeItExpires) {
  WriteConfig("[profile app]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = base\n");
  WriteCredentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  ASSERT_TRUE(Resolve({.profile = "app"}));
  clock_.Advance(std::chrono::minutes(30));
  ASSERT_EQ((*chain_->Resolve())->access_key_id, "ASIAFAKE1");
  clock_.Advance(std::chrono::minutes(16));  // 14 minutes left
  ASSERT_EQ((*chain_->Resolve())->access_key_id, "ASIAFAKE2");
  EXPECT_EQ(sts_.calls().size(), 2u);
}

TEST_F(ChainTest, RoleChainsSignEachHopWithThePreviousCredentials) {
  WriteConfig(
      "[profile top]\nrole_arn = arn:aws:iam::1:role/Top\nsource_profile = middle\n"
      "[profile middle]\nrole_arn = arn:aws:iam::1:role/Middle\nsource_profile = base\n");
  WriteCredentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  auto result = Resolve({.profile = "top"});
  ASSERT_TRUE(result) << result.error().message;
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].params.at("RoleArn"), "arn:aws:iam::1:role/Middle");
  EXPECT_EQ(calls[0].authorization->access_key_id, "AKIDBASE");
  EXPECT_EQ(calls[1].params.at("RoleArn"), "arn:aws:iam::1:role/Top");
  ASSERT_TRUE(calls[1].authorization) << calls[1].verify_error;
  EXPECT_EQ(calls[1].authorization->access_key_id, "ASIAFAKE1");
  EXPECT_EQ(calls[1].security_token, "issued-token-1");
  EXPECT_EQ((*result)->access_key_id, "ASIAFAKE2");
}

TEST_F(ChainTest, SourceProfileWithStaticKeysEndsTheChain) {
  WriteConfig(
      "[profile app]\nrole_arn = arn:aws:iam::1:role/App\nsource_profile = base\n"
      "[profile base]\nrole_arn = arn:aws:iam::1:role/Ignored\nsource_profile = app\n");
  WriteCredentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  auto result = Resolve({.profile = "app"});
  ASSERT_TRUE(result) << result.error().message;
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].params.at("RoleArn"), "arn:aws:iam::1:role/App");
}

TEST_F(ChainTest, SourceProfileLoopIsAClearError) {
  WriteConfig(
      "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n"
      "[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = c\n"
      "[profile c]\nrole_arn = arn:aws:iam::1:role/C\nsource_profile = b\n");
  auto result = Resolve({.profile = "a"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "shared config profile a: source_profile loop: b -> c -> b (a profile may name itself "
            "as source_profile only when it has static keys)");
  EXPECT_TRUE(sts_.calls().empty());
}

TEST_F(ChainTest, ProfileMaySourceItsOwnStaticKeys) {
  WriteConfig("[profile self]\nrole_arn = arn:aws:iam::1:role/Self\nsource_profile = self\n");
  WriteCredentials("[self]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  auto result = Resolve({.profile = "self"});
  ASSERT_TRUE(result) << result.error().message;
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].authorization->access_key_id, "AKIDBASE");
}

TEST_F(ChainTest, SelfReferenceWithoutStaticKeysIsALoop) {
  WriteConfig("[profile self]\nrole_arn = arn:aws:iam::1:role/Self\nsource_profile = self\n");
  auto result = Resolve({.profile = "self"});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("source_profile loop: self -> self"), std::string::npos)
      << result.error().message;
}

TEST_F(ChainTest, CredentialSourceEnvironment) {
  WriteConfig(
      "[profile app]\nrole_arn = arn:aws:iam::1:role/App\ncredential_source = Environment\n");
  env_.Set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env_.Set("AWS_SECRET_ACCESS_KEY", "env-secret");
  auto result = Resolve({.profile = "app"});
  ASSERT_TRUE(result) << result.error().message;
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].authorization->access_key_id, "AKIDENV");
}

TEST_F(ChainTest, CredentialSourceEcsContainer) {
  WriteConfig(
      "[profile app]\nrole_arn = arn:aws:iam::1:role/App\ncredential_source = EcsContainer\n");
  UseContainer();
  auto result = Resolve({.profile = "app"});
  ASSERT_TRUE(result) << result.error().message;
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].authorization->access_key_id, "ASIACONTAINER");
  EXPECT_EQ(calls[0].security_token, "ct");
}

TEST_F(ChainTest, CredentialSourceEc2InstanceMetadata) {
  FakeImds imds;
  env_.Unset("AWS_EC2_METADATA_DISABLED");
  env_.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  WriteConfig(
      "[profile app]\nrole_arn = arn:aws:iam::1:role/App\ncredential_source = "
      "Ec2InstanceMetadata\n");
  auto result = Resolve({.profile = "app"});
  ASSERT_TRUE(result) << result.error().message;
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].authorization->access_key_id, "ASIAIMDS");
}

TEST_F(ChainTest, ProfileWebIdentity) {
  std::string token_file = home_.Write("token", "profile-jwt");
  WriteConfig("[profile web]\nrole_arn = arn:aws:iam::1:role/Web\nweb_identity_token_file = " +
              token_file + "\nrole_session_name = from-profile\n");
  sts_.ExpectWebIdentityToken("profile-jwt");
  auto result = Resolve({.profile = "web"});
  ASSERT_TRUE(result) << result.error().message;
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].action, "AssumeRoleWithWebIdentity");
  EXPECT_EQ(calls[0].params.at("RoleSessionName"), "from-profile");
}

TEST_F(ChainTest, ProfileCredentialProcess) {
  std::string script = home_.Write("helper.sh",
                                   "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": "
                                   "\"ASIAPROC\", \"SecretAccessKey\": \"p\"}'\n",
                                   0755);
  WriteConfig("[profile proc]\ncredential_process = " + script + " --profile x\n");
  auto result = Resolve({.profile = "proc"});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ((*result)->access_key_id, "ASIAPROC");
}

TEST_F(ChainTest, CredentialsFileKeysBeatConfigFileKeysAndProcess) {
  WriteConfig(
      "[default]\naws_access_key_id = FROMCONFIG\naws_secret_access_key = c\n"
      "credential_process = /bin/false\n");
  WriteCredentials(
      "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n");
  auto result = Resolve();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ((*result)->access_key_id, "AKIDDEFAULT");
  EXPECT_EQ((*result)->secret_access_key.expose(), "default-secret");
}

TEST_F(ChainTest, AssumeRoleFailureNamesTheRoleAndKeepsSecretsOut) {
  WriteConfig("[profile app]\nrole_arn = arn:aws:iam::1:role/App\nsource_profile = base\n");
  WriteCredentials(
      "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = wrong-secret-value\n");
  auto result = Resolve({.profile = "app"});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("assume role arn:aws:iam::1:role/App (profile app): STS "
                                        "AssumeRole for arn:aws:iam::1:role/App failed: HTTP 403 "
                                        "SignatureDoesNotMatch"),
            std::string::npos)
      << result.error().message;
  EXPECT_EQ(result.error().message.find("wrong-secret-value"), std::string::npos);
}

struct BadProfile {
  const char* config;
  const char* expected;
};

class BadProfileTest : public ChainTest, public ::testing::WithParamInterface<BadProfile> {};

TEST_P(BadProfileTest, ClearError) {
  WriteConfig(GetParam().config);
  WriteCredentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  auto result = Resolve({.profile = "p"});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find(GetParam().expected), std::string::npos)
      << result.error().message;
  EXPECT_TRUE(sts_.calls().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Profiles, BadProfileTest,
    ::testing::Values(
        BadProfile{"[profile p]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = base\n"
                   "credential_source = Environment\n",
                   "profile p: sets both source_profile and credential_source"},
        BadProfile{"[profile p]\nrole_arn = arn:aws:iam::1:role/R\n",
                   "profile p: sets role_arn but none of source_profile, credential_source or "
                   "web_identity_token_file"},
        BadProfile{"[profile p]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = nope\n",
                   "profile p: source_profile \"nope\" does not exist"},
        BadProfile{"[profile p]\nrole_arn = arn:aws:iam::1:role/R\ncredential_source = Ec2\n",
                   "credential_source must be Environment, Ec2InstanceMetadata or EcsContainer, "
                   "not \"Ec2\""},
        BadProfile{
            "[profile p]\nrole_arn = arn:aws:iam::1:role/R\ncredential_source = Environment\n",
            "credential_source = Environment, but AWS_ACCESS_KEY_ID is not set"},
        BadProfile{
            "[profile p]\nrole_arn = arn:aws:iam::1:role/R\ncredential_source = EcsContainer\n",
            "credential_source = EcsContainer, but neither"},
        BadProfile{"[profile p]\nrole_arn = arn:aws:iam::1:role/R\ncredential_source = "
                   "Ec2InstanceMetadata\n",
                   "credential_source = Ec2InstanceMetadata, but IMDS is disabled"},
        BadProfile{"[profile p]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = base\n"
                   "mfa_serial = arn:aws:iam::1:mfa/u\n",
                   "mfa_serial is set"},
        BadProfile{"[profile p]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = base\n"
                   "duration_seconds = 60\n",
                   "duration_seconds must be a whole number of seconds from 900 to 43200"},
        BadProfile{"[profile p]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = base\n"
                   "role_session_name = has space\n",
                   "role_session_name must be 2-64 characters"},
        BadProfile{"[profile p]\nrole_arn = Rotator\nsource_profile = base\n",
                   "role_arn \"Rotator\" is not an ARN"},
        BadProfile{"[profile p]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = empty\n"
                   "[profile empty]\nregion = eu-west-1\n",
                   "source_profile empty has no credentials"},
        BadProfile{"[profile p]\naws_access_key_id = AKIDONLY\n",
                   "profile p sets aws_access_key_id but not aws_secret_access_key"},
        BadProfile{"[profile p]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n",
                   "uses IAM Identity Center (SSO)"},
        BadProfile{"[profile p]\ncredential_process = 'unterminated\n", "cannot be parsed"}));

// ---- STS endpoint -----------------------------------------------------------------------

TEST(StsEndpointTest, RegionalFipsAndOverrides) {
  MapEnvironment env;
  AwsConfig config;
  config.region = "eu-west-1";
  config.shared_config = std::make_shared<SharedConfig>();
  auto endpoint = ResolveStsEndpoint(config, env);
  ASSERT_TRUE(endpoint) << endpoint.error();
  EXPECT_EQ(endpoint->url, "https://sts.eu-west-1.amazonaws.com");
  EXPECT_EQ(endpoint->signing_region, "eu-west-1");

  config.use_fips = true;
  endpoint = ResolveStsEndpoint(config, env);
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->url, "https://sts-fips.eu-west-1.amazonaws.com");

  env.Set("AWS_ENDPOINT_URL", "http://127.0.0.1:4566");
  endpoint = ResolveStsEndpoint(config, env);
  ASSERT_FALSE(endpoint);
  EXPECT_NE(endpoint.error().find("FIPS and custom endpoint are not supported"), std::string::npos);

  config.use_fips = false;
  endpoint = ResolveStsEndpoint(config, env);
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->url, "http://127.0.0.1:4566");
  EXPECT_EQ(endpoint->signing_region, "eu-west-1");
  env.Set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:4567");
  endpoint = ResolveStsEndpoint(config, env);
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->url, "http://127.0.0.1:4567");
}

TEST_F(ChainTest, StsEndpointErrorSurfacesWhenARoleIsNeeded) {
  env_.Set("AWS_ENDPOINT_URL_STS", "not-a-url");
  WriteConfig("[profile app]\nrole_arn = arn:aws:iam::1:role/App\nsource_profile = base\n");
  WriteCredentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  auto result = Resolve({.profile = "app"});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("AWS_ENDPOINT_URL_STS is not a valid URL"),
            std::string::npos)
      << result.error().message;
}

// ---- concurrency ------------------------------------------------------------------------

TEST_F(ChainTest, ConcurrentFirstResolvesAssumeTheRoleOnce) {
  WriteConfig("[profile app]\nrole_arn = arn:aws:iam::1:role/App\nsource_profile = base\n");
  WriteCredentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  auto config = ResolveAwsConfig({.profile = "app"}, env_);
  ASSERT_TRUE(config);
  auto chain =
      MakeDefaultCredentialsProvider(*config, CredentialsDeps{env_, clock_, http_, http_, runner_});
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      auto result = chain->Resolve();
      if (result && (*result)->access_key_id == "ASIAFAKE1") ++ok;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok, 6);
  EXPECT_EQ(sts_.calls().size(), 1u);
}

}  // namespace
}  // namespace dbtrotate::aws
