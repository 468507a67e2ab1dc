// `rotate --config FILE` (fleet/fleet_config.h): YAML written by a user. Invariants: an accepted
// file has at least one entry, every entry a secret_id and a unique name; every refusal names
// the file first.

#include <set>
#include <string>

#include "fleet/fleet_config.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto config = dbtrotate::fleet::ParseFleetConfig(dbtrotate::fuzz::AsText(data, size), "f.yaml");
  if (!config) {
    FUZZ_CHECK(config.error().message.rfind("f.yaml", 0) == 0);
    return 0;
  }
  FUZZ_CHECK(!config->entries.empty());
  std::set<std::string> names;
  for (const auto& entry : config->entries) {
    FUZZ_CHECK(!entry.rotate.secret_id.empty());
    FUZZ_CHECK(names.insert(entry.name).second);
    FUZZ_CHECK(entry.line > 0);
  }
  return 0;
}
