// dbtcloud::Client against a scripted http::Client: the exact requests it sends and how it
// reads dbt's replies.

#include "dbtcloud/client.h"

#include <gtest/gtest.h>

#include "core/version.h"
#include "dbtcloud/fake_http_client.h"

namespace dbtrotate::dbtcloud {
namespace {

using nlohmann::json;
using testing::Envelope;
using testing::FakeHttpClient;
using testing::HeaderOf;
using testing::JsonResponse;
using testing::ListEnvelope;
using testing::MakeResponse;
using testing::PermissionJson;
using testing::TokenJson;

constexpr char kToken[] = "dbtc_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdefghij";
constexpr char kBase[] = "https://ab123.us1.dbt.com/api/v3/accounts/42/service-tokens/";

class ClientTest : public ::testing::Test {
 protected:
  std::unique_ptr<Client> MakeClient(ClientOptions options = {}) {
    auto client = Client::Create(http_, "https://ab123.us1.dbt.com/api/", 42,
                                 SecretString::CopyOf(kToken), options);
    EXPECT_TRUE(client.has_value()) << client.error().message;
    return std::move(client).value();
  }

  // Every request carries the same headers; bodies get a Content-Type.
  void ExpectStandardHeaders(const http::Request& request, bool with_body) {
    EXPECT_EQ(HeaderOf(request, "Authorization"), std::string("Bearer ") + kToken);
    EXPECT_EQ(HeaderOf(request, "Accept"), "application/json");
    EXPECT_EQ(HeaderOf(request, "User-Agent"), kUserAgent);
    if (with_body) {
      EXPECT_EQ(HeaderOf(request, "Content-Type"), "application/json");
    } else {
      EXPECT_FALSE(HeaderOf(request, "Content-Type").has_value());
      EXPECT_TRUE(request.body.empty());
    }
  }

  // A list endpoint over `rows`, honouring limit and offset like dbt.
  void ServeRows(json rows, bool with_pagination = true) {
    http_.SetFallback([rows = std::move(rows), with_pagination](const http::Request& request) {
      const auto at = request.url.find("offset=");
      const std::size_t offset = std::stoul(request.url.substr(at + 7));
      json page = json::array();
      for (std::size_t i = offset; i < rows.size() && i < offset + 100; ++i)
        page.push_back(rows[i]);
      json body = ListEnvelope(page, static_cast<std::int64_t>(rows.size()));
      if (!with_pagination) body.erase("extra");
      return http::HttpResult(JsonResponse(200, body));
    });
  }

