#include "cli/main.h"

#include <CLI/CLI.hpp>
#include <exception>

#include "cli/audit_command.h"
#include "cli/commands.h"
#include "cli/doctor.h"
#include "cli/emulator_commands.h"
#include "cli/flag_values.h"
#include "cli/fleet_command.h"
#include "cli/lambda_command.h"
#include "cli/option_builders.h"
#include "cli/process_hardening.h"
#include "cli/terminal_text.h"
#include "core/version.h"
#include "cli/version.h"

namespace dbtrotate::cli {

namespace {

void AddConnectionFlags(CLI::App* app, ConnectionFlags& flags) {
  AddId(
      app, "--account-id", "your dbt Cloud account id",
      [&flags](std::int64_t id) { flags.account_id = id; },
      "dbt Cloud account id (else DBT_CLOUD_ACCOUNT_ID, else the secret's account_id)");
  AddText(app, "--access-url", flags.access_url,
          "dbt Cloud access URL, e.g. https://ab123.us1.dbt.com (else DBT_CLOUD_HOST, else the "
          "secret's access_url)");
  AddText(app, "--region", flags.region,
          "AWS region (else AWS_REGION, AWS_DEFAULT_REGION, profile)");
  AddText(app, "--profile", flags.profile, "AWS profile from ~/.aws/config (else AWS_PROFILE)");
  AddText(app, "--ca-bundle", flags.ca_bundle,
          "PEM CA bundle for HTTPS (else SSL_CERT_FILE / AWS_CA_BUNDLE, else the system's)");
  AddSeconds(app, "--timeout", kMinTimeoutSeconds, kMaxTimeoutSeconds, flags.timeout_seconds,
             "per-request timeout in seconds, 1 to 600 (default 30)");
}

void AddOutputFlag(CLI::App* app, GlobalFlags& global) {
  AddChoice(
      app, "--output", {"text", "json"},
      [&global](const std::string& value) {
        global.output = value == "json" ? OutputFormat::kJson : OutputFormat::kText;
      },
      "text (default) or json: one report object on stdout");
}

}  // namespace

int Main(int argc, char** argv, EmulatorCommands& emulators) {
  if (InvokedAsLambdaBootstrap(argc, argv, aws::ProcessEnvironment::Instance())) {
    return RunLambda(aws::ProcessEnvironment::Instance());
  }
  CLI::App app{
      "dbt-rotate: rotate dbt Cloud service tokens kept in AWS Secrets Manager, safely.\n"
      "Exit codes: 0 rotated or nothing due; 1 failed safely (old token still current);\n"
      "2 usage/config/input error; 3 needs attention (see the message)."};
  app.set_version_flag("--version", VersionText);
  app.require_subcommand(1);
  GlobalFlags global;
  app.add_flag("-q,--quiet", global.quiet, "no progress lines on stderr");
  app.add_flag("-v,--verbose", global.verbose, "also print configuration sources and traffic");

  RotateFlags rotate;
  auto* rotate_cmd = app.add_subcommand("rotate",
                                        "rotate the token in a secret if due (resumes an "
                                        "interrupted rotation first)");
  AddText(rotate_cmd, "--secret-id", rotate.secret_id, "secret name or ARN (or --config)");
  FleetFlags fleet_rotate;
  AddFleetRotateFlags(rotate_cmd, fleet_rotate);
  AddConnectionFlags(rotate_cmd, rotate.connection);
  AddText(rotate_cmd, "--token-name", rotate.token_name,
          "name of the new token (default: the old name)");
  AddText(rotate_cmd, "--permissions", rotate.permissions,
          "inherit (default: exactly the old token's grants) or a YAML/JSON grants file");
  AddText(rotate_cmd, "--overlap", rotate.overlap,
          "none (default) | until-next | DURATION (e.g. 36h, 7d): when the old token is revoked");
  AddText(rotate_cmd, "--manager-secret-id", rotate.manager_secret_id,
          "secret holding an account_admin token that creates and revokes (default: the token "
          "rotates itself)");
  AddText(rotate_cmd, "--min-age", rotate.min_age, "rotate only tokens older than this (e.g. 30d)");
  rotate_cmd->add_flag("--force", rotate.force, "rotate even if not due");
  rotate_cmd->add_flag("--dry-run", rotate.dry_run, "read only: print the plan, write nothing");
  rotate_cmd->add_flag("--takeover", rotate.takeover,
                       "treat a fresh pending rotation of another run as abandoned (only when that "
                       "run is known to be dead)");
  AddOutputFlag(rotate_cmd, global);
  AddNotifyFlags(rotate_cmd, rotate.notify);

  StatusFlags status;
  auto* status_cmd =
      app.add_subcommand("status", "show the token in a secret and any rotation in progress");
  AddText(status_cmd, "--secret-id", status.secret_id, "secret name or ARN (or --config)");
  FleetFlags fleet_status;
  AddFleetStatusFlags(status_cmd, fleet_status);
  AddConnectionFlags(status_cmd, status.connection);
  AddText(status_cmd, "--manager-secret-id", status.manager_secret_id,
          "secret holding an admin token to read the token's details with");
  AddOutputFlag(status_cmd, global);

  InitFlags init;
  auto* init_cmd = app.add_subcommand(
      "init",
      "create the secret from an existing token (token from stdin or DBT_CLOUD_TOKEN, never argv)");
  AddText(init_cmd, "--secret-id", init.secret_id, "secret name to create")->required();
  AddConnectionFlags(init_cmd, init.connection);
  AddId(
      init_cmd, "--token-id", "the dbt Cloud id of the token",
      [&init](std::int64_t id) { init.token_id = id; }, "the dbt Cloud id of the token")
      ->required();
  AddText(
      init_cmd, "--manager-secret-id", init.manager_secret_id,
      "secret holding an admin token, to confirm the token id when the token cannot read itself");
  AddText(init_cmd, "--description", init.description, "description of the new secret");
  init_cmd->add_flag("--force", init.force, "overwrite an existing secret's value");
  AddOutputFlag(init_cmd, global);

  auto* lambda_cmd = app.add_subcommand(
      "lambda", "run as the secret's Secrets Manager rotation function (Lambda custom runtime)");
  AuditFlags audit;
  auto* audit_cmd = AddAuditCommand(app, audit, global);

  DoctorFlags doctor;
  auto* doctor_cmd = app.add_subcommand(
      "doctor",
      "read only: where each setting comes from, and whether both services answer, the "
      "credentials work and the token authenticates");
  AddText(doctor_cmd, "--secret-id", doctor.secret_id, "secret name or ARN to check");
  AddConnectionFlags(doctor_cmd, doctor.connection);
  AddText(doctor_cmd, "--manager-secret-id", doctor.manager_secret_id,
              "also check this manager secret and its token");
  AddOutputFlag(doctor_cmd, global);

  SandboxFlags sandbox;
  auto* sandbox_cmd = app.add_subcommand(
      "sandbox",
      "rotate a token end to end against built-in emulators of dbt Cloud and Secrets "
      "Manager (no credentials needed)");
  AddInteger(
      sandbox_cmd, "--latency-ms", 0, 5000,
      [&sandbox](std::int64_t ms) { sandbox.latency_ms = static_cast<int>(ms); },
      "latency added to every emulated request, 0 to 5000");
  sandbox_cmd->add_flag("--lambda", sandbox.lambda,
                        "drive the rotation by RotateSecret through the rotation function "
                        "(dbt-rotate lambda in a process of its own), as AWS does");
  AddOutputFlag(sandbox_cmd, global);

  EmulateFlags emulate;
  auto* emulate_cmd = app.add_subcommand(
      "emulate", "serve an emulator on loopback for your own tests, until Ctrl-C");
  emulate_cmd->add_option("service", emulate.service, "dbtcloud or secretsmanager")
      ->required()
      ->check(CLI::IsMember({"dbtcloud", "secretsmanager"}));
  AddInteger(
      emulate_cmd, "--port", 0, 65535,
      [&emulate](std::int64_t port) { emulate.port = static_cast<int>(port); },
      "port (default: a free one, printed)");
  AddChoice(
      emulate_cmd, "--host", {"127.0.0.1", "::1"},
      [&emulate](const std::string& host) { emulate.host = host; }, "127.0.0.1 (default) or ::1");
  AddText(emulate_cmd, "--secrets-file", emulate.secrets_file,
          "dbtcloud: new file (0600) that receives the seeded admin token");
  // Hidden: proves in the real binary that main() made the process non-dumpable.
  auto* hardening_cmd = app.add_subcommand(
      "hardening-check", "print whether this process can write a core dump (exit 3 if so)");
  hardening_cmd->group("");
  CheckAllValues(app);

  if (auto empty = FindEmptyAttachedValue(argc, argv)) {
    PrintMessage(stderr, *empty);
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error) == 0 ? kExitOk : kExitUsage;  // --help
    // CLI11's messages quote the offending argument: escape it like any other text we print.
    PrintMessage(stderr, error.what());
    std::fputs("Run with --help for more information.\n", stderr);
    return kExitUsage;
  }

