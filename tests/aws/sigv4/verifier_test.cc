// Server-side verification: a correctly signed request passes, and each kind of tampering or
// misconfiguration is rejected with the matching VerifyFailure.

#include "aws/sigv4/verifier.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>

#include "aws/sigv4/signer.h"
#include "aws/sigv4/uri.h"

namespace dbtrotate::aws::sigv4 {
namespace {

using std::chrono::minutes;

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

SystemTime Now() {
  using namespace std::chrono;
  return sys_days{year{2026} / 8 / 30} + hours{23} + minutes{58};
}

class VerifierTest : public testing::Test {
 protected:
  void SetUp() override {
    request_ = http::Request(http::Method::kPost, "http://127.0.0.1:4566/");
    request_.AddHeader("Content-Type", "application/x-amz-json-1.1");
    request_.AddHeader("X-Amz-Target", "secretsmanager.DescribeSecret");
    request_.AddHeader("User-Agent", "dbt-rotate/0.1.0");
    request_.body = R"({"SecretId":"app/db"})";
    Sign(Now());
  }

  void Sign(SystemTime when, std::string token = "") {
    Credentials credentials;
    credentials.access_key_id = "AKIDEXAMPLE";
    credentials.secret_access_key = SecretString::CopyOf(kSecret);
    credentials.session_token = SecretString(std::move(token));
    ASSERT_TRUE(
        SignRequest(request_, credentials, {"us-east-1", "secretsmanager", when}).has_value());
  }

  http::Header& HeaderNamed(std::string_view name) {
    for (auto& header : request_.headers) {
      if (header.name == name) return header;
    }
    ADD_FAILURE() << "no header " << name;
    return request_.headers.front();
  }

  Result<ParsedAuthorization, VerifyError> Verify(VerifyOptions options = {}) {
    if (options.region.empty() && options.service.empty()) {
      options.region = "us-east-1";
      options.service = "secretsmanager";
    }
    if (options.now == SystemTime{}) options.now = Now();
    const RequestView view{"POST", path_, "", &request_.headers, request_.body};
    return VerifyRequest(
        view, [this](std::string_view akid) { return akid == "AKIDEXAMPLE" ? &secret_ : nullptr; },
        options);
  }

  VerifyFailure FailureOf(const Result<ParsedAuthorization, VerifyError>& result) {
    EXPECT_FALSE(result.has_value());
    if (result.has_value()) return VerifyFailure::kMalformed;
    EXPECT_EQ(result.error().message.find(kSecret), std::string::npos);
    return result.error().failure;
  }

