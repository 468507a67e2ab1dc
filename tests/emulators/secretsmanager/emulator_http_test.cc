// The emulator over real loopback HTTP: AWS JSON 1.1 framing, SigV4 verification (every part
// tampered with after signing must be rejected, and must change nothing), faults and the log.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "aws/sigv4/signer.h"
#include "core/clock.h"
#include "core/random.h"
#include "emulators/secretsmanager/emulator.h"
#include "signed_caller.h"

namespace dbtrotate::emulators::secretsmanager {
namespace {

SecretsManagerEmulatorOptions Options(Clock* clock, Random* random, bool strict = false,
                                      int port = 0) {
  SecretsManagerEmulatorOptions options;
  options.clock = clock;
  options.random = random;
  options.require_amz_headers_signed = strict;
  options.server.port = port;
  return options;
}

using nlohmann::json;
using smtest::BodyJson;
using smtest::MakeCredentials;
using smtest::SignedCaller;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// 2015-08-30T12:36:00Z, the SigV4 suite's time.
const SystemTime kNow = SystemTime(std::chrono::seconds(1440938160));
constexpr char kHttpAccessKey[] = "AKIDEXAMPLE";
constexpr char kHttpSecretKey[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const std::string kToken1 = "11111111-1111-4111-8111-111111111111";
const std::string kToken2 = "22222222-2222-4222-8222-222222222222";
constexpr char kMismatch[] =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

class EmulatorHttpTest : public ::testing::Test {
 protected:
  EmulatorHttpTest() : clock_(kNow), random_(3), emulator_(Options(&clock_, &random_)) {}

  void SetUp() override {
    emulator_.AddCredentials(MakeCredentials(kHttpAccessKey, kHttpSecretKey));
    auto started = emulator_.Start();
    ASSERT_TRUE(started.has_value()) << started.error();
    caller_ = std::make_unique<SignedCaller>(emulator_.endpoint_url(),
                                             MakeCredentials(kHttpAccessKey, kHttpSecretKey), clock_);
    ASSERT_TRUE(emulator_.store().SeedSecret("app/db", "v1").has_value());
  }

  // Sends and expects an error response with this status and code; returns its body.
  json ExpectRejected(const http::Request& request, const std::string& type,
                      std::string_view message_part = "") {
    http::HttpResult result = caller_->Send(request);
    EXPECT_TRUE(result.has_value()) << result.error().message;
    if (!result.has_value()) return {};
    EXPECT_EQ(result->status, 400) << result->body;
    json body = BodyJson(*result);
    EXPECT_EQ(body.value("__type", ""), type) << result->body;
    const std::string message =
        body.contains("message") ? body.value("message", "") : body.value("Message", "");
    EXPECT_THAT(message, HasSubstr(std::string(message_part)));
    EXPECT_TRUE(result->HeaderValue("x-amzn-RequestId").has_value());
    return body;
  }

  std::size_t VersionCount() { return emulator_.store().Inspect("app/db")->versions.size(); }

  std::string PutBody(const std::string& token, const std::string& value) {
    return json{{"SecretId", "app/db"}, {"ClientRequestToken", token}, {"SecretString", value}}
        .dump();
  }

  FakeClock clock_;
  SeededRandom random_;
  SecretsManagerEmulator emulator_;
  std::unique_ptr<SignedCaller> caller_;
};

// --- Wire protocol ----------------------------------------------------------------------------

TEST_F(EmulatorHttpTest, EveryOperationRoundTripsWithJson11Headers) {
  std::set<std::string> request_ids;
  auto call = [&](std::string_view op, const json& body) {
    http::Response response = caller_->Call(op, body);
    EXPECT_EQ(response.status, 200) << op << ": " << response.body;
    EXPECT_EQ(response.HeaderValue("content-type"), "application/x-amz-json-1.1");
    auto id = response.HeaderValue("x-amzn-RequestId");
    EXPECT_TRUE(id.has_value());
    if (id) request_ids.insert(*id);
    return BodyJson(response);
  };
  json created = call("CreateSecret",
                      {{"Name", "svc"}, {"ClientRequestToken", kToken1}, {"SecretString", "one"}});
  EXPECT_EQ(created["VersionId"], kToken1);
  json put = call("PutSecretValue", {{"SecretId", created["ARN"]},
                                     {"ClientRequestToken", kToken2},
                                     {"SecretString", "two"},
                                     {"VersionStages", {"AWSPENDING"}}});
  EXPECT_EQ(put["VersionStages"], json({"AWSPENDING"}));
  EXPECT_EQ(call("GetSecretValue", {{"SecretId", "svc"},
                                    {"VersionId", kToken2},
                                    {"VersionStage", "AWSPENDING"}})["SecretString"],
            "two");
  json described = call("DescribeSecret", {{"SecretId", "svc"}});
  EXPECT_EQ(described["VersionIdsToStages"][kToken2], json({"AWSPENDING"}));
  call("UpdateSecretVersionStage", {{"SecretId", "svc"},
                                    {"VersionStage", "AWSCURRENT"},
                                    {"MoveToVersionId", kToken2},
                                    {"RemoveFromVersionId", kToken1}});
  EXPECT_EQ(call("GetSecretValue", {{"SecretId", "svc"}})["SecretString"], "two");
  json listed = call("ListSecretVersionIds", {{"SecretId", "svc"}});
  EXPECT_EQ(listed["Versions"].size(), 2u);
  EXPECT_EQ(request_ids.size(), 7u);  // one fresh id per request

  std::vector<std::string> operations;
  for (const RequestRecord& record : emulator_.log().Log()) operations.push_back(record.operation);
  EXPECT_THAT(operations, ::testing::ElementsAre("CreateSecret", "PutSecretValue", "GetSecretValue",
                                                 "DescribeSecret", "UpdateSecretVersionStage",
                                                 "GetSecretValue", "ListSecretVersionIds"));
}

TEST_F(EmulatorHttpTest, ServiceErrorsAre400WithTypeAndMessage) {
  http::Response response = caller_->Call("GetSecretValue", {{"SecretId", "missing"}});
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.HeaderValue("content-type"), "application/x-amz-json-1.1");
  EXPECT_EQ(BodyJson(response),
            (json{{"__type", "ResourceNotFoundException"},
                  {"Message", "Secrets Manager can't find the specified secret."}}));
  EXPECT_TRUE(response.HeaderValue("x-amzn-RequestId").has_value());
}

TEST_F(EmulatorHttpTest, UnknownOrMissingTargetIsUnknownOperation) {
  ExpectRejected(caller_->Signed("GetRandomPassword", "{}"),
                 "com.amazon.coral.service#UnknownOperationException");
  http::Request foreign = caller_->Build("x", "{}");
  foreign.headers[1].value = "kms.Decrypt";
  caller_->Sign(foreign);
  ExpectRejected(foreign, "com.amazon.coral.service#UnknownOperationException", "kms.Decrypt");
  http::Request none = caller_->Build("x", "{}");
  none.headers.erase(none.headers.begin() + 1);
  caller_->Sign(none);
  ExpectRejected(none, "com.amazon.coral.service#UnknownOperationException", "X-Amz-Target");
  http::Request get(http::Method::kGet, emulator_.endpoint_url() + "/other");
  ExpectRejected(get, "com.amazon.coral.service#UnknownOperationException");
}

TEST_F(EmulatorHttpTest, MalformedBodiesAreSerializationOrValidationErrors) {
  ExpectRejected(caller_->Signed("GetSecretValue", "{oops"),
                 "com.amazon.coral.service#SerializationException");
  ExpectRejected(caller_->Signed("GetSecretValue", "{}"),
                 "com.amazon.coral.validate#ValidationException",
                 "Value null at 'secretId' failed to satisfy constraint: Member must not be null");
}

// --- SigV4 ------------------------------------------------------------------------------------

TEST_F(EmulatorHttpTest, MissingAuthorizationIsMissingAuthenticationToken) {
  ExpectRejected(caller_->Build("GetSecretValue", R"({"SecretId":"app/db"})"),
                 "com.amazon.coral.service#MissingAuthenticationTokenException",
                 "Request is missing Authentication Token");
}

TEST_F(EmulatorHttpTest, TamperedBodyIsRejectedAndNotApplied) {
  http::Request request = caller_->Signed("PutSecretValue", PutBody(kToken2, "v2"));
  request.body = PutBody(kToken2, "v3");
  ExpectRejected(request, "com.amazon.coral.service#InvalidSignatureException", kMismatch);
  EXPECT_EQ(VersionCount(), 1u);
  EXPECT_EQ(emulator_.log().CountFor("PutSecretValue"), 1u);
}

TEST_F(EmulatorHttpTest, TamperedSignedHeaderIsRejected) {
  http::Request request = caller_->Signed("PutSecretValue", PutBody(kToken2, "v2"));
  for (auto& header : request.headers) {
    if (header.name == "X-Amz-Target") header.value = "secretsmanager.GetSecretValue";
  }
  ExpectRejected(request, "com.amazon.coral.service#InvalidSignatureException", kMismatch);
  request = caller_->Signed("GetSecretValue", R"({"SecretId":"app/db"})");
  for (auto& header : request.headers) {
    if (header.name == "Host") header.value = "secretsmanager.us-east-1.amazonaws.com";
  }
  ExpectRejected(request, "com.amazon.coral.service#InvalidSignatureException", kMismatch);
  EXPECT_EQ(VersionCount(), 1u);
}

TEST_F(EmulatorHttpTest, TamperedDateIsRejected) {
  http::Request request = caller_->Signed("GetSecretValue", R"({"SecretId":"app/db"})");
  for (auto& header : request.headers) {
    if (header.name == "X-Amz-Date") header.value = "20150830T123700Z";  // +1 min, same day
  }
  ExpectRejected(request, "com.amazon.coral.service#InvalidSignatureException", kMismatch);
  for (auto& header : request.headers) {
    if (header.name == "X-Amz-Date") header.value = "20150831T123600Z";  // other day than scope
  }
  ExpectRejected(request, "com.amazon.coral.service#InvalidSignatureException",
                 "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                 "from HTTP: '20150830' != '20150831', from 'X-Amz-Date'.");
}

TEST_F(EmulatorHttpTest, TamperedSignatureIsRejected) {
  http::Request request = caller_->Signed("GetSecretValue", R"({"SecretId":"app/db"})");
  for (auto& header : request.headers) {
    if (header.name != "Authorization") continue;
    char& last = header.value.back();
    last = last == '0' ? '1' : '0';
  }
  ExpectRejected(request, "com.amazon.coral.service#InvalidSignatureException", kMismatch);
}

TEST_F(EmulatorHttpTest, UnknownAccessKeyIsUnrecognizedClient) {
  caller_->set_credentials(MakeCredentials("AKIDUNKNOWN", kHttpSecretKey));
  ExpectRejected(caller_->Signed("GetSecretValue", R"({"SecretId":"app/db"})"),
                 "com.amazon.coral.service#UnrecognizedClientException",
                 "The security token included in the request is invalid.");
}

TEST_F(EmulatorHttpTest, WrongSecretKeyIsInvalidSignature) {
  caller_->set_credentials(MakeCredentials(kHttpAccessKey, "not-the-secret-key"));
  ExpectRejected(caller_->Signed("PutSecretValue", PutBody(kToken2, "v2")),
                 "com.amazon.coral.service#InvalidSignatureException", kMismatch);
  EXPECT_EQ(VersionCount(), 1u);
  EXPECT_EQ(emulator_.log().AppliedCountFor("PutSecretValue"), 1u);  // the handler ran, refused
}

TEST_F(EmulatorHttpTest, ClockSkewBeyondFifteenMinutesIsRejected) {
  http::Request old_request = caller_->Build("GetSecretValue", R"({"SecretId":"app/db"})");
  caller_->SignAt(old_request, kNow - std::chrono::minutes(16));
  ExpectRejected(old_request, "com.amazon.coral.service#InvalidSignatureException",
                 "Signature expired: 20150830T122000Z is now earlier than 20150830T122100Z "
                 "(20150830T123600Z - 15 min.)");
  http::Request future = caller_->Build("GetSecretValue", R"({"SecretId":"app/db"})");
  caller_->SignAt(future, kNow + std::chrono::minutes(16));
  ExpectRejected(future, "com.amazon.coral.service#InvalidSignatureException",
                 "Signature not yet current: 20150830T125200Z is still later than "
                 "20150830T125100Z (20150830T123600Z + 15 min.)");
  http::Request within = caller_->Build("GetSecretValue", R"({"SecretId":"app/db"})");
  caller_->SignAt(within, kNow - std::chrono::minutes(14));
  http::HttpResult ok = caller_->Send(within);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->status, 200) << ok->body;
}

TEST_F(EmulatorHttpTest, WrongScopeIsRejected) {
  SignedCaller eu(emulator_.endpoint_url(), MakeCredentials(kHttpAccessKey, kHttpSecretKey), clock_,
                  "eu-west-1");
  ExpectRejected(eu.Signed("GetSecretValue", R"({"SecretId":"app/db"})"),
                 "com.amazon.coral.service#InvalidSignatureException",
                 "Credential should be scoped to a valid region, not 'eu-west-1'.");
  http::Request s3 = caller_->Build("GetSecretValue", R"({"SecretId":"app/db"})");
  ASSERT_TRUE(aws::sigv4::SignRequest(s3, MakeCredentials(kHttpAccessKey, kHttpSecretKey),
                                      {"us-east-1", "s3", kNow})
                  .has_value());
  ExpectRejected(s3, "com.amazon.coral.service#InvalidSignatureException",
                 "Credential should be scoped to correct service: 'secretsmanager'.");
}

TEST_F(EmulatorHttpTest, HostAndDateMustBeSignedAndPresent) {
  http::Request request = caller_->Signed("GetSecretValue", R"({"SecretId":"app/db"})");
  for (auto& header : request.headers) {
    if (header.name != "Authorization") continue;
    const std::size_t at = header.value.find("host;");
    ASSERT_NE(at, std::string::npos) << header.value;
    header.value.erase(at, 5);
  }
  ExpectRejected(request, "com.amazon.coral.service#IncompleteSignatureException",
                 "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");

  http::Request no_date = caller_->Signed("GetSecretValue", R"({"SecretId":"app/db"})");
  std::erase_if(no_date.headers, [](const http::Header& h) { return h.name == "X-Amz-Date"; });
  ExpectRejected(no_date, "com.amazon.coral.service#IncompleteSignatureException", "X-Amz-Date");

  http::Request garbage = caller_->Build("GetSecretValue", R"({"SecretId":"app/db"})");
  garbage.AddHeader("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE");
  garbage.AddHeader("X-Amz-Date", "20150830T123600Z");
  ExpectRejected(garbage, "com.amazon.coral.service#IncompleteSignatureException");
}

TEST_F(EmulatorHttpTest, UnsignedAmzHeadersAreAcceptedUnlessRequired) {
  http::Request request = caller_->Signed("GetSecretValue", R"({"SecretId":"app/db"})");
  request.AddHeader("X-Amz-Extra", "added after signing");
  http::HttpResult ok = caller_->Send(request);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->status, 200) << ok->body;

