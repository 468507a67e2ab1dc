// The secret's JSON value (rotation/secret_value.h): whatever a user or another tool stored.
// Invariant: a value that parses serialises to one that parses to the same fields.

#include "fuzz/fuzz_check.h"
#include "rotation/secret_value.h"

namespace dbtrotate::rotation {
namespace {

void CheckRoundTrip(const TokenSecret& parsed, SecretRole role) {
  aws::SecretValue again;
  again.secret_string = SerializeTokenSecret(parsed);
  auto reparsed = ParseTokenSecret(again, role, "fuzz round trip");
  FUZZ_CHECK(reparsed.has_value());
  FUZZ_CHECK(reparsed->service_token_id == parsed.service_token_id);
  FUZZ_CHECK(reparsed->service_token.expose() == parsed.service_token.expose());
  FUZZ_CHECK(reparsed->account_id == parsed.account_id);
  FUZZ_CHECK(reparsed->access_url == parsed.access_url);
  FUZZ_CHECK(reparsed->previous_service_token_id == parsed.previous_service_token_id);
  FUZZ_CHECK(reparsed->rotation_id == parsed.rotation_id);
  FUZZ_CHECK(reparsed->last_rotated.has_value() == parsed.last_rotated.has_value());
  FUZZ_CHECK(reparsed->previous_revoke_after.has_value() ==
             parsed.previous_revoke_after.has_value());
}

}  // namespace
}  // namespace dbtrotate::rotation

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dbtrotate::rotation;
  for (SecretRole role : {SecretRole::kRotated, SecretRole::kManager}) {
    dbtrotate::aws::SecretValue value;
    value.secret_string = dbtrotate::SecretString::CopyOf(dbtrotate::fuzz::AsText(data, size));
    auto parsed = ParseTokenSecret(value, role, "fuzz input");
    if (parsed) CheckRoundTrip(*parsed, role);
  }
  return 0;
}