  http::Request request_;
  std::string path_ = "/";
  SecretString secret_ = SecretString::CopyOf(kSecret);
};

TEST_F(VerifierTest, AcceptsCorrectSignature) {
  auto result = Verify();
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(result->signed_headers,
            (std::vector<std::string>{"content-type", "host", "x-amz-date", "x-amz-target"}));
}

TEST_F(VerifierTest, AcceptsSignedSessionTokenAndAnyRegionWhenUnconstrained) {
  Sign(Now(), "session-token");
  VerifyOptions any;
  any.region = "";
  any.service = "secretsmanager";
  EXPECT_TRUE(Verify(any).has_value());
}

TEST_F(VerifierTest, UnsignedHeadersMayChange) {
  HeaderNamed("User-Agent").value = "something else";
  request_.AddHeader("Content-Length", "21");
  EXPECT_TRUE(Verify().has_value());
}

TEST_F(VerifierTest, RejectsTamperedBody) {
  request_.body = R"({"SecretId":"app/other"})";
  EXPECT_EQ(FailureOf(Verify()), VerifyFailure::kSignatureMismatch);
}

TEST_F(VerifierTest, RejectsTamperedSignedHeader) {
  HeaderNamed("X-Amz-Target").value = "secretsmanager.GetSecretValue";
  EXPECT_EQ(FailureOf(Verify()), VerifyFailure::kSignatureMismatch);
}

TEST_F(VerifierTest, RejectsTamperedPath) {
  path_ = "/other";
  EXPECT_EQ(FailureOf(Verify()), VerifyFailure::kSignatureMismatch);
}

TEST_F(VerifierTest, RejectsWrongSecret) {
  secret_ = SecretString::CopyOf("not-the-secret");
  EXPECT_EQ(FailureOf(Verify()), VerifyFailure::kSignatureMismatch);
}

TEST_F(VerifierTest, RejectsUnknownAccessKey) {
  auto& authz = HeaderNamed("Authorization").value;
  authz.replace(authz.find("AKIDEXAMPLE"), 11, "AKIDOTHER00");
  EXPECT_EQ(FailureOf(Verify()), VerifyFailure::kUnknownAccessKey);
}

TEST_F(VerifierTest, RejectsMissingOrMalformedAuthorization) {
  HeaderNamed("Authorization").value = "AWS4-HMAC-SHA256 Credential=x";
  EXPECT_EQ(FailureOf(Verify()), VerifyFailure::kMalformed);
  std::erase_if(request_.headers, [](const http::Header& h) { return h.name == "Authorization"; });
  EXPECT_EQ(FailureOf(Verify()), VerifyFailure::kMissingAuthorization);
}

TEST_F(VerifierTest, RejectsMissingOrBadDate) {
  HeaderNamed("X-Amz-Date").value = "yesterday";
  EXPECT_EQ(FailureOf(Verify()), VerifyFailure::kMalformed);
  std::erase_if(request_.headers, [](const http::Header& h) { return h.name == "X-Amz-Date"; });
  EXPECT_EQ(FailureOf(Verify()), VerifyFailure::kMalformed);
}

TEST_F(VerifierTest, RejectsWrongScope) {
  VerifyOptions other_region{"eu-west-1", "secretsmanager", Now()};
  EXPECT_EQ(FailureOf(Verify(other_region)), VerifyFailure::kWrongScope);
  VerifyOptions other_service{"us-east-1", "sts", Now()};
  EXPECT_EQ(FailureOf(Verify(other_service)), VerifyFailure::kWrongScope);
  // The scope date must be X-Amz-Date's date (here signed just before midnight).
  HeaderNamed("X-Amz-Date").value = "20260831T000100Z";
  EXPECT_EQ(FailureOf(Verify()), VerifyFailure::kWrongScope);
}

TEST_F(VerifierTest, RejectsClockSkewBeyondFifteenMinutesEitherWay) {
  VerifyOptions later{"us-east-1", "secretsmanager", Now() + minutes(16)};
  EXPECT_EQ(FailureOf(Verify(later)), VerifyFailure::kRequestExpired);
  VerifyOptions earlier{"us-east-1", "secretsmanager", Now() - minutes(16)};
  EXPECT_EQ(FailureOf(Verify(earlier)), VerifyFailure::kRequestExpired);
  VerifyOptions within{"us-east-1", "secretsmanager", Now() + minutes(14)};
  EXPECT_TRUE(Verify(within).has_value());
}

TEST_F(VerifierTest, RejectsUnsignedAmzHeaderUnlessAllowed) {
  request_.AddHeader("X-Amz-Security-Token", "added-after-signing");
  EXPECT_EQ(FailureOf(Verify()), VerifyFailure::kHeaderNotSigned);
  VerifyOptions lenient{"us-east-1", "secretsmanager", Now()};
  lenient.require_amz_headers_signed = false;
  EXPECT_TRUE(Verify(lenient).has_value());
}

TEST_F(VerifierTest, RejectsSignatureThatOmitsHost) {
  // A signer that leaves host out of SignedHeaders (computed correctly otherwise).
  const RequestView view{"POST", "/", "", &request_.headers, request_.body};
  auto creq = CanonicalRequest(view, {"content-type", "x-amz-date", "x-amz-target"});
  ASSERT_TRUE(creq.has_value());
  const std::string date = HeaderNamed("X-Amz-Date").value;
  const std::string scope = CredentialScope(date.substr(0, 8), "us-east-1", "secretsmanager");
  HeaderNamed("Authorization").value =
      FormatAuthorization("AKIDEXAMPLE", scope, "content-type;x-amz-date;x-amz-target",
                          ComputeSignature(kSecret, date.substr(0, 8), "us-east-1",
                                           "secretsmanager", StringToSign(date, scope, *creq)));
  EXPECT_EQ(FailureOf(Verify()), VerifyFailure::kHeaderNotSigned);
}

TEST_F(VerifierTest, RejectsSignedHeaderThatIsNotSent) {
  auto& authz = HeaderNamed("Authorization").value;
  authz.replace(authz.find("x-amz-target"), 12, "x-amz-target;x-extra");
  EXPECT_EQ(FailureOf(Verify()), VerifyFailure::kMalformed);
}

TEST(VerifyFailureName, NamesEveryFailure) {
  for (auto failure : {VerifyFailure::kMissingAuthorization, VerifyFailure::kMalformed,
                       VerifyFailure::kUnknownAccessKey, VerifyFailure::kWrongScope,
                       VerifyFailure::kRequestExpired, VerifyFailure::kHeaderNotSigned,
                       VerifyFailure::kSignatureMismatch}) {
    EXPECT_FALSE(VerifyFailureName(failure).empty());
  }
}

}  // namespace
}  // namespace dbtrotate::aws::sigv4
