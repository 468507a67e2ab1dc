// Real-client proof: Debian's AWS CLI (botocore) drives the emulator through every operation
// the tool uses, signing with SigV4, and the emulator's state matches what the CLI was told.
// A run with a wrong secret key must be rejected with InvalidSignatureException.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emulators/secretsmanager/emulator.h"
#include "signed_caller.h"
#include "support/process_runner.h"
#include "template_function.h"

namespace dbtrotate::emulators::secretsmanager {
namespace {

using nlohmann::json;
using smtest::MakeCredentials;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ProcessResult;
using testing::RunProcess;
using testing::ScratchDir;
using ::testing::UnorderedElementsAre;

// This exact path: `aws` on PATH may be a different shim.
constexpr char kAws[] = "/usr/bin/aws";
constexpr char kTimeout[] = "/usr/bin/timeout";
constexpr char kAccessKey[] = "AKIAEMULATORTEST0001";
constexpr char kSecretKey[] = "emulatorTestSecretKey/0123456789+abcdefghij";
constexpr char kName[] = "dbt/service-token";
const std::string kPendingToken = "5c7e2c1a-8d1f-4b7e-9a3c-0f6e2d4b8a11";

class AwsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(access(kAws, X_OK), 0)
        << kAws << " is missing: this test needs Debian's AWS CLI (apt-get install awscli; CI "
        << "installs it). It is not skipped, because it is the proof that a real client accepts "
        << "the emulator.";
    ASSERT_EQ(access(kTimeout, X_OK), 0) << kTimeout << " (coreutils) is missing";
    ASSERT_FALSE(scratch_.path().empty()) << "could not create a scratch directory";
    config_file_ = scratch_.WriteFile("config", "");
    credentials_file_ = scratch_.WriteFile("credentials", "");
    emulator_.AddCredentials(MakeCredentials(kAccessKey, kSecretKey));
    auto started = emulator_.Start();
    ASSERT_TRUE(started.has_value()) << started.error();
  }

  ProcessResult Aws(const std::vector<std::string>& args,
                    const std::string& secret_key = kSecretKey) {
    std::vector<std::string> argv = {kTimeout, "60", kAws, "secretsmanager"};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const char* arg : {"--endpoint-url", "", "--region", "us-east-1", "--output", "json"}) {
      argv.emplace_back(arg);
    }
    argv[argv.size() - 5] = emulator_.endpoint_url();
    const std::vector<std::string> env = {
        "PATH=/usr/bin:/bin",
        "HOME=" + scratch_.path(),
        "LANG=C.UTF-8",
        std::string("AWS_ACCESS_KEY_ID=") + kAccessKey,
        "AWS_SECRET_ACCESS_KEY=" + secret_key,
        "AWS_CONFIG_FILE=" + config_file_,
        "AWS_SHARED_CREDENTIALS_FILE=" + credentials_file_,
        "AWS_EC2_METADATA_DISABLED=true",
        "AWS_PAGER=",
    };
    ProcessResult result = RunProcess(argv, env, scratch_.path());
    EXPECT_TRUE(result.started) << result.error;
    return result;
  }

  json AwsOk(const std::vector<std::string>& args) {
    ProcessResult result = Aws(args);
    EXPECT_EQ(result.exit_code, 0) << "aws " << args.front() << " failed\nstderr: " << result.err
                                   << "\nstdout: " << result.out;
    if (result.out.empty()) return json::object();
    json parsed = json::parse(result.out, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << result.out;
    return parsed;
  }

  std::vector<std::string> Stages(const std::string& version_id) {
    auto state = emulator_.store().Inspect(kName);
    const VersionState* version = state ? state->FindVersion(version_id) : nullptr;
    return version ? version->stages : std::vector<std::string>{"<no such version>"};
  }

  ScratchDir scratch_;
  std::string config_file_;
  std::string credentials_file_;
  SecretsManagerEmulator emulator_;
};

