#include "cli/main.h"

#include <CLI/CLI.hpp>
#include <exception>

#include "cli/commands.h"
#include "cli/doctor.h"
#include "cli/emulator_commands.h"
#include "cli/version.h"

namespace dbtrotate::cli {

namespace {

template <class T>
void AddOptional(CLI::App* app, const std::string& name, std::optional<T>& target,
                 const std::string& help) {
  app->add_option_function<T>(
      name, [&target](const T& value) { target = value; }, help);
}

void AddConnectionFlags(CLI::App* app, ConnectionFlags& flags) {
  AddOptional(app, "--account-id", flags.account_id,
              "dbt Cloud account id (else DBT_CLOUD_ACCOUNT_ID, else the secret's account_id)");
  AddOptional(app, "--access-url", flags.access_url,
              "dbt Cloud access URL, e.g. https://ab123.us1.dbt.com (else DBT_CLOUD_HOST, else the "
              "secret's access_url)");
  AddOptional(app, "--region", flags.region,
              "AWS region (else AWS_REGION, AWS_DEFAULT_REGION, profile)");
  AddOptional(app, "--profile", flags.profile, "AWS profile from ~/.aws/config (else AWS_PROFILE)");
  AddOptional(app, "--ca-bundle", flags.ca_bundle,
              "PEM CA bundle for HTTPS (else SSL_CERT_FILE / AWS_CA_BUNDLE, else the system's)");
  AddOptional(app, "--timeout", flags.timeout_seconds,
              "per-request timeout in seconds (default 30)");
}

void AddOutputFlag(CLI::App* app, GlobalFlags& global) {
  app->add_option_function<std::string>(
         "--output",
         [&global](const std::string& value) {
           global.output = value == "json" ? OutputFormat::kJson : OutputFormat::kText;
         },
         "text (default) or json: one report object on stdout")
      ->check(CLI::IsMember({"text", "json"}));
}

}  // namespace

int Main(int argc, char** argv, EmulatorCommands& emulators) {
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
  rotate_cmd->add_option("--secret-id", rotate.secret_id, "secret name or ARN")->required();
  AddConnectionFlags(rotate_cmd, rotate.connection);
  AddOptional(rotate_cmd, "--token-name", rotate.token_name,
              "name of the new token (default: the old name)");
  rotate_cmd->add_option(
      "--permissions", rotate.permissions,
      "inherit (default: exactly the old token's grants) or a YAML/JSON grants file");
  rotate_cmd->add_option(
      "--overlap", rotate.overlap,
      "none (default) | until-next | DURATION (e.g. 36h, 7d): when the old token is revoked");
  AddOptional(rotate_cmd, "--manager-secret-id", rotate.manager_secret_id,
              "secret holding an account_admin token that creates and revokes (default: the token "
              "rotates itself)");
  AddOptional(rotate_cmd, "--min-age", rotate.min_age,
              "rotate only tokens older than this (e.g. 30d)");
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
  status_cmd->add_option("--secret-id", status.secret_id, "secret name or ARN")->required();
  AddConnectionFlags(status_cmd, status.connection);
  AddOptional(status_cmd, "--manager-secret-id", status.manager_secret_id,
              "secret holding an admin token to read the token's details with");
  AddOutputFlag(status_cmd, global);

  InitFlags init;
  auto* init_cmd = app.add_subcommand(
      "init",
      "create the secret from an existing token (token from stdin or DBT_CLOUD_TOKEN, never argv)");
  init_cmd->add_option("--secret-id", init.secret_id, "secret name to create")->required();
  AddConnectionFlags(init_cmd, init.connection);
  init_cmd->add_option("--token-id", init.token_id, "the dbt Cloud id of the token")->required();
  AddOptional(
      init_cmd, "--manager-secret-id", init.manager_secret_id,
      "secret holding an admin token, to confirm the token id when the token cannot read itself");
  AddOptional(init_cmd, "--description", init.description, "description of the new secret");
  init_cmd->add_flag("--force", init.force, "overwrite an existing secret's value");
  AddOutputFlag(init_cmd, global);

  DoctorFlags doctor;
  auto* doctor_cmd = app.add_subcommand(
      "doctor",
      "read only: where each setting comes from, and whether both services answer, the "
      "credentials work and the token authenticates");
  AddOptional(doctor_cmd, "--secret-id", doctor.secret_id, "secret name or ARN to check");
  AddConnectionFlags(doctor_cmd, doctor.connection);
  AddOptional(doctor_cmd, "--manager-secret-id", doctor.manager_secret_id,
              "also check this manager secret and its token");
  AddOutputFlag(doctor_cmd, global);

  SandboxFlags sandbox;
  auto* sandbox_cmd = app.add_subcommand(
      "sandbox",
      "rotate a token end to end against built-in emulators of dbt Cloud and Secrets "
      "Manager (no credentials needed)");
  sandbox_cmd
      ->add_option("--latency-ms", sandbox.latency_ms, "latency added to every emulated request")
      ->check(CLI::Range(0, 5000));
  AddOutputFlag(sandbox_cmd, global);

  EmulateFlags emulate;
  auto* emulate_cmd = app.add_subcommand(
      "emulate", "serve an emulator on loopback for your own tests, until Ctrl-C");
  emulate_cmd->add_option("service", emulate.service, "dbtcloud or secretsmanager")
      ->required()
      ->check(CLI::IsMember({"dbtcloud", "secretsmanager"}));
  emulate_cmd->add_option("--port", emulate.port, "port (default: a free one, printed)")
      ->check(CLI::Range(0, 65535));
  emulate_cmd->add_option("--host", emulate.host, "127.0.0.1 (default) or ::1")
      ->check(CLI::IsMember({"127.0.0.1", "::1"}));
  AddOptional(emulate_cmd, "--secrets-file", emulate.secrets_file,
              "dbtcloud: new file (0600) that receives the seeded admin token");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? kExitOk : kExitUsage;
  }

  // The edge: nothing below is expected to throw; if it does, the state is unknown.
  try {
    const auto& env = aws::ProcessEnvironment::Instance();
    Io io;
    if (rotate_cmd->parsed()) return RunRotate(global, rotate, env, io);
    if (status_cmd->parsed()) return RunStatus(global, status, env, io);
    if (init_cmd->parsed()) return RunInit(global, init, env, io);
    if (doctor_cmd->parsed()) return RunDoctor(global, doctor, env, io);
    if (sandbox_cmd->parsed()) return emulators.Sandbox(global, sandbox, io);
    if (emulate_cmd->parsed()) return emulators.Emulate(emulate, env, io);
  } catch (const std::exception& error) {
    std::fprintf(stderr,
                 "dbt-rotate: internal error: %s. A rotation may be unfinished: run `dbt-rotate "
                 "status` and `dbt-rotate rotate` again (it resumes or rolls back).\n",
                 error.what());
    return kExitNeedsAttention;
  }
  return kExitUsage;
}

}  // namespace dbtrotate::cli