  FakeClock clock(kNow);
  SecretsManagerEmulator strict(Options(&clock, &random_, /*strict=*/true));
  strict.AddCredentials(MakeCredentials(kHttpAccessKey, kHttpSecretKey));
  ASSERT_TRUE(strict.Start().has_value());
  SignedCaller strict_caller(strict.endpoint_url(), MakeCredentials(kHttpAccessKey, kHttpSecretKey), clock);
  http::Request unsigned_header = strict_caller.Signed("DescribeSecret", R"({"SecretId":"x"})");
  unsigned_header.AddHeader("X-Amz-Extra", "added after signing");
  http::HttpResult rejected = strict_caller.Send(unsigned_header);
  ASSERT_TRUE(rejected.has_value());
  EXPECT_EQ(BodyJson(*rejected)["__type"], "com.amazon.coral.service#IncompleteSignatureException");
}

TEST_F(EmulatorHttpTest, TemporaryCredentialsNeedTheirSessionToken) {
  emulator_.AddCredentials(MakeCredentials("ASIATEMP", "temp-secret", "the-session-token"));
  SignedCaller temp(emulator_.endpoint_url(),
                    MakeCredentials("ASIATEMP", "temp-secret", "the-session-token"), clock_);
  http::Response ok = temp.Call("GetSecretValue", {{"SecretId", "app/db"}});
  EXPECT_EQ(ok.status, 200) << ok.body;

  temp.set_credentials(MakeCredentials("ASIATEMP", "temp-secret"));  // token not sent
  ExpectRejected(temp.Signed("GetSecretValue", R"({"SecretId":"app/db"})"),
                 "com.amazon.coral.service#UnrecognizedClientException",
                 "The security token included in the request is invalid.");
  temp.set_credentials(MakeCredentials("ASIATEMP", "temp-secret", "another-token"));
  ExpectRejected(temp.Signed("GetSecretValue", R"({"SecretId":"app/db"})"),
                 "com.amazon.coral.service#UnrecognizedClientException");
  // A session token with long-term keys is just as invalid.
  caller_->set_credentials(MakeCredentials(kHttpAccessKey, kHttpSecretKey, "stray-token"));
  ExpectRejected(caller_->Signed("GetSecretValue", R"({"SecretId":"app/db"})"),
                 "com.amazon.coral.service#UnrecognizedClientException");
}

TEST_F(EmulatorHttpTest, ExpiredTemporaryCredentialsAreExpiredToken) {
  aws::Credentials expiring = MakeCredentials("ASIAEXP", "exp-secret", "tok");
  expiring.expiration = kNow + std::chrono::minutes(5);
  emulator_.AddCredentials(expiring);
  SignedCaller temp(emulator_.endpoint_url(), MakeCredentials("ASIAEXP", "exp-secret", "tok"),
                    clock_);
  EXPECT_EQ(temp.Call("GetSecretValue", {{"SecretId", "app/db"}}).status, 200);
  clock_.Advance(std::chrono::minutes(5));
  ExpectRejected(temp.Signed("GetSecretValue", R"({"SecretId":"app/db"})"),
                 "com.amazon.coral.service#ExpiredTokenException",
                 "The security token included in the request is expired");
}

TEST_F(EmulatorHttpTest, RemovedCredentialsNoLongerWork) {
  emulator_.RemoveCredentials(kHttpAccessKey);
  ExpectRejected(caller_->Signed("GetSecretValue", R"({"SecretId":"app/db"})"),
                 "com.amazon.coral.service#UnrecognizedClientException");
}

// --- Faults, latency, log ---------------------------------------------------------------------

TEST_F(EmulatorHttpTest, ApplyThenDropLosesTheReplyButKeepsTheWrite) {
  emulator_.faults().AddRule(FaultRule::ForOperation("PutSecretValue", Fault::ApplyThenDrop()));
  http::HttpResult lost = caller_->Send(caller_->Signed("PutSecretValue", PutBody(kToken2, "v2")));
  ASSERT_FALSE(lost.has_value());
  EXPECT_EQ(VersionCount(), 2u);
  // The retry with the same token and value is the idempotent no-op AWS promises.
  http::Response retry = caller_->Call("PutSecretValue", json::parse(PutBody(kToken2, "v2")));
  EXPECT_EQ(retry.status, 200) << retry.body;
  EXPECT_EQ(VersionCount(), 2u);
  EXPECT_EQ(emulator_.log().CountFor("PutSecretValue"), 2u);
  EXPECT_EQ(emulator_.log().AppliedCountFor("PutSecretValue"), 2u);
  const std::vector<RequestRecord> log = emulator_.log().Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].status, 0);
  EXPECT_EQ(log[0].fault, FaultKind::kApplyThenDrop);
  EXPECT_EQ(log[1].status, 200);
  EXPECT_EQ(log[0].headers.find("authorization")->second, "AWS4-HMAC-SHA256 <redacted>");
}

