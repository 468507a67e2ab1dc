// Create and retrieve over real loopback HTTP.

#include <regex>

#include "emulators/dbtcloud/dbt_fixture.h"

namespace dbtrotate::emulators::testing {
namespace {

using nlohmann::json;

const std::regex kTokenFormat("^dbtc_[A-Za-z0-9_-]{50}$");
const std::regex kTimestampFormat(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$)");

TEST_F(DbtEmulatorTest, CreateAnswers200WithTheEnvelopeAndTheTokenString) {
  clock_.Advance(std::chrono::milliseconds(123));
  auto response = Post(TokensPath(),
                       R"({"name": "ci-token", "permission_grants": [
                             {"permission_set": "job_admin", "project_id": 123},
                             {"permission_set": "developer", "project_id": 456,
                              "writable_environment_categories": ["development", "staging"]},
                             {"permission_set": "account_viewer"}]})",
                       admin_);
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(response->get_header_value("Content-Type"), "application/json");
  const json body = Body(response);
  EXPECT_EQ(body["status"], json::parse(R"({"code":200,"is_success":true,"user_message":"Success!",
                                            "developer_message":""})"));
  EXPECT_EQ(body["extra"], json::object());
  const json& data = body["data"];
  const std::string token_string = data["token_string"];
  EXPECT_TRUE(std::regex_match(token_string, kTokenFormat)) << token_string.size();
  EXPECT_NE(data["token"], token_string);  // only the hash
  EXPECT_EQ(data["name"], "ci-token");
  EXPECT_EQ(data["state"], 1);
  EXPECT_EQ(data["account_id"], account_);
  EXPECT_TRUE(data["id"].is_number_integer());
  EXPECT_FALSE(data["uid"].get<std::string>().empty());
  // The uid is "part of the token secret" (terraform-provider-dbtcloud): dbtc_ + uid + secret.
  EXPECT_EQ(token_string.substr(5, 16), data["uid"].get<std::string>());
  EXPECT_EQ(data["created_at"], "2026-08-20T12:00:00.123000+00:00");
  EXPECT_TRUE(std::regex_match(data["updated_at"].get<std::string>(), kTimestampFormat));
  EXPECT_TRUE(data["last_used"].is_null());
  EXPECT_EQ(data["type"], 2);
  ASSERT_EQ(data["permission_grants"].size(), 3u);
  EXPECT_EQ(data["permission_grants"][0],
            json::parse(R"({"permission_set":"job_admin","project_id":123,
                            "writable_environment_categories":null})"));
  EXPECT_EQ(data["permission_grants"][1]["writable_environment_categories"],
            json::parse(R"(["development","staging"])"));
  EXPECT_TRUE(data["permission_grants"][2]["project_id"].is_null());
  ASSERT_EQ(data["service_token_permissions"].size(), 3u);
  const json& row = data["service_token_permissions"][2];
  EXPECT_EQ(row["permission_set"], "account_viewer");
  EXPECT_TRUE(row["all_projects"].get<bool>());
  EXPECT_TRUE(row["project_id"].is_null());

  // The new token authenticates; the emulator state agrees.
  EXPECT_TRUE(emulator_.Authenticates(SecretString::CopyOf(token_string)));
  const auto active = emulator_.ActiveTokens(account_);
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(active[1].name, "ci-token");
  EXPECT_EQ(active[1].grants.size(), 3u);
}

TEST_F(DbtEmulatorTest, TokenStringsAreFreshEachTime) {
  const json first = CreateViaApi({{"name", "a"}});
  const json second = CreateViaApi({{"name", "a"}});  // duplicate names are allowed
  EXPECT_NE(first["token_string"], second["token_string"]);
  EXPECT_NE(first["id"], second["id"]);
  EXPECT_NE(first["uid"], second["uid"]);
}

TEST_F(DbtEmulatorTest, DefaultRandomIsTheCsprngAndStillWellFormed) {
  DbtCloudEmulator secure;  // SecureRandom + SystemClock
  const auto account = secure.CreateAccount();
  auto a = secure.AddServiceToken(account, {"a", {}});
  auto b = secure.AddServiceToken(account, {"b", {}});
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_TRUE(std::regex_match(std::string(a->token_string.expose()), kTokenFormat));
  EXPECT_FALSE(a->token_string.Equals(b->token_string));
}

TEST_F(DbtEmulatorTest, SeededRandomMakesTokensReproducible) {
  SeededRandom r1(7);
  SeededRandom r2(7);
  EXPECT_TRUE(GenerateDbtTokenString(r1).Equals(GenerateDbtTokenString(r2)));
}

