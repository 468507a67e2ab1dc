// Permission rows, the legacy permissions POST, authentication, authorization, 405s, IP
// restriction and rate limiting.

#include "emulators/dbtcloud/dbt_fixture.h"

namespace dbtrotate::emulators::testing {
namespace {

using nlohmann::json;

TEST_F(DbtEmulatorTest, PermissionRowsHaveTheDocumentedFields) {
  clock_.Advance(std::chrono::milliseconds(1500));
  const json created = CreateViaApi(json::parse(R"({"name":"x","permission_grants":[
      {"permission_set":"developer","project_id":789,
       "writable_environment_categories":["development","staging"]},
      {"permission_set":"account_viewer"}]})"));
  auto response = Get(PermissionsPath(created["id"]), admin_);
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200);
  const json body = Body(response);
  EXPECT_EQ(body["status"]["user_message"], "Success!");
  ASSERT_EQ(body["data"].size(), 2u);
  const json& first = body["data"][0];
  EXPECT_TRUE(first["id"].is_number_integer());
  EXPECT_EQ(first["account_id"], account_);
  EXPECT_EQ(first["service_token_id"], created["id"]);
  EXPECT_EQ(first["project_id"], 789);
  EXPECT_FALSE(first["all_projects"].get<bool>());
  EXPECT_EQ(first["permission_set"], "developer");
  EXPECT_EQ(first["state"], 1);
  EXPECT_EQ(first["writable_environment_categories"], json::parse(R"(["development","staging"])"));
  EXPECT_EQ(first["created_at"], "2026-08-20T12:00:01.500000+00:00");
  EXPECT_EQ(first["updated_at"], "2026-08-20T12:00:01.500000+00:00");
  const json& second = body["data"][1];
  EXPECT_TRUE(second["project_id"].is_null());
  EXPECT_TRUE(second["all_projects"].get<bool>());
  EXPECT_EQ(second["writable_environment_categories"], json::array());
  EXPECT_EQ(body["extra"]["pagination"], json::parse(R"({"count":2,"total_count":2})"));
  EXPECT_EQ(Get(PermissionsPath(31337), admin_)->status, 404);
}

TEST_F(DbtEmulatorTest, PermissionRowsPaginateLikeTheList) {
  // 40 projects × 3 sets = 120 rows, the regression case of terraform-provider-dbtcloud #280.
  DbtSeedToken seed{"many", {}};
  for (int project = 1; project <= 40; ++project) {
    for (const char* set : {"developer", "job_admin", "git_admin"}) {
      seed.grants.push_back(DbtGrant{set, project, std::nullopt});
    }
  }
  auto token = emulator_.AddServiceToken(account_, seed);
  ASSERT_TRUE(token.has_value());
  auto page1 = Body(Get(PermissionsPath(token->id), admin_));
  EXPECT_EQ(page1["data"].size(), 100u);
  EXPECT_EQ(page1["extra"]["pagination"], json::parse(R"({"count":100,"total_count":120})"));
  auto page2 = Body(Get(PermissionsPath(token->id) + "?offset=100", admin_));
  EXPECT_EQ(page2["data"].size(), 20u);
  EXPECT_EQ(page2["extra"]["pagination"], json::parse(R"({"count":20,"total_count":120})"));
  EXPECT_NE(page1["data"][99]["id"], page2["data"][0]["id"]);
  EXPECT_EQ(Get(PermissionsPath(token->id) + "?limit=101", admin_)->status, 400);
  EXPECT_EQ(Body(Get(PermissionsPath(token->id) + "?limit=7", admin_))["data"].size(), 7u);
}

TEST_F(DbtEmulatorTest, LegacyPermissionsPostIsRefusedOnceAssigned) {
  const json with =
      CreateViaApi({{"name", "with"}, {"permission_grants", {{{"permission_set", "job_admin"}}}}});
  auto refused =
      Post(PermissionsPath(with["id"]),
           R"([{"account_id":4242,"permission_set":"git_admin","all_projects":true}])", admin_);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(Body(refused)["status"]["user_message"],
            "Service token permissions cannot be updated after assigment. Please create a new "
            "service token.");
  EXPECT_EQ(emulator_.Token(with["id"])->permissions.size(), 1u);

  // A token created without permissions may get them once (TF's two-step create).
  const json without = CreateViaApi({{"name", "without"}});
  auto assigned = Post(PermissionsPath(without["id"]), R"([
      {"account_id":4242,"service_token_id":1,"permission_set":"job_admin","project_id":789,"all_projects":false},
      {"account_id":4242,"service_token_id":1,"permission_set":"git_admin","all_projects":true}])",
                       admin_);
  ASSERT_TRUE(assigned);
  ASSERT_EQ(assigned->status, 200) << assigned->body;
  EXPECT_EQ(Body(assigned)["data"].size(), 2u);
  EXPECT_EQ(Body(assigned)["data"][0]["service_token_id"], without["id"]);
  EXPECT_EQ(Post(PermissionsPath(without["id"]), R"([{"permission_set":"admin"}])", admin_)->status,
            400);
  EXPECT_EQ(Post(PermissionsPath(31337), "[]", admin_)->status, 404);
  const json other = CreateViaApi({{"name", "other"}});
  EXPECT_EQ(Post(PermissionsPath(other["id"]), R"({"permission_set":"admin"})", admin_)->status,
            400);
  EXPECT_EQ(Post(PermissionsPath(other["id"]),
                 R"([{"permission_set":"admin","all_projects":false}])", admin_)
                ->status,
            400);
}

