// Contract test: our client and our dbt Cloud emulator, checked against dbt's own OpenAPI spec
// by Stoplight Prism in validating-proxy mode (`prism proxy … --errors`). Prism validates each
// request against the spec before forwarding it (a violation: 422 problem+json, not
// forwarded) and each upstream response after (a violation: 500 problem+json with an
// `sl-violations` header). Any of those, or a violation line in Prism's output, fails.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>

#include "contract/prism_process.h"
#include "dbtcloud/client.h"
#include "dbtcloud/grants.h"
#include "emulators/dbtcloud/dbtcloud_emulator.h"
#include "http/curl_client.h"

namespace dbtrotate::contract {
namespace {

using dbtcloud::ErrorCode;
using dbtcloud::PermissionGrant;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr auto kPrismReadyTimeout = 120s;  // parsing dbt's 400 kB spec takes a few seconds

// dbt's spec carries no licence, so it is not in the repository: DBTROTATE_DBT_OPENAPI names it,
// else it is looked for where CI lays out the reference material, beside the checkout.
std::string SpecPath() {
  const char* configured = std::getenv("DBTROTATE_DBT_OPENAPI");
  if (configured != nullptr && *configured != '\0') return configured;
  return DBTROTATE_SHARED_DIR "/reference/dbt-cloud-openapi-v3.yaml";
}

// CI sets DBTROTATE_REQUIRE_CONTRACT=1: there, a missing spec is a failure, not a skip.
bool ContractRequired() {
  const char* required = std::getenv("DBTROTATE_REQUIRE_CONTRACT");
  return required != nullptr && std::string_view(required) == "1";
}

// What Prism answered, as far as the contract is concerned (never a body that could hold a
// token: only Prism's own problem+json bodies are kept).
struct Exchange {
  std::string method;
  std::string url;
  int status = 0;
  std::string violations;  // the sl-violations header
  std::string problem;     // a problem+json body from Prism
};

class RecordingClient final : public http::Client {
 public:
  explicit RecordingClient(http::Client& inner) : inner_(inner) {}

  http::HttpResult Send(const http::Request& request) override {
    auto result = inner_.Send(request);
    Exchange exchange{std::string(http::MethodName(request.method)), request.url, 0, "", ""};
    if (result) {
      exchange.status = result->status;
      exchange.violations = result->HeaderValue("sl-violations").value_or("");
      if (result->HeaderValue("content-type").value_or("").find("problem+json") !=
          std::string::npos) {
        exchange.problem = result->body;
      }
    }
    std::lock_guard lock(mutex_);
    exchanges_.push_back(std::move(exchange));
    return result;
  }

  std::vector<Exchange> TakeExchanges() {
    std::lock_guard lock(mutex_);
    return std::exchange(exchanges_, {});
  }

 private:
  http::Client& inner_;
  std::mutex mutex_;
  std::vector<Exchange> exchanges_;
};

// Prism's log lines that report a problem (it marks them ✖ error / ⚠ warning).
std::vector<std::string> ProblemLines(const std::string& output) {
  std::vector<std::string> lines;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    std::string lower = line;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.find("violation") != std::string::npos || lower.find("error") != std::string::npos ||
        lower.find("warning") != std::string::npos || line.find("✖") != std::string::npos ||
        line.find("⚠") != std::string::npos) {
      lines.push_back(line);
    }
  }
  return lines;
}

class PrismContractTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (access(SpecPath().c_str(), R_OK) != 0) {
      spec_missing_ = true;
      return;
    }
    dbt_ = std::make_unique<emulators::DbtCloudEmulator>();
    if (auto started = dbt_->Start(); !started) {
      start_error_ = "dbt emulator: " + started.error();
      return;
    }
    dbt_->SetBehavior(SpecBehavior());
    account_ = dbt_->CreateAccount();
    auto admin = dbt_->AddServiceToken(account_, {"contract-admin", emulators::DbtAdminGrants()});
    if (!admin) {
      start_error_ = "seeding: " + admin.error();
      return;
    }
    admin_token_ = std::make_unique<SecretString>(std::move(admin->token_string));
    prism_ = std::make_unique<PrismProxy>();
    if (auto started = prism_->Start(SpecPath(), dbt_->base_url(), kPrismReadyTimeout); !started) {
      start_error_ = started.error();
    }
  }

  static void TearDownTestSuite() {
    prism_.reset();  // stops Prism's process group
    dbt_.reset();
    admin_token_.reset();
  }

  void SetUp() override {
    if (spec_missing_) {
      if (ContractRequired()) {
        FAIL() << "dbt's OpenAPI spec is not at " << SpecPath()
               << " and DBTROTATE_REQUIRE_CONTRACT=1: the contract test must run here";
      }
      GTEST_SKIP() << "SKIPPED: dbt's OpenAPI spec is not at " << SpecPath()
                   << "; set DBTROTATE_DBT_OPENAPI to its path to run the contract test";
    }
    ASSERT_TRUE(start_error_.empty()) << start_error_;
    output_mark_ = prism_->OutputSize();
    auto client =
        dbtcloud::Client::Create(recording_, prism_->base_url(), account_, admin_token_->Clone());
    ASSERT_TRUE(client.has_value()) << client.error().message;
    client_ = std::move(client).value();
  }

  // dbt's spec types last_used, project_id, … as non-nullable; the live API (and the default
  // emulator) send null there. Prism judges against the spec, so the emulator leaves them out.
  static emulators::DbtBehavior SpecBehavior() {
    emulators::DbtBehavior behavior;
    behavior.omit_null_fields = true;
    return behavior;
  }

  void TearDown() override {
    if (!dbt_) return;  // skipped: no spec, so no emulator either
    dbt_->SetBehavior(SpecBehavior());
    dbt_->faults().ClearRules();
  }

  // Every exchange since the last call passed Prism's validation, and Prism logged no problem.
  void ExpectNoViolations(const std::string& step) {
    const auto exchanges = recording_.TakeExchanges();
    std::size_t forwarded = 0;
    std::size_t refused = 0;
    for (const auto& exchange : exchanges) {
      EXPECT_TRUE(exchange.violations.empty())
          << step << ": " << exchange.method << " " << exchange.url << " → " << exchange.status
          << " sl-violations: " << exchange.violations;
      EXPECT_TRUE(exchange.problem.empty())
          << step << ": " << exchange.method << " " << exchange.url << " → " << exchange.status
          << " Prism: " << exchange.problem;
      (exchange.problem.empty() ? forwarded : refused)++;
    }
    // Prism logs a request's last line around the time it answers: wait (bounded) until the
    // log has caught up with every exchange, so each step is judged on its own lines.
    prism_->WaitForOutput(
        [&](std::string_view text) {
          return Occurrences(text, "Received forward response") >= forwarded &&
                 Occurrences(text, "Request terminated") >= refused;
        },
        output_mark_, 5s);
    ExpectNoProblemLines(step);
  }

  void ExpectNoProblemLines(const std::string& step) {
    const std::string output = prism_->Output();
    for (const auto& line : ProblemLines(output.substr(std::min(output_mark_, output.size())))) {
      ADD_FAILURE() << step << ": Prism reported: " << line;
    }
    output_mark_ = output.size();
  }

  static std::size_t Occurrences(std::string_view text, std::string_view needle) {
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string_view::npos;
         at = text.find(needle, at + needle.size())) {
      ++count;
    }
    return count;
  }

  static inline std::unique_ptr<emulators::DbtCloudEmulator> dbt_;
  static inline std::unique_ptr<PrismProxy> prism_;
  static inline std::unique_ptr<SecretString> admin_token_;
  static inline std::int64_t account_ = 0;
  static inline std::string start_error_;
  static inline bool spec_missing_ = false;

  http::CurlClient curl_;
  RecordingClient recording_{curl_};
  std::unique_ptr<dbtcloud::Client> client_;
  std::size_t output_mark_ = 0;
};

TEST_F(PrismContractTest, EveryClientOperationConformsToDbtsSpec) {
  const std::vector<PermissionGrant> grants = {
      {"job_admin", 10, std::nullopt},
      {"developer", 11, std::vector<std::string>{"development", "staging"}},
      {"account_viewer", std::nullopt, std::vector<std::string>{}},
  };
  auto created = client_->CreateServiceToken("contract-rotated", grants);
  ExpectNoViolations("create");
  EXPECT_TRUE(created.has_value()) << created.error().message;

  // The other steps run on a seeded token, so each is checked even if create failed.
  auto seeded = dbt_->AddServiceToken(
      account_, {"contract-seeded",
                 {{"job_admin", 10, std::nullopt},
                  {"developer", 11, std::vector<std::string>{"development", "staging"}},
                  {"account_viewer", std::nullopt, std::vector<std::string>{}}}});
  ASSERT_TRUE(seeded.has_value()) << seeded.error();
  const std::int64_t id = seeded->id;

  auto all = client_->ListServiceTokens(false);
  ExpectNoViolations("list");
  EXPECT_TRUE(all.has_value()) << all.error().message;
  auto active = client_->ListServiceTokens(true);
  ExpectNoViolations("list state=1");
  EXPECT_TRUE(active.has_value()) << active.error().message;

  auto fetched = client_->GetServiceToken(id);
  ExpectNoViolations("retrieve");
  EXPECT_TRUE(fetched.has_value()) << fetched.error().message;

  auto rows = client_->ListPermissions(id);
  ExpectNoViolations("list permissions");
  EXPECT_TRUE(rows.has_value()) << rows.error().message;
  if (rows) {
    EXPECT_TRUE(dbtcloud::SameGrants(dbtcloud::GrantsFromPermissionRows(*rows), grants));
  }

  auto as_seeded = client_->WithToken(std::move(seeded->token_string));
  auto self = as_seeded->GetServiceToken(id);
  ExpectNoViolations("retrieve with the seeded token");
  EXPECT_TRUE(self.has_value()) << self.error().message;

  auto renamed = client_->RenameServiceToken(id, "contract-seeded-old");
  ExpectNoViolations("update");
  EXPECT_TRUE(renamed.has_value()) << renamed.error().message;

  auto deleted = client_->DeleteServiceToken(id);
  ExpectNoViolations("destroy");
  ASSERT_TRUE(deleted.has_value()) << deleted.error().message;
  EXPECT_EQ(*deleted, dbtcloud::DeleteOutcome::kDeleted);
}