TEST_F(AwsCliTest, EveryOperationTheToolUses) {
  // create-secret: the CLI generates the ClientRequestToken itself.
  json created = AwsOk({"create-secret", "--name", kName, "--secret-string", R"({"token":"old"})"});
  EXPECT_EQ(created.value("Name", ""), kName);
  const std::string arn = created.value("ARN", "");
  const std::string first = created.value("VersionId", "");
  EXPECT_THAT(arn,
              HasSubstr("arn:aws:secretsmanager:us-east-1:123456789012:secret:dbt/service-token-"));
  ASSERT_EQ(first.size(), 36u) << created.dump();
  EXPECT_THAT(Stages(first), ElementsAre("AWSCURRENT"));

  // put-secret-value with our token and AWSPENDING, twice: the retry is an idempotent no-op.
  const std::vector<std::string> put = {
      "put-secret-value",       "--secret-id",      arn,
      "--client-request-token", kPendingToken,      "--secret-string",
      R"({"token":"new"})",     "--version-stages", "AWSPENDING"};
  json put_result = AwsOk(put);
  EXPECT_EQ(put_result.value("VersionId", ""), kPendingToken);
  EXPECT_EQ(put_result["VersionStages"], json({"AWSPENDING"}));
  EXPECT_EQ(AwsOk(put).value("VersionId", ""), kPendingToken);
  auto state = emulator_.store().Inspect(kName);
  ASSERT_TRUE(state.has_value());
  ASSERT_EQ(state->versions.size(), 2u);
  EXPECT_EQ(state->FindVersion(kPendingToken)->value->expose(), R"({"token":"new"})");
  EXPECT_THAT(Stages(first), ElementsAre("AWSCURRENT"));

  // get-secret-value by stage and by version id.
  json pending = AwsOk({"get-secret-value", "--secret-id", kName, "--version-stage", "AWSPENDING"});
  EXPECT_EQ(pending.value("SecretString", ""), R"({"token":"new"})");
  EXPECT_EQ(pending.value("VersionId", ""), kPendingToken);
  EXPECT_TRUE(pending.contains("CreatedDate"));
  json by_id = AwsOk({"get-secret-value", "--secret-id", arn, "--version-id", first});
  EXPECT_EQ(by_id.value("SecretString", ""), R"({"token":"old"})");
  EXPECT_EQ(by_id["VersionStages"], json({"AWSCURRENT"}));

  // describe-secret: labelled versions only, no RotationEnabled.
  json described = AwsOk({"describe-secret", "--secret-id", kName});
  EXPECT_EQ(described["VersionIdsToStages"],
            (json{{first, {"AWSCURRENT"}}, {kPendingToken, {"AWSPENDING"}}}));
  EXPECT_FALSE(described.contains("RotationEnabled"));
  EXPECT_TRUE(described.contains("LastChangedDate"));

  // update-secret-version-stage: moving AWSCURRENT without RemoveFromVersionId is refused…
  ProcessResult refused =
      Aws({"update-secret-version-stage", "--secret-id", kName, "--version-stage", "AWSCURRENT",
           "--move-to-version-id", kPendingToken});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("InvalidParameterException"));
  EXPECT_THAT(refused.err, HasSubstr("The parameter RemoveFromVersionId can't be empty."));
  // …with it, AWSCURRENT moves and AWSPREVIOUS lands on the old version.
  json moved =
      AwsOk({"update-secret-version-stage", "--secret-id", kName, "--version-stage", "AWSCURRENT",
             "--move-to-version-id", kPendingToken, "--remove-from-version-id", first});
  EXPECT_EQ(moved.value("ARN", ""), arn);
  EXPECT_THAT(Stages(kPendingToken), UnorderedElementsAre("AWSPENDING", "AWSCURRENT"));
  EXPECT_THAT(Stages(first), ElementsAre("AWSPREVIOUS"));
  // Remove-only.
  AwsOk({"update-secret-version-stage", "--secret-id", kName, "--version-stage", "AWSPENDING",
         "--remove-from-version-id", kPendingToken});
  EXPECT_THAT(Stages(kPendingToken), ElementsAre("AWSCURRENT"));

  json listed = AwsOk({"list-secret-version-ids", "--secret-id", kName});
  ASSERT_TRUE(listed["Versions"].is_array());
  ASSERT_EQ(listed["Versions"].size(), 2u) << listed.dump();
  EXPECT_EQ(listed["Versions"][0].value("VersionId", ""), kPendingToken);
  EXPECT_EQ(listed["Versions"][0]["VersionStages"], json({"AWSCURRENT"}));
  EXPECT_EQ(listed["Versions"][1]["VersionStages"], json({"AWSPREVIOUS"}));
  EXPECT_EQ(listed.value("Name", ""), kName);

  json current = AwsOk({"get-secret-value", "--secret-id", kName});
  EXPECT_EQ(current.value("SecretString", ""), R"({"token":"new"})");

  // Every request the CLI sent was signed, verified and logged under its operation name.
  EXPECT_EQ(emulator_.log().CountFor("PutSecretValue"), 2u);
  EXPECT_EQ(emulator_.log().CountFor("UpdateSecretVersionStage"), 3u);
  EXPECT_EQ(emulator_.log().CountFor("GetSecretValue"), 3u);
  for (const RequestRecord& record : emulator_.log().Log()) {
    EXPECT_EQ(record.headers.find("authorization")->second, "AWS4-HMAC-SHA256 <redacted>");
  }
}

