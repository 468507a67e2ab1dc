#include "cli/audit_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/fleet_command.h"
#include "cli/token_input.h"
#include "dbtcloud/client.h"
#include "fleet/audit.h"
#include "rotation/duration.h"
#include "rotation/secret_value.h"

namespace dbtrotate::cli {
namespace {

using nlohmann::json;

// What the audit reads with and attributes tokens to.
struct AuditInputs {
  std::unique_ptr<Runtime> runtime;              // the command line's AWS configuration
  std::unique_ptr<FleetContext> fleet;           // the config's entries, when given
  std::vector<fleet::ManagingSecret> secrets;    // to attribute tokens to
  std::optional<std::string> manager_secret_id;  // acts with its token
};

Result<AuditInputs, std::string> Gather(const AuditFlags& flags, const aws::Environment& env) {
  AuditInputs inputs;
  auto runtime =
      BuildRuntime(flags.connection, env, SystemClock::Instance(), SecureRandom::Instance());
  if (!runtime) return Fail(runtime.error());
  inputs.runtime = std::move(*runtime);
  inputs.manager_secret_id = flags.manager_secret_id;
  if (flags.config) {
    auto fleet = PrepareFleet(*flags.config, {}, flags.connection, env);
    if (!fleet) return Fail(fleet.error());
    inputs.fleet = std::move(*fleet);
    for (const auto& entry : inputs.fleet->entries) {
      const auto& account = entry.rotate.connection.account_id;
      if (account && *account != flags.account_id) continue;
      auto* api = inputs.fleet->runtimes.at(entry.aws)->secrets.get();
      inputs.secrets.push_back({entry.rotate.secret_id, api, false});
      const auto& manager = entry.rotate.connection.manager_secret_id;
      if (!inputs.manager_secret_id && manager) inputs.manager_secret_id = manager;
    }
  }
  if (inputs.manager_secret_id) {
    inputs.secrets.push_back({*inputs.manager_secret_id, inputs.runtime->secrets.get(), true});
  }
  return inputs;
}

// The acting token: the manager secret's, else DBT_CLOUD_TOKEN (never argv).
Result<std::pair<SecretString, std::optional<std::int64_t>>, std::string> ActingToken(
    const AuditInputs& inputs, const aws::Environment& env) {
  if (!inputs.manager_secret_id) {
    auto token = env.Get("DBT_CLOUD_TOKEN");
    if (!token || token->empty()) {
      return Fail(std::string(
          "audit needs a token that can list the account's tokens: --manager-secret-id, a "
          "manager_secret_id in --config, or DBT_CLOUD_TOKEN"));
    }
    return std::pair{SecretString(std::string(*token)), std::optional<std::int64_t>()};
  }
  const std::string& id = *inputs.manager_secret_id;
  auto value = inputs.runtime->secrets->GetSecretValue({id, std::nullopt, std::nullopt});
  if (!value) return Fail("manager secret '" + id + "': " + value.error().message);
  auto parsed =
      rotation::ParseTokenSecret(*value, rotation::SecretRole::kManager, "secret '" + id + "'");
  if (!parsed) return Fail(parsed.error().message);
  std::optional<std::int64_t> token_id;
  if (parsed->service_token_id > 0) token_id = parsed->service_token_id;
  return std::pair{std::move(parsed->service_token), token_id};
}

std::string GrantsText(const std::vector<dbtcloud::PermissionGrant>& grants) {
  std::string text;
  for (const auto& grant : grants) {
    if (!text.empty()) text += ",";
    text += grant.permission_set;
    text += grant.project_id ? "@" + std::to_string(*grant.project_id) : "@all";
  }
  return text.empty() ? "-" : text;
}

std::string Join(const std::vector<std::string>& items, const char* empty) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : "; ") + item;
  return text.empty() ? empty : text;
}

void PrintAuditTable(const fleet::AuditReport& report, std::FILE* out) {
  std::fprintf(out, "%10s %-28s %-26s %-26s %-28s %-24s %s\n", "ID", "NAME", "CREATED", "LAST USED",
               "GRANTS", "MANAGED BY", "FINDINGS");
  for (const auto& audited : report.tokens) {
    const auto& token = audited.token;
    std::fprintf(out, "%10lld %-28s %-26s %-26s %-28s %-24s %s\n", static_cast<long long>(token.id),
                 EscapeControl(token.name).c_str(), EscapeControl(token.created_at).c_str(),
                 EscapeControl(token.last_used.value_or("never")).c_str(),
                 EscapeControl(GrantsText(audited.grants)).c_str(),
                 EscapeControl(Join(audited.managed_by, "-")).c_str(),
                 Join(audited.findings, "ok").c_str());
  }
  std::fprintf(out, "account %lld: %zu active tokens, %d findings\n",
               static_cast<long long>(report.account_id), report.tokens.size(),
               report.FindingCount());
}

