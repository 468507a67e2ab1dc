// dbt Cloud access URLs (dbtcloud/access_url.h) as users paste them into flags, the
// environment or the secret. Invariant: the normalised base parses to itself.

#include "dbtcloud/access_url.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using dbtrotate::dbtcloud::ParseAccessUrl;
  auto url = ParseAccessUrl(dbtrotate::fuzz::AsText(data, size));
  if (!url) return 0;
  auto again = ParseAccessUrl(url->base);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == *url);
  return 0;
}