TEST_F(DbtEmulatorTest, WritesWithoutTrailingSlashAre405AndGetsAreServed) {
  const json created = CreateViaApi({{"name", "x"}});
  const std::string id = std::to_string(created["id"].get<std::int64_t>());
  const std::string base = "/api/v3/accounts/4242/service-tokens";
  auto post = Post(base, R"({"name":"y"})", admin_);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(Body(post), json::parse(R"({"detail": "Method \"POST\" not allowed."})"));
  auto put = Put(base + "/" + id, R"({"name":"y"})", admin_);
  EXPECT_EQ(put->status, 405);
  EXPECT_EQ(Body(put)["detail"], "Method \"PUT\" not allowed.");
  auto del = Delete(base + "/" + id, admin_);
  EXPECT_EQ(del->status, 405);
  EXPECT_EQ(Body(del)["detail"], "Method \"DELETE\" not allowed.");
  EXPECT_EQ(emulator_.Tokens(account_).size(), 2u);
  EXPECT_EQ(emulator_.Token(created["id"])->state, 1);
  // Without credentials too: the redirect happens before authentication.
  EXPECT_EQ(Client().Post(base, R"({"name":"y"})", "application/json")->status, 405);

  EXPECT_EQ(Get(base, admin_)->status, 200);
  EXPECT_EQ(Get(base + "/" + id, admin_)->status, 200);
  EXPECT_EQ(Get(base + "/" + id + "/permissions", admin_)->status, 200);
  EXPECT_EQ(Get("/api/v3/accounts/4242", admin_)->status, 200);
}

TEST_F(DbtEmulatorTest, UnsupportedMethodsAre405AfterAuthentication) {
  EXPECT_EQ(Delete(TokensPath(), admin_)->status, 405);
  EXPECT_EQ(Post(TokenPath(admin_id_), "{}", admin_)->status, 405);
  EXPECT_EQ(Client().Patch(TokenPath(admin_id_), Auth(admin_), "{}", "application/json")->status,
            405);
  EXPECT_EQ(Client().Delete(TokensPath())->status, 401);
  EXPECT_EQ(emulator_.log().CountFor("method_not_allowed"), 4u);
}

TEST_F(DbtEmulatorTest, AuthenticationFailuresAre401InvalidToken) {
  const json expected = json::parse(R"({"status": {"code": 401, "is_success": false,
      "user_message": "Invalid token.", "developer_message": null}, "data": null})");
  std::vector<httplib::Headers> bad = {
      {},
      {{"Authorization", ""}},
      {{"Authorization", admin_}},                                // no scheme
      {{"Authorization", "Basic " + admin_}},                     // wrong scheme
      {{"Authorization", "Token"}},                               // no credential
      {{"Authorization", "Token dbtc_" + std::string(50, 'A')}},  // well-formed, unknown
      {{"Authorization", "Token " + admin_ + "x"}},
  };
  for (const auto& headers : bad) {
    auto response = Client().Get(TokensPath(), headers);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 401);
    EXPECT_EQ(Body(response), expected);
  }
  EXPECT_EQ(Get(TokensPath(), admin_)->status, 200);
  EXPECT_EQ(Client().Get(TokensPath(), Auth(admin_, "Bearer"))->status, 200);
  EXPECT_EQ(Client().Get(TokensPath(), Auth(admin_, "bearer"))->status, 200);
  EXPECT_EQ(Client().Get(TokensPath(), Auth(admin_, "token"))->status, 200);
}

TEST_F(DbtEmulatorTest, SeededInactiveTokenDoesNotAuthenticate) {
  auto inactive = emulator_.AddServiceToken(account_, {"off", DbtAdminGrants(), 2});
  ASSERT_TRUE(inactive.has_value());
  EXPECT_FALSE(emulator_.Authenticates(inactive->token_string));
  EXPECT_EQ(Get(TokensPath(), std::string(inactive->token_string.expose()))->status, 401);
}

TEST_F(DbtEmulatorTest, OtherAccountsLookNonexistent) {
  const auto other = emulator_.CreateAccount("Other", 777);
  auto other_admin = emulator_.AddServiceToken(other, {"admin", DbtAdminGrants()});
  ASSERT_TRUE(other_admin.has_value());
  EXPECT_EQ(Get(TokensPath(other), admin_)->status, 404);
  EXPECT_EQ(Get(TokensPath(999), admin_)->status, 404);
  EXPECT_EQ(Get("/api/v3/accounts/777/", admin_)->status, 404);
  // A token id of another account is not found either.
  const std::string other_token(other_admin->token_string.expose());
  EXPECT_EQ(Get(TokenPath(other_admin->id), admin_)->status, 404);
  EXPECT_EQ(Delete(TokenPath(other_admin->id), admin_)->status, 404);
  EXPECT_EQ(emulator_.Token(other_admin->id)->state, 1);
  EXPECT_EQ(Get(TokensPath(other), other_token)->status, 200);
}