  FakeHttpClient http_;
};

TEST_F(ClientTest, ListSendsTheDocumentedRequest) {
  auto client = MakeClient();
  http_.Push(
      JsonResponse(200, ListEnvelope(json::array({TokenJson(1, "a"), TokenJson(2, "b", 2)}), 2)));
  auto tokens = client->ListServiceTokens(false);
  ASSERT_TRUE(tokens.has_value()) << tokens.error().message;
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_EQ((*tokens)[0].id, 1);
  EXPECT_EQ((*tokens)[0].name, "a");
  EXPECT_EQ((*tokens)[0].account_id, 42);
  EXPECT_EQ((*tokens)[0].uid, "uid1");
  EXPECT_EQ((*tokens)[0].created_at, "2025-01-01T00:00:00.123456Z");
  EXPECT_FALSE((*tokens)[0].last_used.has_value());
  EXPECT_FALSE((*tokens)[1].active());

  ASSERT_EQ(http_.requests().size(), 1u);
  const auto& request = http_.requests()[0];
  EXPECT_EQ(request.method, http::Method::kGet);
  EXPECT_EQ(request.url, std::string(kBase) + "?limit=100&offset=0");
  EXPECT_TRUE(request.idempotent);
  ExpectStandardHeaders(request, false);
}

TEST_F(ClientTest, ListActiveOnlyAsksForStateOneAndStillFilters) {
  auto client = MakeClient();
  // The server ignores the filter and returns a deleted token anyway.
  http_.Push(
      JsonResponse(200, ListEnvelope(json::array({TokenJson(1, "a", 2), TokenJson(2, "b")}), 2)));
  auto tokens = client->ListServiceTokens(true);
  ASSERT_TRUE(tokens.has_value()) << tokens.error().message;
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ((*tokens)[0].id, 2);
  EXPECT_EQ(http_.requests()[0].url, std::string(kBase) + "?state=1&limit=100&offset=0");
}

TEST_F(ClientTest, ListFollowsOffsetUntilTotalCount) {
  auto client = MakeClient();
  json rows = json::array();
  for (int i = 1; i <= 250; ++i) rows.push_back(TokenJson(i, "t" + std::to_string(i)));
  ServeRows(rows);
  auto tokens = client->ListServiceTokens(false);
  ASSERT_TRUE(tokens.has_value()) << tokens.error().message;
  ASSERT_EQ(tokens->size(), 250u);
  EXPECT_EQ(tokens->front().id, 1);
  EXPECT_EQ(tokens->back().id, 250);
  ASSERT_EQ(http_.requests().size(), 3u);
  EXPECT_EQ(http_.requests()[1].url, std::string(kBase) + "?limit=100&offset=100");
  EXPECT_EQ(http_.requests()[2].url, std::string(kBase) + "?limit=100&offset=200");
}

TEST_F(ClientTest, ListExactlyAPageStopsWithoutAnEmptyRequest) {
  auto client = MakeClient();
  json rows = json::array();
  for (int i = 1; i <= 100; ++i) rows.push_back(TokenJson(i, "t"));
  ServeRows(rows);
  auto tokens = client->ListServiceTokens(false);
  ASSERT_TRUE(tokens.has_value());
  EXPECT_EQ(tokens->size(), 100u);
  EXPECT_EQ(http_.requests().size(), 1u);
}

TEST_F(ClientTest, ListStopsOnAnEmptyPage) {
  auto client = MakeClient();
  json first = json::array();
  for (int i = 1; i <= 100; ++i) first.push_back(TokenJson(i, "t"));
  http_.Push(JsonResponse(200, ListEnvelope(first, 500)));  // claims more than it has
  http_.Push(JsonResponse(200, ListEnvelope(json::array(), 500)));
  auto tokens = client->ListServiceTokens(false);
  ASSERT_TRUE(tokens.has_value()) << tokens.error().message;
  EXPECT_EQ(tokens->size(), 100u);
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(ClientTest, ListPagesBySizeWhenPaginationIsMissing) {
  auto client = MakeClient();
  json rows = json::array();
  for (int i = 1; i <= 130; ++i) rows.push_back(TokenJson(i, "t"));
  ServeRows(rows, /*with_pagination=*/false);
  auto tokens = client->ListServiceTokens(false);
  ASSERT_TRUE(tokens.has_value()) << tokens.error().message;
  EXPECT_EQ(tokens->size(), 130u);
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(ClientTest, ListGivesUpAfterMaxPages) {
  auto client = MakeClient(ClientOptions{.max_pages = 3});
  int next_id = 1;
  http_.SetFallback([&next_id](const http::Request&) {
    json page = json::array();
    for (int i = 0; i < 100; ++i) page.push_back(TokenJson(next_id++, "t"));
    return http::HttpResult(JsonResponse(200, ListEnvelope(page, 1'000'000)));
  });
  auto tokens = client->ListServiceTokens(false);
  ASSERT_FALSE(tokens.has_value());
  EXPECT_EQ(tokens.error().code, ErrorCode::kMalformedResponse);
  EXPECT_NE(tokens.error().message.find("after 3 pages"), std::string::npos);
  EXPECT_EQ(http_.requests().size(), 3u);
}

TEST_F(ClientTest, ListDetectsAServerThatIgnoresOffset) {
  auto client = MakeClient();
  json page = json::array();
  for (int i = 1; i <= 100; ++i) page.push_back(TokenJson(i, "t"));
  http_.SetFallback([&page](const http::Request&) {
    return http::HttpResult(JsonResponse(200, ListEnvelope(page, 300)));
  });
  auto tokens = client->ListServiceTokens(false);
  ASSERT_FALSE(tokens.has_value());
  EXPECT_EQ(tokens.error().code, ErrorCode::kMalformedResponse);
  EXPECT_NE(tokens.error().message.find("offset"), std::string::npos);
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(ClientTest, CreateSendsGrantsAndReadsTheTokenStringOnce) {
  auto client = MakeClient();
  json data = TokenJson(77, "rotated");
  data["token_string"] = "dbtc_NEWTOKEN0123456789012345678901234567890123456789";
  data["token"] = "hashed";
  data["permission_grants"] = json::array({{{"permission_set", "job_admin"}, {"project_id", 10}}});
  http_.Push(JsonResponse(200, Envelope(data)));

  const std::vector<PermissionGrant> grants = {
      {"job_admin", 10, std::nullopt},
      {"developer", 11, std::vector<std::string>{"development", "staging"}},
      {"account_viewer", std::nullopt, std::vector<std::string>{}},
  };
  auto created = client->CreateServiceToken("rotated", grants);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_EQ(created->token.id, 77);
  EXPECT_EQ(created->token.name, "rotated");
  EXPECT_EQ(created->token_string.expose(),
            "dbtc_NEWTOKEN0123456789012345678901234567890123456789");
  ASSERT_TRUE(created->token.permission_grants.has_value());
  EXPECT_EQ(created->token.permission_grants->size(), 1u);

  ASSERT_EQ(http_.requests().size(), 1u);
  const auto& request = http_.requests()[0];
  EXPECT_EQ(request.method, http::Method::kPost);
  EXPECT_EQ(request.url, kBase);
  EXPECT_FALSE(request.idempotent) << "a create must never be retried blindly";
  ExpectStandardHeaders(request, true);
  EXPECT_EQ(request.body,
            R"({"name":"rotated","permission_grants":[)"
            R"({"permission_set":"job_admin","project_id":10},)"
            R"({"permission_set":"developer","project_id":11,)"
            R"("writable_environment_categories":["development","staging"]},)"
            R"({"permission_set":"account_viewer","writable_environment_categories":[]}]})");
}

TEST_F(ClientTest, CreateWithoutTokenStringIsMalformedAndAmbiguous) {
  auto client = MakeClient();
  for (const json& secret : {json(nullptr), json(""), json(12345), json::array()}) {
    json data = TokenJson(78, "rotated");
    if (!secret.is_array()) data["token_string"] = secret;
    http_.Push(JsonResponse(200, Envelope(data)));
    auto created = client->CreateServiceToken("rotated", {});
    ASSERT_FALSE(created.has_value()) << secret.dump();
    EXPECT_EQ(created.error().code, ErrorCode::kMalformedResponse);
    EXPECT_TRUE(created.error().ambiguous);
    EXPECT_NE(created.error().message.find("token id 78"), std::string::npos)
        << created.error().message;
  }
}

TEST_F(ClientTest, CreateRejectsBadInputWithoutSending) {
  auto client = MakeClient();
  auto empty_name = client->CreateServiceToken("", {});
  ASSERT_FALSE(empty_name.has_value());
  EXPECT_EQ(empty_name.error().code, ErrorCode::kValidation);
  EXPECT_FALSE(empty_name.error().ambiguous);
  auto empty_set = client->CreateServiceToken("x", {PermissionGrant{"", 1, std::nullopt}});
  ASSERT_FALSE(empty_set.has_value());
  EXPECT_EQ(empty_set.error().code, ErrorCode::kValidation);
  auto bad_utf8 = client->CreateServiceToken("bad\xff\xfename", {});
  ASSERT_FALSE(bad_utf8.has_value());
  EXPECT_EQ(bad_utf8.error().code, ErrorCode::kValidation);
  EXPECT_NE(bad_utf8.error().message.find("UTF-8"), std::string::npos);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(ClientTest, CreateSendsUnicodeNamesAsJson) {
  auto client = MakeClient();
  json data = TokenJson(79, "prod \"ci\" ✓");
  data["token_string"] = "dbtc_x";
  http_.Push(JsonResponse(200, Envelope(data)));
  auto created = client->CreateServiceToken("prod \"ci\" ✓", {});
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_EQ(json::parse(http_.requests()[0].body)["name"], "prod \"ci\" ✓");
}

TEST_F(ClientTest, GetReadsTheTokenAndItsGrants) {
  auto client = MakeClient();
  json data = TokenJson(5, "five");
  data["last_used"] = "2025-06-01T00:00:00Z";
  data["permission_grants"] =
      json::array({{{"permission_set", "developer"},
                    {"project_id", 3},
                    {"writable_environment_categories", {"staging"}}},
                   {{"permission_set", "account_admin"}, {"project_id", nullptr}}});
  data["semantic_layer_credentials"] = json::array();
  data["some_new_field"] = {{"nested", true}};
  http_.Push(JsonResponse(200, Envelope(data)));
  auto token = client->GetServiceToken(5);
  ASSERT_TRUE(token.has_value()) << token.error().message;
  EXPECT_EQ(token->last_used, "2025-06-01T00:00:00Z");
  ASSERT_TRUE(token->permission_grants.has_value());
  ASSERT_EQ(token->permission_grants->size(), 2u);
  EXPECT_EQ((*token->permission_grants)[0],
            (PermissionGrant{"developer", 3, std::vector<std::string>{"staging"}}));
  EXPECT_EQ((*token->permission_grants)[1], (PermissionGrant{"account_admin", {}, {}}));

  const auto& request = http_.requests()[0];
  EXPECT_EQ(request.method, http::Method::kGet);
  EXPECT_EQ(request.url, std::string(kBase) + "5/");
  EXPECT_TRUE(request.idempotent);
  ExpectStandardHeaders(request, false);
}

TEST_F(ClientTest, RenamePutsOnlyTheName) {
  auto client = MakeClient();
  http_.Push(JsonResponse(200, Envelope(TokenJson(5, "new name"))));
  auto token = client->RenameServiceToken(5, "new name");
  ASSERT_TRUE(token.has_value()) << token.error().message;
  EXPECT_EQ(token->name, "new name");
  const auto& request = http_.requests()[0];
  EXPECT_EQ(request.method, http::Method::kPut);
  EXPECT_EQ(request.url, std::string(kBase) + "5/");
  EXPECT_TRUE(request.idempotent);
  EXPECT_EQ(request.body, R"({"name":"new name"})");
  ExpectStandardHeaders(request, true);
}

TEST_F(ClientTest, DeleteAcceptsEveryReplyDbtIsKnownToSend) {
  auto client = MakeClient();
  http_.Push(MakeResponse(204, ""));
  http_.Push(JsonResponse(200, Envelope(nullptr)));
  http_.Push(JsonResponse(200, Envelope(TokenJson(5, "five", 2))));
  http_.Push(MakeResponse(200, ""));
  http_.Push(JsonResponse(404, json{{"status",
                                     {{"code", 404},
                                      {"is_success", false},
                                      {"user_message", "The requested resource was not found."},
                                      {"developer_message", ""}}},
                                    {"data", nullptr}}));
  for (const auto expected :
       {DeleteOutcome::kDeleted, DeleteOutcome::kDeleted, DeleteOutcome::kDeleted,
        DeleteOutcome::kDeleted, DeleteOutcome::kAlreadyGone}) {
    auto outcome = client->DeleteServiceToken(5);
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_EQ(*outcome, expected);
  }
  for (const auto& request : http_.requests()) {
    EXPECT_EQ(request.method, http::Method::kDelete);
    EXPECT_EQ(request.url, std::string(kBase) + "5/");
    EXPECT_TRUE(request.idempotent);
    ExpectStandardHeaders(request, false);
  }
}

TEST_F(ClientTest, DeleteReportsOtherFailures) {
  auto client = MakeClient();
  http_.Push(JsonResponse(403, json{{"status", {{"code", 403}, {"user_message", "Forbidden"}}}}));
  auto outcome = client->DeleteServiceToken(5);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code, ErrorCode::kForbiddenOrNotFound);
  http_.Push(MakeResponse(503, "<html>busy</html>"));
  outcome = client->DeleteServiceToken(5);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code, ErrorCode::kServer);
  EXPECT_FALSE(outcome.error().ambiguous);  // only creates are ambiguous
}

TEST_F(ClientTest, ListPermissionsPaginatesAndReadsRows) {
  auto client = MakeClient();
  json rows = json::array();
  for (int i = 1; i <= 120; ++i) {
    rows.push_back(PermissionJson(i, i % 2 ? "job_admin" : "developer", 1000 + i,
                                  i % 2 ? json::array() : json::array({"development"})));
  }
  json all = PermissionJson(121, "account_admin", std::nullopt);
  all.erase("all_projects");  // absent: inferred from the missing project
  all.erase("writable_environment_categories");
  rows.push_back(all);
  ServeRows(rows);
  auto permissions = client->ListPermissions(7);
  ASSERT_TRUE(permissions.has_value()) << permissions.error().message;
  ASSERT_EQ(permissions->size(), 121u);
  const PermissionRow& second = (*permissions)[1];
  EXPECT_EQ(second.id, 2);
  EXPECT_EQ(second.service_token_id, 7);
  EXPECT_EQ(second.project_id, 1002);
  EXPECT_FALSE(second.all_projects);
  EXPECT_EQ(second.permission_set, "developer");
  EXPECT_EQ(second.writable_environment_categories, std::vector<std::string>{"development"});
  const PermissionRow& last = permissions->back();
  EXPECT_TRUE(last.all_projects);
  EXPECT_FALSE(last.project_id.has_value());
  EXPECT_TRUE(last.writable_environment_categories.empty());

  ASSERT_EQ(http_.requests().size(), 2u);
  EXPECT_EQ(http_.requests()[0].url, std::string(kBase) + "7/permissions/?limit=100&offset=0");
  EXPECT_EQ(http_.requests()[1].url, std::string(kBase) + "7/permissions/?limit=100&offset=100");
  ExpectStandardHeaders(http_.requests()[1], false);
}

TEST_F(ClientTest, PermissionRowScopedToNoProjectIsRefused) {
  auto client = MakeClient();
  json row = PermissionJson(1, "job_admin", std::nullopt);
  row["all_projects"] = false;
  http_.Push(JsonResponse(200, ListEnvelope(json::array({row}), 1)));
  auto permissions = client->ListPermissions(7);
  ASSERT_FALSE(permissions.has_value());
  EXPECT_EQ(permissions.error().code, ErrorCode::kMalformedResponse);
  EXPECT_NE(permissions.error().message.find("no project_id"), std::string::npos);
}

TEST_F(ClientTest, IdsMustBeIntegers) {
  auto client = MakeClient();
  const json bad_ids[] = {json("5"),     json(5.0),  json(5.5),
                          json(nullptr), json(true), json(18446744073709551615ull)};
  for (const json& id : bad_ids) {
    json data = TokenJson(5, "five");
    data["id"] = id;
    http_.Push(JsonResponse(200, Envelope(data)));
    auto token = client->GetServiceToken(5);
    ASSERT_FALSE(token.has_value()) << id.dump();
    EXPECT_EQ(token.error().code, ErrorCode::kMalformedResponse);
    EXPECT_NE(token.error().message.find("data.id"), std::string::npos) << token.error().message;
  }
  json missing = TokenJson(5, "five");
  missing.erase("id");
  http_.Push(JsonResponse(200, Envelope(missing)));
  EXPECT_FALSE(client->GetServiceToken(5).has_value());

  json row = PermissionJson(1, "job_admin", 3);
  row["project_id"] = "3";
  http_.Push(JsonResponse(200, ListEnvelope(json::array({row}), 1)));
  auto permissions = client->ListPermissions(7);
  ASSERT_FALSE(permissions.has_value());
  EXPECT_NE(permissions.error().message.find("data[0].project_id is a string"), std::string::npos)
      << permissions.error().message;
}

TEST_F(ClientTest, ToleratesNullsAndExtraFieldsButNotAMissingState) {
  auto client = MakeClient();
  json data = TokenJson(5, "five");
  data["uid"] = nullptr;
  data["permission_grants"] = nullptr;
  data.erase("updated_at");
  data.erase("account_id");
  http_.Push(JsonResponse(200, json{{"data", data}}));  // no status, no extra
  auto token = client->GetServiceToken(5);
  ASSERT_TRUE(token.has_value()) << token.error().message;
  EXPECT_EQ(token->uid, "");
  EXPECT_FALSE(token->permission_grants.has_value());

  data.erase("state");
  http_.Push(JsonResponse(200, Envelope(data)));
  token = client->GetServiceToken(5);
  ASSERT_FALSE(token.has_value());
  EXPECT_NE(token.error().message.find("data.state is missing"), std::string::npos);
}

TEST_F(ClientTest, WrongShapesAreMalformed) {
  auto client = MakeClient();
  const std::string bodies[] = {
      "not json", "[]", "{}", R"({"data": null})", R"({"data": "x"})", R"({"data": {"id": 1}})"};
  for (const auto& body : bodies) {
    http_.Push(MakeResponse(200, body));
    auto token = client->GetServiceToken(1);
    ASSERT_FALSE(token.has_value()) << body;
    EXPECT_EQ(token.error().code, ErrorCode::kMalformedResponse) << body;
    EXPECT_FALSE(token.error().ambiguous);
  }
  http_.Push(JsonResponse(200, json{{"data", {{"id", 1}}}, {"extra", {}}}));
  auto list = client->ListServiceTokens(false);
  ASSERT_FALSE(list.has_value());
  EXPECT_NE(list.error().message.find("expected a list"), std::string::npos);
  http_.Push(
      JsonResponse(200, json{{"data", json::array()},
                             {"extra", {{"pagination", {{"count", "1"}, {"total_count", 1}}}}}}));
  list = client->ListServiceTokens(false);
  ASSERT_FALSE(list.has_value());
  EXPECT_NE(list.error().message.find("extra.pagination.count"), std::string::npos);
}

TEST_F(ClientTest, WithTokenSharesTheConnectionAndChangesOnlyTheCredential) {
  auto client = MakeClient();
  auto other = client->WithToken(SecretString::CopyOf("dbtc_other"));
  http_.Push(JsonResponse(200, Envelope(TokenJson(5, "five"))));
  ASSERT_TRUE(other->GetServiceToken(5).has_value());
  ASSERT_EQ(http_.requests().size(), 1u);
  EXPECT_EQ(http_.requests()[0].url, std::string(kBase) + "5/");
  EXPECT_EQ(HeaderOf(http_.requests()[0], "Authorization"), "Bearer dbtc_other");

  auto broken = client->WithToken(SecretString::CopyOf("dbtc_other\n"));
  auto result = broken->GetServiceToken(5);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidConfig);
  EXPECT_EQ(http_.requests().size(), 1u);
}

TEST_F(ClientTest, CreateValidatesConfiguration) {
  auto bad_url = Client::Create(http_, "http://cloud.getdbt.com", 42, SecretString::CopyOf(kToken));
  ASSERT_FALSE(bad_url.has_value());
  EXPECT_EQ(bad_url.error().code, ErrorCode::kInvalidConfig);
  for (std::int64_t account : {0, -3}) {
    auto bad_account =
        Client::Create(http_, "cloud.getdbt.com", account, SecretString::CopyOf(kToken));
    ASSERT_FALSE(bad_account.has_value());
    EXPECT_EQ(bad_account.error().code, ErrorCode::kInvalidConfig);
    EXPECT_NE(bad_account.error().message.find("account id"), std::string::npos);
  }
  for (const char* token : {"", "dbtc_abc\n", "dbtc abc", "dbtc_\x01"}) {
    auto bad_token = Client::Create(http_, "cloud.getdbt.com", 42, SecretString::CopyOf(token));
    ASSERT_FALSE(bad_token.has_value());
    EXPECT_EQ(bad_token.error().code, ErrorCode::kInvalidConfig);
    if (*token != '\0') {
      EXPECT_EQ(bad_token.error().message.find(token), std::string::npos);
    }
  }
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(ClientTest, NonPositiveIdsAreRejectedBeforeSending) {
  auto client = MakeClient();
  EXPECT_EQ(client->GetServiceToken(0).error().code, ErrorCode::kValidation);
  EXPECT_EQ(client->RenameServiceToken(-1, "x").error().code, ErrorCode::kValidation);
  EXPECT_EQ(client->DeleteServiceToken(0).error().code, ErrorCode::kValidation);
  EXPECT_EQ(client->ListPermissions(0).error().code, ErrorCode::kValidation);
  EXPECT_EQ(client->RenameServiceToken(1, "").error().code, ErrorCode::kValidation);
  EXPECT_TRUE(http_.requests().empty());
}

}  // namespace
}  // namespace dbtrotate::dbtcloud
