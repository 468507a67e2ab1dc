// Every dbt error reply and transport failure becomes the right typed error, with a message
// that says operation, path and what to do — and never the token.

#include <gtest/gtest.h>

#include <functional>

#include "dbtcloud/client.h"
#include "dbtcloud/fake_http_client.h"

namespace dbtrotate::dbtcloud {
namespace {

using nlohmann::json;
using testing::Envelope;
using testing::FakeHttpClient;
using testing::JsonResponse;
using testing::MakeResponse;
using testing::TokenJson;

constexpr char kCanaryToken[] = "dbtc_LEAKCANARYabcdefghijklmnopqrstuvwxyz0123456789_-";
constexpr char kTokensPath[] = "/api/v3/accounts/42/service-tokens/";

json ErrorEnvelope(int code, json user_message, json data = nullptr,
                   json developer_message = nullptr) {
  return json{{"status",
               {{"code", code},
                {"is_success", false},
                {"user_message", std::move(user_message)},
                {"developer_message", std::move(developer_message)}}},
              {"data", std::move(data)}};
}

class ErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto client =
        Client::Create(http_, "https://ab123.us1.dbt.com", 42, SecretString::CopyOf(kCanaryToken));
    ASSERT_TRUE(client.has_value());
    client_ = std::move(client).value();
  }

  Error GetFails(http::HttpResult reply) {
    http_.Push(std::move(reply));
    auto result = client_->GetServiceToken(5);
    EXPECT_FALSE(result.has_value());
    return result ? Error{} : result.error();
  }

  Error CreateFails(http::HttpResult reply) {
    http_.Push(std::move(reply));
    auto result = client_->CreateServiceToken("rotated", {});
    EXPECT_FALSE(result.has_value());
    return result ? Error{} : result.error();
  }

  FakeHttpClient http_;
  std::unique_ptr<Client> client_;
};

void ExpectMentions(const Error& error, std::initializer_list<std::string_view> parts) {
  for (const auto part : parts) {
    EXPECT_NE(error.message.find(part), std::string::npos)
        << "'" << part << "' not in: " << error.message;
  }
}

