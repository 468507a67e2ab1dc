// List (pagination, state filter), rename, delete variants, soft-delete semantics.

#include <set>

#include "emulators/dbtcloud/dbt_fixture.h"

namespace dbtrotate::emulators::testing {
namespace {

using nlohmann::json;

class DbtListTest : public DbtEmulatorTest {
 protected:
  // Seeds `count` more tokens directly; returns their ids.
  std::vector<std::int64_t> Seed(int count) {
    std::vector<std::int64_t> ids;
    for (int i = 0; i < count; ++i) {
      auto token = emulator_.AddServiceToken(account_, {"seed-" + std::to_string(i), {}});
      EXPECT_TRUE(token.has_value());
      ids.push_back(token->id);
    }
    return ids;
  }
};

TEST_F(DbtListTest, ListEnvelopeAndDefaultsIncludeDeletedRows) {
  const auto ids = Seed(2);
  ASSERT_EQ(Delete(TokenPath(ids[0]), admin_)->status, 204);
  auto response = Get(TokensPath(), admin_);
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200);
  const json body = Body(response);
  EXPECT_EQ(body["status"]["user_message"], "Success!");
  ASSERT_EQ(body["data"].size(), 3u);  // admin + 2, the deleted one included
  EXPECT_EQ(body["data"][1]["id"], ids[0]);
  EXPECT_EQ(body["data"][1]["state"], 2);
  EXPECT_EQ(body["extra"]["pagination"], json::parse(R"({"count":3,"total_count":3})"));
  EXPECT_EQ(body["extra"]["filters"], json::parse(R"({"limit":100,"offset":0})"));
  EXPECT_EQ(body["extra"]["order_by"], "id");
  for (const auto& token : body["data"]) EXPECT_FALSE(token.contains("token_string"));
}

TEST_F(DbtListTest, StateFilter) {
  const auto ids = Seed(3);
  ASSERT_EQ(Delete(TokenPath(ids[1]), admin_)->status, 204);
  auto count = [&](const std::string& query) {
    auto response = Get(TokensPath() + query, admin_);
    EXPECT_EQ(response->status, 200) << query;
    return Body(response)["extra"]["pagination"]["total_count"].get<int>();
  };
  EXPECT_EQ(count("?state=1"), 3);
  EXPECT_EQ(count("?state=active"), 3);
  EXPECT_EQ(count("?state=2"), 1);
  EXPECT_EQ(count("?state=deleted"), 1);
  EXPECT_EQ(count("?state=all"), 4);
  EXPECT_EQ(count(""), 4);
  EXPECT_EQ(Body(Get(TokensPath() + "?state=1", admin_))["extra"]["filters"]["state"], "1");
  auto bad = Get(TokensPath() + "?state=3", admin_);
  EXPECT_EQ(bad->status, 400);
}

// Found by fuzz/emu_dbtcloud: the 400 message quotes the value, and a value that is not UTF-8
// made the JSON encoder throw, so the client got the emulator's 500 instead of dbt's 400.
TEST_F(DbtListTest, AQueryValueThatIsNotUtf8IsA400) {
  for (const char* query : {"?state=%A3", "?offset=%FF", "?order_by=%C3"}) {
    auto response = Get(TokensPath() + query, admin_);
    ASSERT_TRUE(response) << query;
    EXPECT_EQ(response->status, 400) << query;
    EXPECT_FALSE(Body(response)["status"]["is_success"].get<bool>()) << query;
  }
}

TEST_F(DbtListTest, PaginatesMoreThan100Rows) {
  Seed(249);  // 250 with the admin
  std::set<std::int64_t> seen;
  std::vector<int> counts;
  for (int offset = 0;; offset += 100) {
    auto response = Get(TokensPath() + "?state=1&offset=" + std::to_string(offset), admin_);
    ASSERT_EQ(response->status, 200);
    const json body = Body(response);
    const int count = body["extra"]["pagination"]["count"];
    EXPECT_EQ(body["extra"]["pagination"]["total_count"], 250);
    EXPECT_EQ(static_cast<int>(body["data"].size()), count);
    if (count == 0) break;
    counts.push_back(count);
    for (const auto& token : body["data"]) seen.insert(token["id"].get<std::int64_t>());
    ASSERT_LT(offset, 1000);  // bounded
  }
  EXPECT_EQ(counts, (std::vector<int>{100, 100, 50}));
  EXPECT_EQ(seen.size(), 250u);
}

TEST_F(DbtListTest, LimitAndOffsetAndOrder) {
  const auto ids = Seed(5);
  auto response = Get(TokensPath() + "?limit=2&offset=1", admin_);
  json body = Body(response);
  ASSERT_EQ(body["data"].size(), 2u);
  EXPECT_EQ(body["data"][0]["id"], ids[0]);
  EXPECT_EQ(body["extra"]["filters"], json::parse(R"({"limit":2,"offset":1})"));
  EXPECT_EQ(body["extra"]["pagination"], json::parse(R"({"count":2,"total_count":6})"));

  body = Body(Get(TokensPath() + "?order_by=-id&limit=1", admin_));
  EXPECT_EQ(body["data"][0]["id"], ids[4]);
  EXPECT_EQ(body["extra"]["order_by"], "-id");
  body = Body(Get(TokensPath() + "?order_by=name", admin_));
  EXPECT_EQ(body["data"][0]["name"], "admin");

  body = Body(Get(TokensPath() + "?offset=50", admin_));
  EXPECT_EQ(body["data"].size(), 0u);
  EXPECT_EQ(body["extra"]["pagination"]["count"], 0);
}

TEST_F(DbtListTest, LimitAbove100AndOtherBadParametersAre400) {
  for (const char* query : {"?limit=101", "?limit=0", "?limit=-1", "?limit=abc", "?offset=-5",
                            "?offset=x", "?order_by=secret", "?state=maybe"}) {
    auto response = Get(TokensPath() + query, admin_);
    ASSERT_TRUE(response) << query;
    EXPECT_EQ(response->status, 400) << query;
    const json body = Body(response);
    EXPECT_EQ(body["status"]["code"], 400) << query;
    EXPECT_FALSE(body["status"]["is_success"].get<bool>()) << query;
  }
  EXPECT_EQ(Get(TokensPath() + "?limit=100", admin_)->status, 200);
  // Unknown parameters are ignored, as Django does.
  EXPECT_EQ(Get(TokensPath() + "?include_related=permissions&foo=1", admin_)->status, 200);
}

TEST_F(DbtListTest, RenameWithPut) {
  const auto ids = Seed(1);
  clock_.Advance(std::chrono::seconds(5));
  auto response = Put(TokenPath(ids[0]), R"({"name": "renamed"})", admin_);
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200) << response->body;
  const json data = Body(response)["data"];
  EXPECT_EQ(data["name"], "renamed");
  EXPECT_EQ(data["updated_at"], "2026-08-20T12:00:05.000000+00:00");
  EXPECT_EQ(data["created_at"], "2026-08-20T12:00:00.000000+00:00");
  EXPECT_FALSE(data.contains("token_string"));
  EXPECT_EQ(emulator_.Token(ids[0])->name, "renamed");

