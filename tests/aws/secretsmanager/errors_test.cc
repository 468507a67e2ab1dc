// Error responses (reference §1.2) become typed errors that name the operation and the secret,
// keep AWS's message and never contain a secret value.

#include <gtest/gtest.h>

#include "aws/secretsmanager/client_fixture.h"
#include "aws/secretsmanager/error_mapping.h"

namespace dbtrotate::aws::testing {
namespace {

// One attempt per call, so each scripted reply is the final answer.
class ErrorsTest : public ClientTest {
 protected:
  ErrorsTest() : ClientTest("https://secretsmanager.us-east-1.amazonaws.com", RetryConfig{1}) {}
};

struct ErrorCase {
  int status;
  std::string body;
  std::vector<http::Header> headers;
  ErrorCode expected_code;
  std::string expected_aws_code;
  std::string expected_message_part;
};

TEST(StripErrorCode, KeepsTheBareCode) {
  EXPECT_EQ(StripErrorCode("ResourceNotFoundException"), "ResourceNotFoundException");
  EXPECT_EQ(StripErrorCode("com.amazon.coral.service#UnrecognizedClientException"),
            "UnrecognizedClientException");
  EXPECT_EQ(StripErrorCode("ValidationException:http://internal.amazon.com/coral/"
                           "com.amazon.coral.validate/"),
            "ValidationException");
  EXPECT_EQ(StripErrorCode("aws.protocoltests#Foo:http://x#y"), "Foo");
  EXPECT_EQ(StripErrorCode(""), "");
}

TEST_F(ErrorsTest, EveryErrorClassIsMapped) {
  const std::vector<ErrorCase> cases = {
      {400,
       R"({"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."})",
       {},
       ErrorCode::kResourceNotFound,
       "ResourceNotFoundException",
       "can't find the specified secret"},
      {400,
       R"({"__type":"InvalidParameterException","Message":"bad param"})",
       {},
       ErrorCode::kInvalidParameter,
       "InvalidParameterException",
       "bad param"},
      {400,
       R"({"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error"})",
       {},
       ErrorCode::kInvalidParameter,
       "ValidationException",
       "1 validation error"},
      {400,
       R"({"__type":"InvalidNextTokenException","Message":"tok"})",
       {},
       ErrorCode::kInvalidParameter,
       "InvalidNextTokenException",
       "tok"},
      {400,
       R"({"__type":"InvalidRequestException","Message":"marked for deletion"})",
       {},
       ErrorCode::kInvalidRequest,
       "InvalidRequestException",
       "marked for deletion"},
      {400,
       R"({"__type":"ResourceExistsException","Message":"token in use"})",
       {},
       ErrorCode::kResourceExists,
       "ResourceExistsException",
       "token in use"},
      {400,
       R"({"__type":"AccessDeniedException","Message":"not authorized to perform"})",
       {},
       ErrorCode::kAccessDenied,
       "AccessDeniedException",
       "not authorized to perform"},
      {400,
       R"({"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"The security token included in the request is invalid."})",
       {},
       ErrorCode::kAuthFailure,
       "UnrecognizedClientException",
       "security token included"},
      {400,
       R"({"__type":"com.amazon.coral.service#InvalidSignatureException","message":"sig mismatch"})",
       {},
       ErrorCode::kAuthFailure,
       "InvalidSignatureException",
       "sig mismatch"},
      {400,
       R"({"__type":"IncompleteSignatureException","message":"incomplete"})",
       {},
       ErrorCode::kAuthFailure,
       "IncompleteSignatureException",
       "incomplete"},
      {403,
       R"({"__type":"InvalidClientTokenId","message":"bad key id"})",
       {},
       ErrorCode::kAuthFailure,
       "InvalidClientTokenId",
       "bad key id"},
      {400,
       R"({"__type":"DecryptionFailure","Message":"kms says no"})",
       {},
       ErrorCode::kDecryptionFailure,
       "DecryptionFailure",
       "kms says no"},
      {400,
       R"({"__type":"EncryptionFailure","Message":"kms key disabled"})",
       {},
       ErrorCode::kEncryptionFailure,
       "EncryptionFailure",
       "kms key disabled"},
      {400,
       R"({"__type":"LimitExceededException","Message":"too many versions"})",
       {},
       ErrorCode::kLimitExceeded,
       "LimitExceededException",
       "too many versions"},
      {400,
       R"({"__type":"ThrottlingException","message":"Rate exceeded"})",
       {},
       ErrorCode::kThrottling,
       "ThrottlingException",
       "Rate exceeded"},
      {500,
       R"({"__type":"InternalServiceError","Message":"oops"})",
       {},
       ErrorCode::kInternal,
       "InternalServiceError",
       "oops"},
      {400,
       R"({"__type":"InternalServiceError","Message":"rendered as 400"})",
       {},
       ErrorCode::kInternal,
       "InternalServiceError",
       "rendered as 400"},
      {503,
       R"({"__type":"ServiceUnavailable","message":"later"})",
       {},
       ErrorCode::kInternal,
       "ServiceUnavailable",
       "later"},
      // No __type: the header, stripped.
      {400,
       R"({"Message":"from header"})",
       {{"x-amzn-errortype", "ResourceNotFoundException:http://internal.amazon.com/coral/"}},
       ErrorCode::kResourceNotFound,
       "ResourceNotFoundException",
       "from header"},
      // Neither: the HTTP status.
      {502, "", {}, ErrorCode::kInternal, "502", "HTTP 502"},
      {429, "", {}, ErrorCode::kThrottling, "429", "HTTP 429"},
      {403, "", {}, ErrorCode::kAccessDenied, "403", "HTTP 403"},
      {404, "", {}, ErrorCode::kOther, "404", "HTTP 404"},
      // A body that is not JSON becomes the message.
      {400,
       "<html>Bad Gateway from proxy</html>",
       {},
       ErrorCode::kOther,
       "400",
       "<html>Bad Gateway from proxy</html>"},
      // `message` wins over `Message`.
      {400,
       R"({"__type":"X","message":"lower","Message":"upper"})",
       {},
       ErrorCode::kOther,
       "X",
       ": lower"},
  };
  for (const auto& c : cases) {
    std::vector<http::Header> headers = c.headers;
    headers.push_back({"x-amzn-requestid", "rid-42"});
    http_.Reply(c.status, c.body, headers);
    auto result = client().GetSecretValue({"app/db", std::nullopt, std::nullopt});
    ASSERT_FALSE(result.has_value()) << c.body;
    const Error& error = result.error();
    EXPECT_EQ(error.code, c.expected_code) << c.body << " → " << error.message;
    EXPECT_EQ(error.aws_code, c.expected_aws_code) << c.body;
    EXPECT_EQ(error.http_status, c.status);
    EXPECT_EQ(error.request_id, "rid-42");
    EXPECT_FALSE(error.ambiguous);
    EXPECT_NE(error.message.find(c.expected_message_part), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("GetSecretValue"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("'app/db'"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("rid-42"), std::string::npos) << error.message;
    EXPECT_EQ(error.message.find('\n'), std::string::npos) << error.message;
  }
}

TEST_F(ErrorsTest, AuthFailuresNameTheCredentialSource) {
  http_.Reply(403, R"({"__type":"InvalidClientTokenId","message":"bad"})");
  auto result = client().DescribeSecret("app/db");
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("from fake"), std::string::npos) << result.error().message;
}

TEST_F(ErrorsTest, HugeNonJsonBodiesAreShortenedToOneLine) {
  http_.Reply(502, std::string(10000, 'x') + "\r\n<body>");
  auto result = client().DescribeSecret("app/db");
  ASSERT_FALSE(result.has_value());
  EXPECT_LT(result.error().message.size(), 1000u);
  EXPECT_EQ(result.error().message.find('\r'), std::string::npos);
}

TEST_F(ErrorsTest, MissingCredentialsAreReportedWithoutSending) {
  credentials_.FailWith("no credentials in env, profile 'default' or IMDS");
  auto result = client().DescribeSecret("app/db");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kNoCredentials);
  EXPECT_NE(result.error().message.find("IMDS"), std::string::npos);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(ErrorsTest, TransportErrorsAreKeptApartFromHttpStatus) {
  http_.FailTransport(http::ErrorKind::kConnect, false);
  auto result = client().DescribeSecret("app/db");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kTransport);
  EXPECT_EQ(result.error().http_status, 0);
  EXPECT_NE(result.error().message.find("connection failed"), std::string::npos);
  EXPECT_NE(result.error().message.find("secretsmanager.us-east-1.amazonaws.com"),
            std::string::npos);
}