TEST_F(DbtEmulatorTest, ReadersMayListButNotWrite) {
  for (const char* set : {"security_admin", "account_viewer"}) {
    auto reader =
        emulator_.AddServiceToken(account_, {set, {DbtGrant{set, std::nullopt, std::nullopt}}});
    ASSERT_TRUE(reader.has_value());
    const std::string token(reader->token_string.expose());
    EXPECT_EQ(Get(TokensPath(), token)->status, 200) << set;
    EXPECT_EQ(Get(PermissionsPath(admin_id_), token)->status, 200) << set;
    EXPECT_EQ(Post(TokensPath(), R"({"name":"x"})", token)->status, 403) << set;
    EXPECT_EQ(Delete(TokenPath(admin_id_), token)->status, 403) << set;
    EXPECT_EQ(Put(TokenPath(admin_id_), R"({"name":"x"})", token)->status, 403) << set;
  }
  // account_admin on one project only is not account-level.
  auto project_admin =
      emulator_.AddServiceToken(account_, {"p", {DbtGrant{"account_admin", 5, std::nullopt}}});
  EXPECT_EQ(Get(TokensPath(), std::string(project_admin->token_string.expose()))->status, 403);
  EXPECT_EQ(emulator_.ActiveTokens(account_).size(), 4u);
}

TEST_F(DbtEmulatorTest, ForbiddenCanLookLikeNotFound) {
  auto job = emulator_.AddServiceToken(account_, {"job", {DbtGrant{"job_admin", 1, std::nullopt}}});
  const std::string token(job->token_string.expose());
  DbtBehavior behavior;
  behavior.forbidden_reply = DbtForbiddenReply::k404;
  emulator_.SetBehavior(behavior);
  auto response = Post(TokensPath(), R"({"name":"x"})", token);
  EXPECT_EQ(response->status, 404);
  EXPECT_NE(Body(response)["status"]["user_message"].get<std::string>().find("permission"),
            std::string::npos);
}

TEST_F(DbtEmulatorTest, IpRestrictionIs403WithAccountAccessDenied) {
  DbtBehavior behavior;
  behavior.ip_restricted = true;
  emulator_.SetBehavior(behavior);
  auto response = Get(TokensPath(), admin_);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 403);
  const json body = Body(response);
  EXPECT_EQ(body["status"]["user_message"], "Forbidden: Access denied");
  EXPECT_TRUE(body["data"]["account_access_denied"].get<bool>());
  EXPECT_TRUE(body["data"]["is_service_token"].get<bool>());
  EXPECT_EQ(body["data"]["account_id"], account_);
  EXPECT_TRUE(body["data"]["user_id"].is_number_integer());
  EXPECT_EQ(Post(TokensPath(), R"({"name":"x"})", admin_)->status, 403);
  EXPECT_EQ(emulator_.Tokens(account_).size(), 1u);
}

TEST_F(DbtEmulatorTest, RateLimitAnswers429UntilTheCooldownEnds) {
  DbtBehavior behavior;
  behavior.rate_limit.max_requests = 3;
  behavior.rate_limit.retry_after_seconds = 300;
  emulator_.SetBehavior(behavior);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Get(TokensPath(), admin_)->status, 200);
  auto limited = Get(TokensPath(), admin_);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "300");
  EXPECT_EQ(Body(limited)["status"]["code"], 429);
  clock_.Advance(std::chrono::minutes(2));  // a new window, but still cooling down
  EXPECT_EQ(Get(TokensPath(), admin_)->status, 429);
  clock_.Advance(std::chrono::minutes(4));
  EXPECT_EQ(Get(TokensPath(), admin_)->status, 200);

  behavior.rate_limit.retry_after_seconds.reset();
  emulator_.SetBehavior(behavior);
  for (int i = 0; i < 3; ++i) Get(TokensPath(), admin_);
  auto no_header = Get(TokensPath(), admin_);
  EXPECT_EQ(no_header->status, 429);
  EXPECT_FALSE(no_header->has_header("Retry-After"));
}

TEST_F(DbtEmulatorTest, RateLimitWindowResets) {
  DbtBehavior behavior;
  behavior.rate_limit.max_requests = 2;
  emulator_.SetBehavior(behavior);
  EXPECT_EQ(Get(TokensPath(), admin_)->status, 200);
  EXPECT_EQ(Get(TokensPath(), admin_)->status, 200);
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(Get(TokensPath(), admin_)->status, 200);
}

TEST_F(DbtEmulatorTest, UnknownPathsAre404) {
  EXPECT_EQ(Get("/api/v3/accounts/4242/service-tokens/abc/", admin_)->status, 404);
  EXPECT_EQ(Get("/api/v2/accounts/4242/", admin_)->status, 404);
  EXPECT_EQ(Get("/", admin_)->status, 404);
  EXPECT_EQ(emulator_.log().CountFor("unrouted"), 3u);
}

}  // namespace
}  // namespace dbtrotate::emulators::testing