TEST_F(AwsCliTest, WrongSecretKeyIsRejected) {
  ASSERT_TRUE(emulator_.store().SeedSecret(kName, "value").has_value());
  ProcessResult result = Aws({"get-secret-value", "--secret-id", kName}, "wrong-secret-key");
  EXPECT_NE(result.exit_code, 0) << result.out;
  EXPECT_THAT(result.err, HasSubstr("InvalidSignatureException"));
  EXPECT_THAT(result.err,
              HasSubstr("The request signature we calculated does not match the signature you "
                        "provided."));
  EXPECT_THAT(result.out, ::testing::Not(HasSubstr("value")));
}

// The AWS CLI's rotate-secret (botocore's RotateSecret shape: RotationRules, RotateImmediately)
// starts a rotation the emulator runs through a template-style function; describe-secret shows
// its result; while a failed rotation is incomplete, rotate-secret is refused; cancel works.
TEST_F(AwsCliTest, RotateSecretRunsTheStepsAndRefusesWhileAPreviousRotationIsIncomplete) {
  constexpr char kLambda[] = "arn:aws:lambda:us-east-1:123456789012:function:dbt-rotate";
  smtest::TemplateFunction function(emulator_.store());
  emulator_.rotation().SetInvoker(&function);
  auto seeded = emulator_.store().SeedSecret(kName, R"({"token":"old"})");
  ASSERT_TRUE(seeded.has_value());

  json rotated = AwsOk({"rotate-secret", "--secret-id", kName, "--client-request-token",
                        kPendingToken, "--rotation-lambda-arn", kLambda, "--rotation-rules",
                        R"j({"ScheduleExpression":"rate(30 days)","Duration":"2h"})j"});
  EXPECT_EQ(rotated.value("VersionId", ""), kPendingToken);
  EXPECT_EQ(rotated.value("ARN", ""), seeded->arn);
  ASSERT_TRUE(emulator_.rotation().WaitIdle(std::chrono::seconds(10)));
  EXPECT_THAT(function.Steps(),
              ElementsAre("createSecret", "setSecret", "testSecret", "finishSecret"));
  EXPECT_THAT(Stages(kPendingToken), UnorderedElementsAre("AWSCURRENT", "AWSPENDING"));

  json described = AwsOk({"describe-secret", "--secret-id", kName});
  EXPECT_EQ(described.value("RotationEnabled", false), true);
  EXPECT_EQ(described.value("RotationLambdaARN", ""), kLambda);
  EXPECT_EQ(described["RotationRules"].value("ScheduleExpression", ""), "rate(30 days)");
  EXPECT_EQ(described["RotationRules"].value("Duration", ""), "2h");
  EXPECT_TRUE(described.contains("LastRotatedDate")) << described.dump();
  EXPECT_TRUE(described.contains("NextRotationDate")) << described.dump();

  // A failing function leaves the rotation incomplete; the next rotate-secret is refused.
  function.FailStep("createSecret", 1);
  json failing = AwsOk({"rotate-secret", "--secret-id", kName});
  ASSERT_TRUE(emulator_.rotation().WaitIdle(std::chrono::seconds(10)));
  const std::string stuck = failing.value("VersionId", "");
  EXPECT_THAT(Stages(stuck), ElementsAre("AWSPENDING"));
  ProcessResult refused = Aws({"rotate-secret", "--secret-id", kName});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("InvalidRequestException"));
  EXPECT_THAT(refused.err, HasSubstr("A previous rotation isn't complete."));

  json cancelled = AwsOk({"cancel-rotate-secret", "--secret-id", kName});
  EXPECT_EQ(cancelled.value("VersionId", ""), stuck);
  EXPECT_EQ(emulator_.store().Inspect(kName)->rotation_enabled, false);
}

}  // namespace
}  // namespace dbtrotate::emulators::secretsmanager