// Whatever goes wrong around a write, the value written never shows up in a message, even when
// a (misbehaving) server echoes it back.
TEST_F(ErrorsTest, SecretValueNeverAppearsInAnyMessage) {
  const std::string secret = "S3cr3t-V@lue-never-log-me";
  std::vector<std::function<void()>> failures = {
      [&] {
        http_.Reply(400, R"({"__type":"InvalidParameterException","Message":"bad value )" + secret +
                             R"("})");
      },
      [&] { http_.Reply(400, R"({"__type":"ResourceExistsException","Message":"token used"})"); },
      [&] { http_.Reply(500, "echo: " + secret); },
      [&] {
        http_.Reply(400, "", {{"x-amzn-errortype", "LimitExceededException"}});
      },
      [&] { http_.Reply(403, R"({"__type":"AccessDeniedException","message":"no"})"); },
      [&] { http_.Reply(400, R"({"__type":"EncryptionFailure","Message":")" + secret + "\"}"); },
      [&] { http_.FailTransport(http::ErrorKind::kTimeout, true); },
      [&] { http_.Reply(200, "{\"ARN\": 5, \"echo\":\"" + secret + "\"}"); },
      [&] { http_.Reply(200, "not json " + secret); },
  };
  for (std::size_t i = 0; i < failures.size(); ++i) {
    failures[i]();
    auto put = client().PutSecretValue({"app/db", "tok", SecretString::CopyOf(secret), {}});
    ASSERT_FALSE(put.has_value()) << i;
    EXPECT_EQ(put.error().message.find(secret), std::string::npos)
        << i << ": " << put.error().message;
    EXPECT_EQ(put.error().message.find("S3cr3t"), std::string::npos) << i;
    EXPECT_NE(put.error().message.find("PutSecretValue on secret 'app/db'"), std::string::npos);

    failures[i]();
    auto create =
        client().CreateSecret({"app/db", "tok", SecretString::CopyOf(secret), std::nullopt, {}});
    ASSERT_FALSE(create.has_value()) << i;
    EXPECT_EQ(create.error().message.find(secret), std::string::npos)
        << i << ": " << create.error().message;
    EXPECT_NE(create.error().message.find("CreateSecret on secret 'app/db'"), std::string::npos);
  }
  // The value did go over the wire (so the checks above are meaningful).
  ASSERT_FALSE(http_.requests().empty());
  EXPECT_NE(http_.requests().front().body.find(secret), std::string::npos);
}