json AuditToJson(const fleet::AuditReport& report) {
  json tokens = json::array();
  for (const auto& audited : report.tokens) {
    json grants = json::array();
    for (const auto& grant : audited.grants) {
      grants.push_back({{"permission_set", grant.permission_set},
                        {"project_id", grant.project_id ? json(*grant.project_id) : json()}});
    }
    tokens.push_back(
        {{"id", audited.token.id},
         {"name", audited.token.name},
         {"created_at", audited.token.created_at},
         {"last_used", audited.token.last_used ? json(*audited.token.last_used) : json()},
         {"grants", grants},
         {"managed_by", audited.managed_by},
         {"findings", audited.findings}});
  }
  return {{"account_id", report.account_id},
          {"tokens", tokens},
          {"findings", report.FindingCount()},
          {"warnings", report.warnings}};
}

Result<fleet::AuditOptions, std::string> Options(const AuditFlags& flags) {
  fleet::AuditOptions options;
  if (flags.max_age) {
    auto age = rotation::ParseDuration(*flags.max_age, "--max-age");
    if (!age) return Fail(age.error().message);
    options.max_age = *age;
  }
  if (flags.unused_for) {
    auto idle = rotation::ParseDuration(*flags.unused_for, "--unused-for");
    if (!idle) return Fail(idle.error().message);
    options.unused_for = *idle;
  }
  return options;
}

}  // namespace

CLI::App* AddAuditCommand(CLI::App& app, AuditFlags& flags, GlobalFlags& global) {
  auto* audit = app.add_subcommand(
      "audit", "read-only review of every active service token of an account (exit 1 on findings)");
  audit->add_option("--account-id", flags.account_id, "dbt Cloud account id")->required();
  audit->add_option("--access-url", flags.access_url, "dbt Cloud access URL")->required();
  auto optional = [audit](const std::string& name, std::optional<std::string>& target,
                          const std::string& help) {
    audit->add_option_function<std::string>(
        name, [&target](const std::string& value) { target = value; }, help);
  };
  optional("--config", flags.config, "a fleet file: its secrets count as managing their tokens");
  optional("--manager-secret-id", flags.manager_secret_id,
           "secret holding the admin token to read with (else the config's, else DBT_CLOUD_TOKEN)");
  optional("--max-age", flags.max_age, "flag tokens created longer ago (e.g. 365d)");
  optional("--unused-for", flags.unused_for, "flag tokens not used for longer (e.g. 90d)");
  audit->add_option_function<std::string>(
      "--region", [&flags](const std::string& v) { flags.connection.region = v; }, "AWS region");
  audit->add_option_function<std::string>(
      "--profile", [&flags](const std::string& v) { flags.connection.profile = v; }, "AWS profile");
  audit->add_option_function<std::string>(
      "--ca-bundle", [&flags](const std::string& v) { flags.connection.ca_bundle = v; },
      "PEM CA bundle for HTTPS");
  audit
      ->add_option_function<std::string>(
          "--output",
          [&global](const std::string& value) {
            global.output = value == "json" ? OutputFormat::kJson : OutputFormat::kText;
          },
          "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  return audit;
}

int RunAudit(const GlobalFlags& global, const AuditFlags& flags, const aws::Environment& env,
             Io io) {
  if (flags.account_id <= 0) return UsageError(io, "--account-id must be a positive integer");
  auto options = Options(flags);
  if (!options) return UsageError(io, options.error());
  auto connection = flags.connection;
  connection.access_url = flags.access_url;  // validated by BuildRuntime
  AuditFlags checked = flags;
  checked.connection = connection;
  auto inputs = Gather(checked, env);
  if (!inputs) return UsageError(io, inputs.error());
  if (!inputs->manager_secret_id && !env.Get("DBT_CLOUD_TOKEN")) {
    return UsageError(io,
                      "audit needs a token that can list the account's tokens: "
                      "--manager-secret-id, a manager_secret_id in --config, or DBT_CLOUD_TOKEN");
  }
  auto acting = ActingToken(*inputs, env);
  if (!acting) {
    std::fprintf(io.err, "dbt-rotate: %s\n", EscapeControl(acting.error()).c_str());
    return kExitFailedSafely;
  }
  options->manager_token_id = acting->second;
  auto api = dbtcloud::Client::Create(*inputs->runtime->dbt_retrying, flags.access_url,
                                      flags.account_id, std::move(acting->first));
  if (!api) return UsageError(io, "--access-url: " + api.error().message);

  std::vector<std::string> warnings;
  const auto managed = fleet::ReadManagedTokenIds(inputs->secrets, flags.account_id, warnings);
  auto report =
      fleet::Audit(**api, flags.account_id, managed, SystemClock::Instance().Now(), *options);
  if (!report) {
    std::fprintf(io.err, "dbt-rotate: audit failed: %s\n", EscapeControl(report.error()).c_str());
    return kExitFailedSafely;
  }
  report->warnings.insert(report->warnings.begin(), warnings.begin(), warnings.end());
  if (!global.quiet) {
    for (const auto& warning : report->warnings) {
      std::fprintf(io.err, "dbt-rotate: warning: %s\n", EscapeControl(warning).c_str());
    }
  }
  if (global.output == OutputFormat::kJson) {
    std::fprintf(io.out, "%s\n", AuditToJson(*report).dump(2).c_str());
  } else {
    PrintAuditTable(*report, io.out);
  }
  std::fflush(io.out);
  return report->FindingCount() == 0 ? kExitOk : kExitFailedSafely;
}

}  // namespace dbtrotate::cli
