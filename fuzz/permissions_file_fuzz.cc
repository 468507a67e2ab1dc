// `--permissions FILE` (rotation/permissions_file.h): YAML or JSON written by a user.
// Invariant: every grant it accepts names a permission set.

#include "fuzz/fuzz_check.h"
#include "rotation/permissions_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto grants =
      dbtrotate::rotation::ParsePermissions(dbtrotate::fuzz::AsText(data, size), "fuzz.yaml");
  if (grants) {
    for (const auto& grant : *grants) FUZZ_CHECK(!grant.permission_set.empty());
  }
  return 0;
}