TEST_F(ErrorsTest, ReadsNeverEchoTheValueOfAMalformedSuccess) {
  http_.Reply(200, R"({"SecretString":"top-secret-value","VersionStages":"not-a-list"})");
  auto result = client().GetSecretValue({"app/db", std::nullopt, std::nullopt});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message.find("top-secret-value"), std::string::npos);
  EXPECT_NE(result.error().message.find("VersionStages"), std::string::npos);
}

TEST(ClassifyErrorCode, CodeWinsOverStatusAndStatusIsTheFallback) {
  EXPECT_EQ(ClassifyErrorCode("ThrottlingException", 400), ErrorCode::kThrottling);
  EXPECT_EQ(ClassifyErrorCode("ExpiredTokenException", 400), ErrorCode::kAuthFailure);
  EXPECT_EQ(ClassifyErrorCode("ExpiredToken", 403), ErrorCode::kAuthFailure);
  EXPECT_EQ(ClassifyErrorCode("Whatever", 504), ErrorCode::kInternal);
  EXPECT_EQ(ClassifyErrorCode("Whatever", 401), ErrorCode::kAuthFailure);
  EXPECT_EQ(ClassifyErrorCode("Whatever", 400), ErrorCode::kOther);
}

TEST(IsRetryableResponse, StandardModeClassification) {
  for (int status : {500, 502, 503, 504}) EXPECT_TRUE(IsRetryableResponse(status, "")) << status;
  for (const char* code :
       {"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
        "SlowDown", "InternalServiceError", "InternalFailure", "ServiceUnavailable",
        "RequestTimeout", "PriorRequestNotComplete"}) {
    EXPECT_TRUE(IsRetryableResponse(400, code)) << code;
  }
  for (const char* code :
       {"ResourceNotFoundException", "InvalidParameterException", "InvalidRequestException",
        "ResourceExistsException", "AccessDeniedException", "ExpiredTokenException",
        "LimitExceededException", "DecryptionFailure"}) {
    EXPECT_FALSE(IsRetryableResponse(400, code)) << code;
  }
  EXPECT_FALSE(IsRetryableResponse(501, "501"));
  EXPECT_FALSE(IsRetryableResponse(404, "404"));
}

}  // namespace
}  // namespace dbtrotate::aws::testing
