// The JSON credential documents of IMDS, the container endpoint and `credential_process`
// output (aws/credentials/credentials_json.h), under each shape's rules.

#include "aws/credentials/credentials_json.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dbtrotate::aws;
  const std::string_view body = dbtrotate::fuzz::AsText(data, size);
  const CredentialsJsonShape shapes[] = {
      {"IMDS", "Token", true, true, false, true},
      {"the container credentials endpoint", "Token", false, false, false, false},
      {"credential_process", "SessionToken", false, false, true, false},
  };
  for (const CredentialsJsonShape& shape : shapes) {
    auto credentials = ParseCredentialsJson(body, shape);
    if (!credentials) continue;
    FUZZ_CHECK(!credentials->access_key_id.empty());
    FUZZ_CHECK(!credentials->secret_access_key.empty());
    if (shape.token_required) FUZZ_CHECK(!credentials->session_token.empty());
    if (shape.expiration_required) FUZZ_CHECK(credentials->expiration.has_value());
  }
  return 0;
}