TEST_F(DbtEmulatorTest, NewNonAdminTokenProvesItselfOnTheAccountEndpoint) {
  const json created = CreateViaApi(
      {{"name", "job-runner"},
       {"permission_grants", {{{"permission_set", "job_runner"}, {"project_id", 9}}}}});
  const std::string token = created["token_string"];
  auto account = Get("/api/v3/accounts/" + std::to_string(account_) + "/", token);
  ASSERT_TRUE(account);
  EXPECT_EQ(account->status, 200);
  EXPECT_EQ(Body(account)["data"]["id"], account_);
  EXPECT_EQ(Body(account)["data"]["name"], "Acme");
  EXPECT_EQ(emulator_.log().CountFor("get_account"), 1u);

  auto accounts = Get("/api/v3/accounts/", token);
  ASSERT_TRUE(accounts);
  EXPECT_EQ(accounts->status, 200);
  EXPECT_EQ(Body(accounts)["data"].size(), 1u);
  EXPECT_EQ(Body(accounts)["extra"]["pagination"]["total_count"], 1);

  // It may not manage service tokens.
  auto list = Get(TokensPath(), token);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 403);
  EXPECT_EQ(Body(list)["status"]["user_message"], "Forbidden");
  EXPECT_FALSE(Body(list)["status"]["is_success"].get<bool>());
}

TEST_F(DbtEmulatorTest, AuthenticatedUseRecordsLastUsed) {
  clock_.Advance(std::chrono::seconds(30));
  ASSERT_TRUE(Get(TokensPath(), admin_));
  const auto admin = emulator_.Token(admin_id_);
  ASSERT_TRUE(admin && admin->last_used);
  EXPECT_EQ(*admin->last_used, FixtureStart() + std::chrono::seconds(30));
  auto detail = Get(TokenPath(admin_id_), admin_);
  EXPECT_EQ(Body(detail)["data"]["last_used"], "2026-08-20T12:00:30.000000+00:00");
}

TEST_F(DbtEmulatorTest, RetrieveHasNoSecretAndKnowsPermissions) {
  const json created =
      CreateViaApi({{"name", "x"}, {"permission_grants", {{{"permission_set", "analyst"}}}}});
  auto response = Get(TokenPath(created["id"]), admin_);
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200);
  const json body = Body(response);
  EXPECT_EQ(body["status"]["user_message"], "Success!");
  EXPECT_EQ(body["extra"], json::object());
  const json& data = body["data"];
  EXPECT_FALSE(data.contains("token_string"));
  EXPECT_FALSE(data.contains("token"));
  EXPECT_EQ(data["id"], created["id"]);
  EXPECT_EQ(data["uid"], created["uid"]);
  EXPECT_EQ(data["permission_grants"][0]["permission_set"], "analyst");
  EXPECT_EQ(data["service_token_permissions"][0]["permission_set"], "analyst");
  EXPECT_EQ(response->body.find(created["token_string"].get<std::string>()), std::string::npos);
}

TEST_F(DbtEmulatorTest, RetrieveUnknownIdIsTheDocumented404) {
  auto response = Get(TokenPath(999999), admin_);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(Body(response), json::parse(R"({"status":{"code":404,"is_success":false,
      "user_message":"The requested resource was not found. Please check that you have the proper permissions.",
      "developer_message":""},"data":null})"));
}

TEST_F(DbtEmulatorTest, PermissionKeyVariants) {
  const json created =
      CreateViaApi({{"name", "x"}, {"permission_grants", {{{"permission_set", "analyst"}}}}});
  DbtBehavior behavior;
  behavior.permission_keys = DbtPermissionKeys::kGrantsOnly;
  emulator_.SetBehavior(behavior);
  json data = Body(Get(TokenPath(created["id"]), admin_))["data"];
  EXPECT_TRUE(data.contains("permission_grants"));
  EXPECT_FALSE(data.contains("service_token_permissions"));
  behavior.permission_keys = DbtPermissionKeys::kLegacyOnly;
  emulator_.SetBehavior(behavior);
  data = Body(Get(TokensPath(), admin_))["data"][1];
  EXPECT_FALSE(data.contains("permission_grants"));
  EXPECT_TRUE(data.contains("service_token_permissions"));
}

TEST_F(DbtEmulatorTest, TokenStringsCanLeaveTheUidOut) {
  DbtBehavior behavior;
  behavior.uid_in_token_string = false;
  emulator_.SetBehavior(behavior);
  const json created =
      CreateViaApi({{"name", "x"}, {"permission_grants", {{{"permission_set", "analyst"}}}}});
  const std::string token_string = created["token_string"];
  EXPECT_TRUE(std::regex_match(token_string, kTokenFormat));
  EXPECT_EQ(token_string.find(created["uid"].get<std::string>()), std::string::npos);
}

