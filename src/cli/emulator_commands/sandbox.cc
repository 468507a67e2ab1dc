// `dbt-rotate sandbox`: the whole product, credential-free. Both emulators run in this process
// on loopback; the rotation itself goes through exactly the code a real run uses (the
// environment-driven configuration, libcurl over real HTTP, SigV4, the engine).

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/emulator_commands/in_process.h"
#include "cli/emulator_commands/sandbox_lambda.h"
#include "cli/report_json.h"
#include "core/iso8601.h"
#include "emulators/dbtcloud/dbtcloud_emulator.h"
#include "emulators/secretsmanager/emulator.h"

namespace dbtrotate::cli {

namespace {

constexpr char kSecretName[] = "dbt_cloud_admin_service_token";
constexpr char kTokenName[] = "dbt_cloud_admin_service_token";
constexpr char kRegion[] = "us-east-1";

std::string RandomAlnum(Random& random, std::size_t size) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string out(size, 'A');
  for (auto& c : out) c = kAlphabet[static_cast<std::size_t>(random.NextUnit() * 36) % 36];
  return out;
}

void PrintFinalState(emulators::DbtCloudEmulator& dbt, std::int64_t account_id,
                     emulators::secretsmanager::SecretsManagerEmulator& sm, Io io) {
  std::fprintf(io.out, "\nFinal state\n  dbt Cloud service tokens (account %lld):\n",
               static_cast<long long>(account_id));
  for (const auto& token : dbt.Tokens(account_id)) {
    std::fprintf(io.out, "    id %lld  %-32s %s\n", static_cast<long long>(token.id),
                 token.name.c_str(), token.state == 1 ? "active" : "deleted (state 2)");
  }
  auto secret = sm.store().Inspect(kSecretName);
  if (!secret) return;
  std::fprintf(io.out, "  Secrets Manager secret %s:\n", kSecretName);
  for (const auto& version : secret->versions) {
    std::string stages;
    for (const auto& stage : version.stages) stages += (stages.empty() ? "" : ",") + stage;
    std::string detail = "no value";
    if (version.value) {
      auto parsed = nlohmann::json::parse(version.value->expose(), nullptr, false);
      const bool has_token = parsed.is_object() && parsed.contains("service_token") &&
                             parsed["service_token"].is_string();
      if (!has_token) {
        detail = "a rotation record (no token)";
      } else {
        std::string& token = parsed["service_token"].get_ref<std::string&>();
        const bool authenticates = dbt.service().Authenticates(SecretString::CopyOf(token));
        WipeString(token);  // the parsed copy held the token too
        detail = "token id " + parsed.value("service_token_id", nlohmann::json()).dump() +
                 (authenticates ? ", authenticates" : ", rejected by dbt Cloud");
      }
    }
    std::fprintf(io.out, "    version %s  [%s]  %s\n", version.version_id.c_str(),
                 stages.empty() ? "no labels" : stages.c_str(), detail.c_str());
  }
}

}  // namespace

int RunSandbox(const GlobalFlags& global, const SandboxFlags& flags, Io io) {
  Random& random = SecureRandom::Instance();
  emulators::DbtCloudEmulator dbt;
  if (auto started = dbt.Start(); !started) {
    std::fprintf(io.err, "dbt-rotate: cannot start the dbt Cloud emulator: %s\n",
                 started.error().c_str());
    return kExitFailedSafely;
  }
  const std::int64_t account_id = dbt.CreateAccount("Sandbox Analytics");
  auto admin = dbt.AddServiceToken(account_id, {kTokenName, emulators::DbtAdminGrants()});
  if (!admin) {
    std::fprintf(io.err, "dbt-rotate: cannot seed the sandbox: %s\n", admin.error().c_str());
    return kExitFailedSafely;
  }

  aws::Credentials credentials;
  credentials.access_key_id = "AKIASANDBOX" + RandomAlnum(random, 9);
  credentials.secret_access_key = SecretString(RandomAlnum(random, 40));
  credentials.source = "sandbox";
  emulators::secretsmanager::SecretsManagerEmulator sm;
  sm.AddCredentials(credentials);
  if (auto started = sm.Start(); !started) {
    std::fprintf(io.err, "dbt-rotate: cannot start the Secrets Manager emulator: %s\n",
                 started.error().c_str());
    return kExitFailedSafely;
  }
  if (flags.latency_ms > 0) {
    dbt.SetLatency(std::chrono::milliseconds(flags.latency_ms));
    sm.SetLatency(std::chrono::milliseconds(flags.latency_ms));
  }

  // The secret exactly as the notebook writes it, dated 90 days ago.
  {
    std::string value = fmt::format(
        R"({{"service_token_id": {}, "service_token": "{}", "last_rotated_datetime_utc": "{}"}})",
        admin->id, admin->token_string.expose(),
        FormatIso8601(SystemClock::Instance().Now() - std::chrono::hours(24 * 90)));
    auto seeded = sm.store().SeedSecret(kSecretName, value);
    WipeString(value);
    if (!seeded) {
      std::fprintf(io.err, "dbt-rotate: cannot seed the sandbox secret\n");
      return kExitFailedSafely;
    }
  }

  if (!global.quiet) {
    std::fprintf(io.err,
                 "dbt-rotate: sandbox: dbt Cloud emulator at %s (account %lld, token %lld), "
                 "Secrets Manager emulator at %s; secret '%s' in the notebook's format\n",
                 dbt.base_url().c_str(), static_cast<long long>(account_id),
                 static_cast<long long>(admin->id), sm.endpoint_url().c_str(), kSecretName);
  }

  // The same configuration path a real run takes, pointed at the emulators.
  aws::MapEnvironment env;
  env.Set("AWS_ACCESS_KEY_ID", credentials.access_key_id);
  env.Set("AWS_SECRET_ACCESS_KEY", std::string(credentials.secret_access_key.expose()));
  env.Set("AWS_REGION", kRegion);
  env.Set("AWS_ENDPOINT_URL_SECRETS_MANAGER", sm.endpoint_url());
  env.Set("AWS_CONFIG_FILE", "/nonexistent/dbt-rotate-sandbox/config");
  env.Set("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/dbt-rotate-sandbox/credentials");
  env.Set("AWS_EC2_METADATA_DISABLED", "true");
  env.Set("DBT_CLOUD_HOST", dbt.base_url());
  env.Set("DBT_CLOUD_ACCOUNT_ID", std::to_string(account_id));

  int code = kExitOk;
  if (flags.lambda) {
    code = RunLambdaSandboxRotation(
        LambdaSandbox{dbt, account_id, sm, credentials, kSecretName, kRegion}, global, io);
  } else {
    RotateFlags rotate;
    rotate.secret_id = kSecretName;
    code = RunRotate(global, rotate, env, io);
  }
  if (global.output == OutputFormat::kText) PrintFinalState(dbt, account_id, sm, io);
  return code;
}

}  // namespace dbtrotate::cli
