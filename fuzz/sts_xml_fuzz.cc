// STS answers (aws/credentials/xml.h, sts_client.h): the hand-written XML reader under every
// STS action we parse, and the error describer that reads <ErrorResponse> bodies.

#include "aws/credentials/sts_client.h"
#include "aws/credentials/xml.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dbtrotate::aws;
  const std::string_view body = dbtrotate::fuzz::AsText(data, size);
  auto document = ParseXml(body);
  if (document) {
    FUZZ_CHECK(!document->name.empty());
    (void)document->Find({"AssumeRoleResult", "Credentials", "SessionToken"});
  }
  (void)DecodeXmlEntities(body);
  for (std::string_view action : {"AssumeRole", "AssumeRoleWithWebIdentity"}) {
    auto credentials = ParseStsCredentials(action, body);
    if (credentials) {
      FUZZ_CHECK(!credentials->access_key_id.empty());
      FUZZ_CHECK(credentials->expiration.has_value());
    }
  }
  (void)DescribeStsError(403, body);
  return 0;
}