TEST_F(EmulatorHttpTest, ErrorFaultsAnswerLikeSecretsManagerWithoutApplying) {
  emulator_.faults().AddRule(FaultRule::ForOperation(
      "PutSecretValue", AwsErrorFault(ApiErrorCode::kInternalServiceError, "try again"), 1));
  emulator_.faults().AddRule(FaultRule::ForOperation(
      "GetSecretValue", AwsErrorFault(ApiErrorCode::kThrottling, "Rate exceeded"), 1));
  http::Response failed = caller_->Call("PutSecretValue", json::parse(PutBody(kToken2, "v2")));
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.HeaderValue("content-type"), "application/x-amz-json-1.1");
  EXPECT_EQ(BodyJson(failed), (json{{"__type", "InternalServiceError"}, {"Message", "try again"}}));
  EXPECT_EQ(VersionCount(), 1u);
  http::Response throttled = caller_->Call("GetSecretValue", {{"SecretId", "app/db"}});
  EXPECT_EQ(throttled.status, 400);
  EXPECT_EQ(BodyJson(throttled)["__type"], "com.amazon.coral.service#ThrottlingException");
  // Rules are used up: the next calls succeed.
  EXPECT_EQ(caller_->Call("PutSecretValue", json::parse(PutBody(kToken2, "v2"))).status, 200);
  EXPECT_EQ(caller_->Call("GetSecretValue", {{"SecretId", "app/db"}}).status, 200);
  EXPECT_EQ(emulator_.log().AppliedCountFor("PutSecretValue"), 1u);
}

