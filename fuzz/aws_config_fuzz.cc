// ~/.aws/config and ~/.aws/credentials (aws/credentials/ini.h, shared_config.h). The input is
// split at the first NUL byte: config file before it, credentials file after it.

#include "aws/credentials/ini.h"
#include "aws/credentials/shared_config.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dbtrotate::aws;
  const std::string_view input = dbtrotate::fuzz::AsText(data, size);
  const std::size_t nul = input.find('\0');
  const std::string_view config_text = input.substr(0, nul);
  const std::string_view credentials_text =
      nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
  auto config = ParseIni(config_text, "config");
  auto credentials = ParseIni(credentials_text, "credentials");
  if (!config || !credentials) return 0;
  auto shared = SharedConfig::FromFiles(*config, *credentials, {"config", "credentials"});
  if (!shared) return 0;
  for (const IniSection& section : config->sections) {
    FUZZ_CHECK(config->Find(section.name) != nullptr);
    (void)shared->FindProfile(section.name);
    (void)shared->ServiceSettings(section.name, "secrets_manager");
  }
  (void)shared->FindProfile("default");
  return 0;
}
