// The Secrets Manager emulator's request handling: SigV4 verification of a received request
// (emulators/secretsmanager/request_auth.h) and a sequence of JSON 1.1 operations with fuzzed
// bodies against one store (json_api.h). Invariant: every answer is an HTTP status with a JSON
// object body.

#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/random.h"
#include "emulators/secretsmanager/json_api.h"
#include "emulators/secretsmanager/request_auth.h"
#include "emulators/secretsmanager/secret_store.h"
#include "fuzz/fuzz_check.h"

namespace dbtrotate::emulators::secretsmanager {
namespace {

void AuthenticateFuzzedRequest(FuzzedDataProvider& input, Clock& clock) {
  RequestAuthenticator auth("us-east-1", clock);
  aws::Credentials credentials;
  credentials.access_key_id = "AKIDEXAMPLE";
  credentials.secret_access_key = SecretString::CopyOf("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  if (input.ConsumeBool()) credentials.session_token = SecretString::CopyOf("session");
  auth.AddCredentials(credentials);
  std::vector<http::Header> headers;
  headers.push_back({"Host", "secretsmanager.us-east-1.amazonaws.com"});
  headers.push_back({"X-Amz-Date", input.PickValueInArray({"20150830T123600Z", "garbage"})});
  headers.push_back({"Authorization", input.ConsumeRandomLengthString(300)});
  const int extra = input.ConsumeIntegralInRange(0, 3);
  for (int i = 0; i < extra; ++i) {
    std::string name = input.ConsumeRandomLengthString(24);
    headers.push_back({std::move(name), input.ConsumeRandomLengthString(48)});
  }
  const std::string path = input.ConsumeRandomLengthString(32);
  const std::string query = input.ConsumeRandomLengthString(32);
  const std::string body = input.ConsumeRandomLengthString(64);
  (void)auth.Authenticate(ReceivedRequest{"POST", path, query, &headers, body});
}

}  // namespace
}  // namespace dbtrotate::emulators::secretsmanager

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dbtrotate::emulators::secretsmanager;
  FuzzedDataProvider input(data, size);
  // 2015-08-30T12:36:00Z, the AWS SigV4 suite's date.
  dbtrotate::FakeClock clock(
      std::chrono::system_clock::time_point(std::chrono::seconds(1440938160)));
  dbtrotate::SeededRandom random(1);
  AuthenticateFuzzedRequest(input, clock);
  StoreOptions options;
  options.clear_pending_on_current_move = input.ConsumeBool();
  options.trailing_empty_page = input.ConsumeBool();
  options.default_page_size = input.ConsumeIntegralInRange<std::size_t>(1, 4);
  options.max_versions = input.ConsumeIntegralInRange<std::size_t>(1, 8);
  SecretStore store(options, clock, random);
  FUZZ_CHECK(store.SeedSecret("prod/dbt", R"({"service_token_id": 1, "service_token": "dbtc_x"})")
                 .has_value());
  for (int i = 0; i < 8 && input.remaining_bytes() > 0; ++i) {
    const std::string operation = input.PickValueInArray(
        {"CreateSecret", "PutSecretValue", "GetSecretValue", "DescribeSecret",
         "UpdateSecretVersionStage", "ListSecretVersionIds", "DeleteSecret", "RestoreSecret",
         "TagResource"});
    const std::string body = input.ConsumeRandomLengthString(512);
    JsonResponse response = HandleOperation(store, operation, body);
    FUZZ_CHECK(response.status >= 200 && response.status < 600);
    FUZZ_CHECK(nlohmann::json::parse(response.body, nullptr, false).is_object());
    clock.Advance(std::chrono::hours(input.ConsumeIntegralInRange(0, 800)));
  }
  return 0;
}