TEST_F(EmulatorHttpTest, HeldRequestCanBeAppliedLater) {
  emulator_.faults().AddRule(FaultRule::ForOperation("UpdateSecretVersionStage", Fault::Hold()));
  ASSERT_EQ(caller_
                ->Call("PutSecretValue", {{"SecretId", "app/db"},
                                          {"ClientRequestToken", kToken2},
                                          {"SecretString", "v2"},
                                          {"VersionStages", {"AWSPENDING"}}})
                .status,
            200);
  const std::string current =
      emulator_.store().Inspect("app/db")->VersionWithStage("AWSCURRENT")->version_id;
  http::Request move =
      caller_->Signed("UpdateSecretVersionStage", json{{"SecretId", "app/db"},
                                                       {"VersionStage", "AWSCURRENT"},
                                                       {"MoveToVersionId", kToken2},
                                                       {"RemoveFromVersionId", current}}
                                                      .dump());
  std::optional<http::HttpResult> result;
  std::thread sender([&] { result.emplace(caller_->Send(move)); });
  ASSERT_TRUE(emulator_.faults().WaitForHeld(std::chrono::seconds(5)));
  EXPECT_EQ(emulator_.store().Inspect("app/db")->VersionWithStage("AWSCURRENT")->version_id,
            current);
  emulator_.faults().Release(HoldRelease::kApply);
  sender.join();
  ASSERT_TRUE(result.has_value() && result->has_value());
  EXPECT_EQ((*result)->status, 200) << (*result)->body;
  EXPECT_EQ(emulator_.store().Inspect("app/db")->VersionWithStage("AWSCURRENT")->version_id,
            kToken2);
}

TEST_F(EmulatorHttpTest, LatencyDelaysEveryRequest) {
  emulator_.SetLatency(std::chrono::milliseconds(60));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(caller_->Call("DescribeSecret", {{"SecretId", "app/db"}}).status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(60));
}

TEST(EmulatorLifecycle, StopIsIdempotentAndFreesThePort) {
  SecretsManagerEmulator emulator;
  emulator.AddCredentials(MakeCredentials(kHttpAccessKey, kHttpSecretKey));
  ASSERT_TRUE(emulator.Start().has_value());
  EXPECT_THAT(emulator.endpoint_url(), StartsWith("http://127.0.0.1:"));
  const int port = emulator.port();
  EXPECT_GT(port, 0);
  emulator.Stop();
  emulator.Stop();
  // The same port can be chosen again.
  SecretsManagerEmulator again(Options(nullptr, nullptr, false, port));
  auto restarted = again.Start();
  ASSERT_TRUE(restarted.has_value()) << restarted.error();
  EXPECT_EQ(again.port(), port);
}

}  // namespace
}  // namespace dbtrotate::emulators::secretsmanager