TEST_F(DbtEmulatorTest, CategoriesDefaultVariants) {
  json created =
      CreateViaApi({{"name", "x"}, {"permission_grants", {{{"permission_set", "developer"}}}}});
  EXPECT_EQ(created["service_token_permissions"][0]["writable_environment_categories"],
            json::array());
  DbtBehavior behavior;
  behavior.default_categories = DbtDefaultCategories::kAll;
  emulator_.SetBehavior(behavior);
  created =
      CreateViaApi({{"name", "y"}, {"permission_grants", {{{"permission_set", "developer"}}}}});
  EXPECT_EQ(created["service_token_permissions"][0]["writable_environment_categories"],
            json::parse(R"(["all"])"));
  // An explicit [] is kept as sent, in both the grant and the row.
  created = CreateViaApi(
      {{"name", "z"},
       {"permission_grants",
        {{{"permission_set", "developer"}, {"writable_environment_categories", json::array()}}}}});
  EXPECT_EQ(created["permission_grants"][0]["writable_environment_categories"], json::array());
  EXPECT_EQ(created["service_token_permissions"][0]["writable_environment_categories"],
            json::array());
}

TEST_F(DbtEmulatorTest, UnknownPermissionSetsAreAcceptedButFusionAdminIsNot) {
  const json created =
      CreateViaApi({{"name", "x"}, {"permission_grants", {{{"permission_set", "brand_new_set"}}}}});
  EXPECT_EQ(created["permission_grants"][0]["permission_set"], "brand_new_set");
  auto refused =
      Post(TokensPath(), R"({"name":"f","permission_grants":[{"permission_set":"fusion_admin"}]})",
           admin_);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
}

TEST_F(DbtEmulatorTest, LegacyFieldsInTheCreateBodyAreIgnored) {
  const json created = CreateViaApi(
      json::parse(R"({"id":null,"account_id":123,"uid":"","name":"legacy","state":2})"));
  EXPECT_EQ(created["state"], 1);
  EXPECT_EQ(created["account_id"], account_);
  EXPECT_TRUE(created["permission_grants"].empty());
}

// Every malformed create is a 400 with a message, and nothing is created.
TEST_F(DbtEmulatorTest, CreateValidation) {
  const char* bad_bodies[] = {
      "",
      "not json",
      "[]",
      R"({})",
      R"({"name": null})",
      R"({"name": ""})",
      R"({"name": "   "})",
      R"({"name": 5})",
      R"({"name": "x", "permission_grants": {}})",
      R"({"name": "x", "permission_grants": ["job_admin"]})",
      R"({"name": "x", "permission_grants": [{}]})",
      R"({"name": "x", "permission_grants": [{"permission_set": ""}]})",
      R"({"name": "x", "permission_grants": [{"permission_set": 3}]})",
      R"({"name": "x", "permission_grants": [{"permission_set": "admin", "project_id": "1"}]})",
      R"({"name": "x", "permission_grants": [{"permission_set": "admin", "project_id": 1.5}]})",
      R"({"name": "x", "permission_grants": [{"permission_set": "developer",
          "writable_environment_categories": "all"}]})",
      R"({"name": "x", "permission_grants": [{"permission_set": "developer",
          "writable_environment_categories": [1]}]})",
      R"({"name": "x", "metadata_only": "yes"})",
  };
  for (const char* body : bad_bodies) {
    auto response = Post(TokensPath(), body, admin_);
    ASSERT_TRUE(response) << body;
    EXPECT_EQ(response->status, 400) << body;
    const json parsed = Body(response);
    EXPECT_EQ(parsed["status"]["code"], 400) << body;
    EXPECT_FALSE(parsed["status"]["is_success"].get<bool>()) << body;
    EXPECT_FALSE(parsed["status"]["user_message"].get<std::string>().empty()) << body;
    EXPECT_TRUE(parsed["data"].is_null()) << body;
  }
  EXPECT_EQ(emulator_.Tokens(account_).size(), 1u);  // only the admin
}

TEST_F(DbtEmulatorTest, NullProjectIdMeansAllProjects) {
  const json created = CreateViaApi(
      {{"name", "x"},
       {"permission_grants", {{{"permission_set", "admin"}, {"project_id", nullptr}}}}});
  EXPECT_TRUE(created["service_token_permissions"][0]["all_projects"].get<bool>());
}

}  // namespace
}  // namespace dbtrotate::emulators::testing
