#include "emulators/secretsmanager/serve.h"

#include <fmt/format.h>

#include <utility>

namespace dbtrotate::emulators::secretsmanager {

Result<void, std::string> ServeForeground(ServeOptions options, std::ostream& out,
                                          const std::atomic<bool>& stop, Clock& clock) {
  if (options.credentials.empty() && options.emulator.verify_signatures) {
    return Fail(std::string(
        "Secrets Manager emulator: no credentials configured; give at least one access key id "
        "and secret access key that clients will sign with"));
  }
  for (const aws::Credentials& credentials : options.credentials) {
    if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
      return Fail(std::string(
          "Secrets Manager emulator: every credential needs an access key id and a secret key"));
    }
  }
  SecretsManagerEmulator emulator(std::move(options.emulator));
  for (const aws::Credentials& credentials : options.credentials) {
    emulator.AddCredentials(credentials);
  }
  for (const auto& [name, value] : options.seed) {
    auto seeded = emulator.store().SeedSecret(name, value);
    if (!seeded) {
      return Fail(fmt::format("Secrets Manager emulator: cannot create secret '{}': {}: {}", name,
                              ErrorCodeName(seeded.error().code), seeded.error().message));
    }
  }
  if (auto started = emulator.Start(); !started) return Fail(std::move(started).error());
  out << fmt::format("Secrets Manager emulator listening on {} (region {}, {} access key{})\n",
                     emulator.endpoint_url(), emulator.store().options().region,
                     options.credentials.size(), options.credentials.size() == 1 ? "" : "s")
      << std::flush;
  if (options.on_ready) options.on_ready(emulator);
  while (!stop.load()) clock.SleepFor(options.poll_interval);
  emulator.Stop();
  out << fmt::format("Secrets Manager emulator stopped after {} request(s)\n",
                     emulator.log().RequestCount())
      << std::flush;
  return {};
}

}  // namespace dbtrotate::emulators::secretsmanager
