#include "emulators/dbtcloud/serve.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <ostream>
#include <thread>
#include <utility>

#include "emulators/dbtcloud/dbtcloud_emulator.h"

namespace dbtrotate::emulators {

Result<void, std::string> ServeDbtCloudEmulator(const DbtServeOptions& options,
                                                std::ostream& secrets_out, std::ostream& status_out,
                                                const std::atomic<bool>& stop_requested) {
  DbtCloudEmulatorOptions emulator_options;
  emulator_options.server = options.server;
  emulator_options.behavior = options.behavior;
  DbtCloudEmulator emulator(emulator_options);

  const std::int64_t account = emulator.CreateAccount(options.account_name, options.account_id);
  std::vector<std::pair<std::string, DbtSeededToken>> seeded;
  auto admin = emulator.AddServiceToken(account, {options.admin_token_name, DbtAdminGrants()});
  if (!admin.has_value()) return Fail("cannot seed the admin token: " + admin.error());
  seeded.emplace_back(options.admin_token_name, std::move(admin).value());
  for (const auto& extra : options.extra_tokens) {
    auto token = emulator.AddServiceToken(account, extra);
    if (!token.has_value()) {
      return Fail("cannot seed token '" + extra.name + "': " + token.error());
    }
    seeded.emplace_back(extra.name, std::move(token).value());
  }

  auto started = emulator.Start();
  if (!started.has_value()) return Fail("cannot start the dbt Cloud emulator: " + started.error());

  nlohmann::json secrets = {{"base_url", emulator.base_url()},
                            {"account_id", account},
                            {"tokens", nlohmann::json::array()}};
  for (const auto& [name, token] : seeded) {
    secrets["tokens"].push_back(
        {{"id", token.id}, {"name", name}, {"token", std::string(token.token_string.expose())}});
  }
  std::string line = secrets.dump();
  for (auto& token : secrets["tokens"]) WipeString(token["token"].get_ref<std::string&>());
  secrets_out << line << '\n';
  secrets_out.flush();
  WipeString(line);
  if (!secrets_out) {
    return Fail(std::string("cannot write the seeded tokens to the secrets output"));
  }
  status_out << "dbt Cloud emulator listening on " << emulator.base_url() << " (account " << account
             << ")" << std::endl;
  if (options.on_ready) options.on_ready();

  while (!stop_requested.load()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  emulator.Stop();
  status_out << "dbt Cloud emulator stopped" << std::endl;
  return {};
}

}  // namespace dbtrotate::emulators