TEST_F(PrismContractTest, PaginatedListsConform) {
  std::vector<emulators::DbtGrant> grants;
  for (int project = 1; project <= 55; ++project) {
    grants.push_back({"job_admin", project, std::nullopt});
    grants.push_back({"developer", project, std::vector<std::string>{"development"}});
  }
  auto wide = dbt_->AddServiceToken(account_, {"contract-wide", grants});
  ASSERT_TRUE(wide.has_value()) << wide.error();
  for (int i = 0; i < 105; ++i) {
    ASSERT_TRUE(dbt_->AddServiceToken(account_, {"contract-bulk", {}}).has_value());
  }
  auto tokens = client_->ListServiceTokens(false);
  ASSERT_TRUE(tokens.has_value()) << tokens.error().message;
  EXPECT_GT(tokens->size(), 100u);
  auto rows = client_->ListPermissions(wide->id);
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  EXPECT_EQ(rows->size(), 110u);
  ExpectNoViolations("paginated lists");
}

// Proof that the contract check can fail: requests that violate the spec never reach the
// emulator and come back as Prism's 422, and Prism logs them.
TEST_F(PrismContractTest, PrismRejectsARequestThatViolatesTheSpec) {
  const auto creates_before = dbt_->log().CountFor("create_service_token");
  http::Request request(http::Method::kPost, prism_->base_url() + "/api/v3/accounts/" +
                                                 std::to_string(account_) + "/service-tokens/");
  request.AddHeader("Authorization", "Bearer ");
  request.headers.back().value += admin_token_->expose();
  request.AddHeader("Accept", "application/json");
  request.AddHeader("Content-Type", "application/json");
  request.body = R"({"permission_grants": [{"project_id": "ten"}]})";  // no name, no set
  auto reply = recording_.Send(request);
  ASSERT_TRUE(reply.has_value()) << reply.error().message;
  EXPECT_EQ(reply->status, 422);
  const json problem = json::parse(reply->body, nullptr, false);
  ASSERT_TRUE(problem.is_object()) << reply->body;
  EXPECT_EQ(problem.value("type", ""), "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY");
  const std::string validation = problem.value("validation", json::array()).dump();
  EXPECT_NE(validation.find("must have required property 'name'"), std::string::npos) << validation;
  EXPECT_NE(validation.find("permission_set"), std::string::npos) << validation;
  EXPECT_NE(validation.find("project_id must be integer"), std::string::npos) << validation;
  EXPECT_EQ(dbt_->log().CountFor("create_service_token"), creates_before) << "was forwarded";

  // Through our client: a permission set outside dbt's enum is refused by the contract check
  // and surfaces as a typed validation error (422).
  auto created = client_->CreateServiceToken("x", {{"not_a_permission_set", 1, std::nullopt}});
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, ErrorCode::kValidation);
  EXPECT_EQ(created.error().http_status, 422);
  EXPECT_EQ(dbt_->log().CountFor("create_service_token"), creates_before);

  // And Prism said so in its output.
  EXPECT_TRUE(prism_->WaitForOutput("UNPROCESSABLE_ENTITY", output_mark_, 5s)) << prism_->Output();
  const auto exchanges = recording_.TakeExchanges();
  ASSERT_EQ(exchanges.size(), 2u);
  for (const auto& exchange : exchanges) EXPECT_FALSE(exchange.problem.empty());
}

// …and a response that violates the spec is caught on the way back.
TEST_F(PrismContractTest, PrismRejectsAResponseThatViolatesTheSpec) {
  json bad = {{"status",
               {{"code", 200},
                {"is_success", true},
                {"user_message", "Success!"},
                {"developer_message", ""}}},
              {"data",
               {{"id", "1001"},
                {"account_id", account_},
                {"uid", "u"},
                {"name", "n"},
                {"state", 1},
                {"created_at", "2025-01-01T00:00:00Z"},
                {"updated_at", "2025-01-01T00:00:00Z"}}}};
  dbt_->faults().AddRule(emulators::FaultRule::ForOperation(
      "get_service_token", emulators::Fault::Status(200, bad.dump())));
  auto token = client_->GetServiceToken(1001);
  ASSERT_FALSE(token.has_value());
  EXPECT_EQ(token.error().code, ErrorCode::kServer) << token.error().message;
  const auto exchanges = recording_.TakeExchanges();
  ASSERT_EQ(exchanges.size(), 1u);
  EXPECT_EQ(exchanges[0].status, 500);
  EXPECT_NE(exchanges[0].violations.find("data.id must be integer"), std::string::npos)
      << exchanges[0].violations;
  EXPECT_TRUE(prism_->WaitForOutput("VIOLATIONS", output_mark_, 5s)) << prism_->Output();
}

}  // namespace
}  // namespace dbtrotate::contract