TEST_F(ErrorsTest, Unauthenticated) {
  // Verbatim from kestra #101, and the shorter 2026 body from kestra #317.
  const auto error =
      GetFails(JsonResponse(401, ErrorEnvelope(401, "Invalid token.", nullptr, nullptr)));
  EXPECT_EQ(error.code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(error.http_status, 401);
  ExpectMentions(error, {"get service token 5", "GET /api/v3/accounts/42/service-tokens/5/",
                         "Invalid token.", "check the token", "DBT_CLOUD_HOST",
                         "cell-based accounts get 401 on cloud.getdbt.com"});
  const auto short_body = GetFails(
      JsonResponse(401, json{{"status", {{"code", 401}, {"user_message", "Invalid token."}}}}));
  EXPECT_EQ(short_body.code, ErrorCode::kUnauthenticated);
  const auto no_body = GetFails(MakeResponse(401, ""));
  EXPECT_EQ(no_body.code, ErrorCode::kUnauthenticated);
}

TEST_F(ErrorsTest, IpRestricted) {
  const auto error = GetFails(JsonResponse(403, ErrorEnvelope(403, "Forbidden: Access denied",
                                                              {{"account_id", 42},
                                                               {"user_id", 1},
                                                               {"is_service_token", true},
                                                               {"account_access_denied", true}})));
  EXPECT_EQ(error.code, ErrorCode::kIpRestricted);
  ExpectMentions(error, {"IP restrictions", "Forbidden: Access denied", "allowlist"});
}

TEST_F(ErrorsTest, ForbiddenOrNotFound) {
  const auto forbidden = GetFails(JsonResponse(403, ErrorEnvelope(403, "Forbidden")));
  EXPECT_EQ(forbidden.code, ErrorCode::kForbiddenOrNotFound);
  const auto denied_false = GetFails(
      JsonResponse(403, ErrorEnvelope(403, "Forbidden", {{"account_access_denied", false}})));
  EXPECT_EQ(denied_false.code, ErrorCode::kForbiddenOrNotFound);
  // The Terraform provider's fixture.
  const auto not_found = GetFails(JsonResponse(
      404, ErrorEnvelope(404,
                         "The requested resource was not found. Please check that you have the "
                         "proper permissions.",
                         nullptr, "")));
  EXPECT_EQ(not_found.code, ErrorCode::kForbiddenOrNotFound);
  EXPECT_EQ(not_found.http_status, 404);
  ExpectMentions(not_found, {"HTTP 404", "dbt often answers 404 when the token lacks permission",
                             "account_admin", "proper permissions"});
}

TEST_F(ErrorsTest, Validation) {
  const auto error = CreateFails(JsonResponse(
      400, ErrorEnvelope(400,
                         "Service token permissions cannot be updated after assigment. Please "
                         "create a new service token.",
                         {{"reason", "permission_grants[0]: unknown project"}}, "")));
  EXPECT_EQ(error.code, ErrorCode::kValidation);
  // A proxy or a half-applied request can answer 4xx after dbt made the token (issue #8).
  EXPECT_TRUE(error.ambiguous);
  ExpectMentions(error,
                 {"create service token", std::string("POST ") + kTokensPath,
                  "cannot be updated after assigment", "unknown project", "may have been created"});
  // user_message null: data.reason alone still tells the user something.
  const auto reason_only =
      CreateFails(JsonResponse(400, ErrorEnvelope(400, nullptr, {{"reason", "name is too long"}})));
  EXPECT_EQ(reason_only.code, ErrorCode::kValidation);
  ExpectMentions(reason_only, {"name is too long"});
  // Only a developer_message.
  const auto dev_only =
      CreateFails(JsonResponse(400, ErrorEnvelope(400, "", nullptr, "limit must be <= 100")));
  ExpectMentions(dev_only, {"limit must be <= 100"});
}

TEST_F(ErrorsTest, MethodNotAllowedDrfBody) {
  const auto error =
      CreateFails(JsonResponse(405, json{{"detail", "Method \"GET\" not allowed."}}));
  EXPECT_EQ(error.code, ErrorCode::kValidation);
  EXPECT_EQ(error.http_status, 405);
  ExpectMentions(error, {"Method \"GET\" not allowed.", "trailing slash"});
}

TEST_F(ErrorsTest, RateLimited) {
  http::Response response = MakeResponse(429, "", {{"retry-after", "300"}});
  const auto error = GetFails(std::move(response));
  EXPECT_EQ(error.code, ErrorCode::kRateLimited);
  ExpectMentions(error, {"HTTP 429", "Retry-After: 300", "five-minute cooldown"});
}

TEST_F(ErrorsTest, ServerErrorsIncludingHtml) {
  const auto html = GetFails(MakeResponse(502, "<html><body>Bad Gateway</body></html>"));
  EXPECT_EQ(html.code, ErrorCode::kServer);
  EXPECT_FALSE(html.ambiguous);
  ExpectMentions(html, {"HTTP 502", "non-JSON body"});
  EXPECT_EQ(html.message.find("<html>"), std::string::npos);
  const auto json_500 = GetFails(JsonResponse(500, ErrorEnvelope(500, "Internal error")));
  EXPECT_EQ(json_500.code, ErrorCode::kServer);
  ExpectMentions(json_500, {"Internal error"});
  // A create that met a 5xx may still have made the token.
  const auto create_504 = CreateFails(MakeResponse(504, "upstream timed out"));
  EXPECT_EQ(create_504.code, ErrorCode::kServer);
  EXPECT_TRUE(create_504.ambiguous);
  ExpectMentions(create_504, {"may have been created"});
}

TEST_F(ErrorsTest, EveryFailedCreateMayHaveBeenApplied) {
  for (const int status : {301, 400, 401, 403, 404, 405, 409, 429, 500, 600}) {
    const auto error = CreateFails(MakeResponse(status, "{}"));
    EXPECT_TRUE(error.ambiguous) << status;
    ExpectMentions(error, {"may have been created"});
    EXPECT_FALSE(GetFails(MakeResponse(status, "{}")).ambiguous) << status;
  }
}

TEST_F(ErrorsTest, AmbiguousOrHostileRepliesAreMalformed) {
  const auto twice = GetFails(MakeResponse(
      200,
      R"({"data": {"id": 1, "name": "a", "state": 1}, "data": {"id": 2, "name": "b", "state": 1}})"));
  EXPECT_EQ(twice.code, ErrorCode::kMalformedResponse);
  ExpectMentions(twice, {"'data' twice"});
  const auto nested =
      GetFails(MakeResponse(200, R"({"data": {"id": 1, "name": "a", "state": 1, "id": 3}})"));
  ExpectMentions(nested, {"'id' twice", "in top-level key 'data'"});
  const auto deep = GetFails(MakeResponse(
      200, R"({"data": )" + std::string(100000, '[') + std::string(100000, ']') + "}"));
  EXPECT_EQ(deep.code, ErrorCode::kMalformedResponse);
  ExpectMentions(deep, {"nested deeper than 64 levels"});
}

TEST_F(ErrorsTest, RedirectsAreAConfigurationProblem) {
  const auto error =
      GetFails(MakeResponse(301, "", {{"location", "https://ab123.us1.dbt.com/x/"}}));
  EXPECT_EQ(error.code, ErrorCode::kInvalidConfig);
  ExpectMentions(error, {"HTTP 301", "access URL"});
}

TEST_F(ErrorsTest, MalformedSuccess) {
  const auto error = GetFails(MakeResponse(200, "<html>login</html>"));
  EXPECT_EQ(error.code, ErrorCode::kMalformedResponse);
  ExpectMentions(error, {"not JSON", "access URL"});
  const auto create = CreateFails(MakeResponse(200, "{\"data\": {\"id\": \"1\"}}"));
  EXPECT_EQ(create.code, ErrorCode::kMalformedResponse);
  EXPECT_TRUE(create.ambiguous);
}

TEST_F(ErrorsTest, TransportFailures) {
  const auto refused = CreateFails(http::HttpResult(
      Fail(http::Error{http::ErrorKind::kConnect, "connection refused to 127.0.0.1:1", false})));
  EXPECT_EQ(refused.code, ErrorCode::kTransport);
  EXPECT_TRUE(refused.ambiguous) << "every failed create is looked for (issue #8)";
  EXPECT_EQ(refused.http_status, 0);

  const auto dropped = CreateFails(http::HttpResult(
      Fail(http::Error{http::ErrorKind::kReceiveFailed, "empty reply from server", true})));
  EXPECT_EQ(dropped.code, ErrorCode::kTransport);
  EXPECT_TRUE(dropped.ambiguous);
  ExpectMentions(dropped, {"receive failed", "empty reply from server", "may have been created",
                           std::string("POST ") + kTokensPath});

  const auto get_dropped = GetFails(
      http::HttpResult(Fail(http::Error{http::ErrorKind::kTimeout, "timed out after 30 s", true})));
  EXPECT_EQ(get_dropped.code, ErrorCode::kTransport);
  EXPECT_FALSE(get_dropped.ambiguous) << "a GET changes nothing";

  const auto insecure = GetFails(http::HttpResult(
      Fail(http::Error{http::ErrorKind::kInsecureUrl, "http:// to a non-loopback host", false})));
  EXPECT_EQ(insecure.code, ErrorCode::kInvalidConfig);
}

// The leak canary: every error class, with a server (and transport) that echoes the token in
// every field it can. No message may contain it, nor any part of it long enough to matter.
TEST_F(ErrorsTest, NoMessageEverContainsTheToken) {
  const std::string token = kCanaryToken;
  const json echo = ErrorEnvelope(
      0, "bad token " + token, {{"reason", "you sent " + token}, {"account_access_denied", false}},
      "Authorization: Bearer " + token);
  auto with_status = [&](int status, json body) {
    body["status"]["code"] = status;
    return http::HttpResult(JsonResponse(status, body));
  };
  json ip = echo;
  ip["data"]["account_access_denied"] = true;
  std::vector<std::function<Error()>> scenarios = {
      [&] { return GetFails(with_status(401, echo)); },
      [&] { return GetFails(with_status(403, ip)); },
      [&] { return GetFails(with_status(403, echo)); },
      [&] { return GetFails(with_status(404, echo)); },
      [&] { return CreateFails(with_status(400, echo)); },
      [&] { return CreateFails(with_status(422, echo)); },
      [&] {
        return CreateFails(JsonResponse(405, json{{"detail", "no " + token}}));
      },
      [&] {
        return GetFails(MakeResponse(429, echo.dump(), {{"retry-after", token}}));
      },
      [&] { return GetFails(with_status(500, echo)); },
      [&] { return CreateFails(with_status(503, echo)); },
      [&] {
        return GetFails(MakeResponse(302, "", {{"location", "https://x/?t=" + token}}));
      },
      [&] { return GetFails(MakeResponse(200, "{\"data\": \"" + token + "\"}")); },
      [&] {
        json data = TokenJson(1, "x");
        data["id"] = token;
        return GetFails(JsonResponse(200, Envelope(data)));
      },
      [&] {
        json data = TokenJson(1, token);
        data["token_string"] = nullptr;
        return CreateFails(JsonResponse(200, Envelope(data)));
      },
      [&] {
        return CreateFails(
            http::HttpResult(Fail(http::Error{http::ErrorKind::kReceiveFailed, token, true})));
      },
      [&] {
        return GetFails(
            http::HttpResult(Fail(http::Error{http::ErrorKind::kInvalidUrl, token, false})));
      },
      [&] {
        http_.Push(with_status(404, echo));
        auto result = client_->ListPermissions(9);
        return result ? Error{} : result.error();
      },
      [&] {
        http_.Push(with_status(401, echo));
        auto result = client_->ListServiceTokens(true);
        return result ? Error{} : result.error();
      },
      [&] {
        http_.Push(with_status(500, echo));
        auto result = client_->DeleteServiceToken(9);
        return result ? Error{} : result.error();
      },
      [&] {
        http_.Push(with_status(400, echo));
        auto result = client_->RenameServiceToken(9, "n");
        return result ? Error{} : result.error();
      },
  };
  std::set<ErrorCode> codes;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const Error error = scenarios[i]();
    codes.insert(error.code);
    EXPECT_FALSE(error.message.empty()) << "scenario " << i;
    EXPECT_EQ(error.message.find(token), std::string::npos)
        << "scenario " << i << ": " << error.message;
    // No 12-character window of the secret part survives either (truncation, partial echo).
    for (std::size_t at = 5; at + 12 <= token.size(); ++at) {
      ASSERT_EQ(error.message.find(token.substr(at, 12)), std::string::npos)
          << "scenario " << i << ": " << error.message;
    }
  }
  // Every class of server/transport error was exercised.
  for (const ErrorCode code :
       {ErrorCode::kUnauthenticated, ErrorCode::kForbiddenOrNotFound, ErrorCode::kIpRestricted,
        ErrorCode::kValidation, ErrorCode::kRateLimited, ErrorCode::kServer,
        ErrorCode::kMalformedResponse, ErrorCode::kTransport, ErrorCode::kInvalidConfig}) {
    EXPECT_EQ(codes.count(code), 1u) << ErrorCodeName(code);
  }
}

TEST_F(ErrorsTest, ANonDbtShapedSecretIsRedactedToo) {
  FakeHttpClient http;
  const std::string secret = "plain-secret-value-XYZ";
  auto client = Client::Create(http, "cloud.getdbt.com", 1, SecretString::CopyOf(secret));
  ASSERT_TRUE(client.has_value());
  http.Push(JsonResponse(401, ErrorEnvelope(401, "token " + secret + " is invalid")));
  auto result = (*client)->GetServiceToken(1);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message.find(secret), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("<redacted>"), std::string::npos);
}

TEST_F(ErrorsTest, ServerTextIsBoundedAndOneLine) {
  const auto error =
      GetFails(JsonResponse(400, ErrorEnvelope(400, std::string(5000, 'x') + "\n\r\x1b[31m")));
  EXPECT_LT(error.message.size(), 1000u);
  EXPECT_EQ(error.message.find('\n'), std::string::npos);
  EXPECT_EQ(error.message.find('\x1b'), std::string::npos);
}

TEST(ErrorCodeNameTest, NamesEveryCode) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kIpRestricted), "IP restricted");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kMalformedResponse), "malformed response");
}

}  // namespace
}  // namespace dbtrotate::dbtcloud