  EXPECT_EQ(Put(TokenPath(ids[0]), R"({"name": ""})", admin_)->status, 400);
  EXPECT_EQ(Put(TokenPath(ids[0]), R"({})", admin_)->status, 400);
  EXPECT_EQ(Put(TokenPath(ids[0]), "nope", admin_)->status, 400);
  EXPECT_EQ(Put(TokenPath(99999), R"({"name": "x"})", admin_)->status, 404);
  EXPECT_EQ(emulator_.Token(ids[0])->name, "renamed");
}

TEST_F(DbtListTest, RenameCanBeRefused) {
  const auto ids = Seed(1);
  DbtBehavior behavior;
  behavior.rename_allowed = false;
  emulator_.SetBehavior(behavior);
  auto response = Put(TokenPath(ids[0]), R"({"name": "renamed"})", admin_);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(emulator_.Token(ids[0])->name, "seed-0");
}

TEST_F(DbtListTest, DeleteIsASoftDeleteAnswered204WithoutBody) {
  const json created = CreateViaApi({{"name", "old"}});
  const std::string token = created["token_string"];
  const std::int64_t id = created["id"];
  ASSERT_EQ(Get("/api/v3/accounts/4242/", token)->status, 200);

  auto response = Delete(TokenPath(id), admin_);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 204);
  EXPECT_TRUE(response->body.empty());
  EXPECT_FALSE(response->has_header("Content-Type"));

  // The row stays, in state 2, and the token no longer authenticates.
  EXPECT_EQ(emulator_.Token(id)->state, 2);
  EXPECT_FALSE(emulator_.Authenticates(SecretString::CopyOf(token)));
  auto refused = Get("/api/v3/accounts/4242/", token);
  EXPECT_EQ(refused->status, 401);
  auto detail = Get(TokenPath(id), admin_);
  EXPECT_EQ(detail->status, 200);
  EXPECT_EQ(Body(detail)["data"]["state"], 2);
  EXPECT_EQ(emulator_.ActiveTokens(account_).size(), 1u);
  EXPECT_EQ(emulator_.Tokens(account_).size(), 2u);

  // Deleting again is answered the same way by default.
  EXPECT_EQ(Delete(TokenPath(id), admin_)->status, 204);
  EXPECT_EQ(Delete(TokenPath(424242), admin_)->status, 404);
}