  // The edge: nothing below is expected to throw; if it does, the state is unknown.
  try {
    const auto& env = aws::ProcessEnvironment::Instance();
    Io io;
    if (rotate_cmd->parsed() && fleet_rotate.config) {
      return RunFleetRotate(global, rotate, fleet_rotate, env, io);
    }
    if (status_cmd->parsed() && fleet_status.config) {
      return RunFleetStatus(global, status, fleet_status, env, io);
    }
    if ((rotate_cmd->parsed() && rotate.secret_id.empty()) ||
        (status_cmd->parsed() && status.secret_id.empty())) {
      std::fprintf(stderr, "dbt-rotate: --secret-id or --config is required\n");
      return kExitUsage;
    }
    if (rotate_cmd->parsed()) return RunRotate(global, rotate, env, io);
    if (status_cmd->parsed()) return RunStatus(global, status, env, io);
    if (init_cmd->parsed()) return RunInit(global, init, env, io);
    if (lambda_cmd->parsed()) return RunLambda(env);
    if (audit_cmd->parsed()) return RunAudit(global, audit, env, io);
    if (doctor_cmd->parsed()) return RunDoctor(global, doctor, env, io);
    if (sandbox_cmd->parsed()) return emulators.Sandbox(global, sandbox, io);
    if (emulate_cmd->parsed()) return emulators.Emulate(emulate, env, io);
    if (hardening_cmd->parsed()) {
      std::string state;
      const bool safe = DescribeCoreDumpState(state);
      PrintLine(io.out, state);
      return safe ? kExitOk : kExitNeedsAttention;
    }
  } catch (const std::exception& error) {
    PrintMessage(stderr, std::string("internal error: ") + error.what() +
                             ". A rotation may be unfinished: run `dbt-rotate status` and "
                             "`dbt-rotate rotate` again (it resumes or rolls back).");
    return kExitNeedsAttention;
  }
  return kExitUsage;
}

}  // namespace dbtrotate::cli
