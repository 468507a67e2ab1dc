// The dbt Cloud emulator's request handling (emulators/dbtcloud/service.h): a sequence of
// requests with fuzzed operations, ids, query, Authorization and bodies against one account
// with an admin token, under fuzzed behaviour variants. Invariants: every reply has an HTTP
// status, and a 2xx reply other than 204 carries a JSON body.

#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/random.h"
#include "emulators/dbtcloud/service.h"
#include "fuzz/fuzz_check.h"

namespace dbtrotate::emulators {
namespace {

DbtBehavior FuzzedBehavior(FuzzedDataProvider& input) {
  DbtBehavior behavior;
  behavior.delete_reply = input.PickValueInArray(
      {DbtDeleteReply::kNoContent, DbtDeleteReply::kOkEnvelope, DbtDeleteReply::kOkEmpty});
  behavior.forbidden_reply =
      input.PickValueInArray({DbtForbiddenReply::k403, DbtForbiddenReply::k404});
  behavior.get_deleted_returns_404 = input.ConsumeBool();
  behavior.rename_allowed = input.ConsumeBool();
  behavior.redelete_returns_404 = input.ConsumeBool();
  behavior.omit_null_fields = input.ConsumeBool();
  if (input.ConsumeBool()) behavior.rate_limit.max_requests = input.ConsumeIntegralInRange(1, 5);
  return behavior;
}

DbtRequest FuzzedRequest(FuzzedDataProvider& input, std::int64_t account_id,
                         const SecretString& admin_token) {
  DbtRequest request;
  request.operation = static_cast<DbtOperation>(
      input.ConsumeIntegralInRange<int>(0, static_cast<int>(DbtOperation::kMethodNotAllowed)));
  request.method = input.PickValueInArray({"GET", "POST", "PUT", "DELETE", "PATCH"});
  request.trailing_slash = input.ConsumeBool();
  request.account_id = input.ConsumeBool() ? account_id : input.ConsumeIntegral<std::int64_t>();
  request.token_id = input.ConsumeBool() ? input.ConsumeIntegralInRange<std::int64_t>(1000, 1010)
                                         : input.ConsumeIntegral<std::int64_t>();
  const int params = input.ConsumeIntegralInRange(0, 3);
  for (int i = 0; i < params; ++i) {
    std::string key = input.PickValueInArray({"limit", "offset", "state", "order_by", "x"});
    request.query.emplace(std::move(key), input.ConsumeRandomLengthString(16));
  }
  switch (input.ConsumeIntegralInRange(0, 2)) {
    case 0:
      request.authorization = "Token " + std::string(admin_token.expose());
      break;
    case 1:
      request.authorization = "bearer " + std::string(admin_token.expose());
      break;
    default:
      request.authorization = input.ConsumeRandomLengthString(64);
  }
  request.body = input.ConsumeRandomLengthString(512);
  return request;
}

}  // namespace
}  // namespace dbtrotate::emulators

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dbtrotate::emulators;
  FuzzedDataProvider input(data, size);
  dbtrotate::FakeClock clock(std::chrono::system_clock::time_point(std::chrono::hours(490000)));
  dbtrotate::SeededRandom random(1);
  DbtCloudService service(clock, random);
  service.SetBehavior(FuzzedBehavior(input));
  const std::int64_t account = service.CreateAccount();
  auto admin = service.AddServiceToken(account, {"admin", DbtAdminGrants()});
  FUZZ_CHECK(admin.has_value());
  for (int i = 0; i < 8 && input.remaining_bytes() > 0; ++i) {
    DbtReply reply = service.Handle(FuzzedRequest(input, account, admin->token_string));
    FUZZ_CHECK(reply.status >= 200 && reply.status < 600);
    if (reply.status >= 200 && reply.status < 300 && reply.status != 204 && !reply.body.empty()) {
      FUZZ_CHECK(!nlohmann::json::parse(reply.body, nullptr, false).is_discarded());
    }
    clock.Advance(std::chrono::seconds(input.ConsumeIntegralInRange(0, 600)));
  }
  return 0;
}