TEST_F(DbtListTest, DeleteReplyVariants) {
  const auto ids = Seed(3);
  DbtBehavior behavior;
  behavior.delete_reply = DbtDeleteReply::kOkEnvelope;
  emulator_.SetBehavior(behavior);
  auto envelope = Delete(TokenPath(ids[0]), admin_);
  ASSERT_TRUE(envelope);
  EXPECT_EQ(envelope->status, 200);
  EXPECT_EQ(Body(envelope)["status"]["user_message"], "Success!");
  EXPECT_EQ(Body(envelope)["data"]["state"], 2);

  behavior.delete_reply = DbtDeleteReply::kOkEmpty;
  emulator_.SetBehavior(behavior);
  auto empty = Delete(TokenPath(ids[1]), admin_);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 200);
  EXPECT_TRUE(empty->body.empty());

  behavior.delete_reply = DbtDeleteReply::kNoContent;
  emulator_.SetBehavior(behavior);
  auto none = Delete(TokenPath(ids[2]), admin_);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 204);
  EXPECT_TRUE(none->body.empty());
  for (auto id : ids) EXPECT_EQ(emulator_.Token(id)->state, 2);
}

TEST_F(DbtListTest, DeletedTokenVariants) {
  const auto ids = Seed(1);
  DbtBehavior behavior;
  behavior.get_deleted_returns_404 = true;
  behavior.redelete_returns_404 = true;
  emulator_.SetBehavior(behavior);
  ASSERT_EQ(Delete(TokenPath(ids[0]), admin_)->status, 204);
  EXPECT_EQ(Get(TokenPath(ids[0]), admin_)->status, 404);
  EXPECT_EQ(Delete(TokenPath(ids[0]), admin_)->status, 404);
  // The list still has it.
  EXPECT_EQ(Body(Get(TokensPath() + "?state=2", admin_))["data"].size(), 1u);
}

TEST_F(DbtListTest, AdminMayDeleteItself) {
  ASSERT_EQ(Delete(TokenPath(admin_id_), admin_)->status, 204);
  EXPECT_EQ(Get(TokensPath(), admin_)->status, 401);
}

}  // namespace
}  // namespace dbtrotate::emulators::testing
