#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <sstream>

#include "cli/emulator_commands/in_process.h"
#include "cli/terminal_text.h"
#include "emulators/dbtcloud/serve.h"
#include "emulators/secretsmanager/serve.h"

namespace dbtrotate::cli {

namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop.store(true); }

void InstallStopHandlers() {
  struct sigaction action {};
  action.sa_handler = &OnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

// Writes a file only the owner can read (O_EXCL: never follows or reuses another file).
bool WritePrivateFile(const std::string& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return written == content.size();
}

int ServeDbt(const EmulateFlags& flags, Io io) {
  if (!flags.secrets_file) {
    std::fprintf(
        io.err,
        "dbt-rotate: emulate dbtcloud needs --secrets-file PATH: the seeded admin token is "
        "written there (mode 0600), never to the terminal\n");
    return kExitUsage;
  }
  emulators::DbtServeOptions options;
  options.server.host = flags.host;
  options.server.port = flags.port;
  std::ostringstream secrets;
  std::ostringstream status;
  bool wrote_secrets = true;
  options.on_ready = [&] {
    std::string text = secrets.str();
    wrote_secrets = WritePrivateFile(*flags.secrets_file, text);
    WipeString(text);
    std::fprintf(io.err, "%s", status.str().c_str());
    std::fflush(io.err);
    if (!wrote_secrets) g_stop.store(true);
  };
  auto served = emulators::ServeDbtCloudEmulator(options, secrets, status, g_stop);
  std::string leftover = secrets.str();
  WipeString(leftover);
  if (!wrote_secrets) {
    PrintMessage(io.err, "cannot create " + *flags.secrets_file + " (it must not exist yet)");
    return kExitUsage;
  }
  if (!served) {
    PrintMessage(io.err, served.error());
    return kExitUsage;
  }
  return kExitOk;
}

int ServeSecretsManager(const EmulateFlags& flags, const aws::Environment& env, Io io) {
  auto key = env.Get("AWS_ACCESS_KEY_ID");
  auto secret = env.Get("AWS_SECRET_ACCESS_KEY");
  if (!key || !secret) {
    std::fprintf(io.err,
                 "dbt-rotate: emulate secretsmanager accepts requests signed with the credentials "
                 "in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; set both (any test values)\n");
    return kExitUsage;
  }
  emulators::secretsmanager::ServeOptions options;
  options.emulator.server.host = flags.host;
  options.emulator.server.port = flags.port;
  aws::Credentials credentials;
  credentials.access_key_id = *key;
  credentials.secret_access_key = SecretString(std::move(*secret));
  if (auto session = env.Get("AWS_SESSION_TOKEN"))
    credentials.session_token = SecretString(std::move(*session));
  options.credentials.push_back(std::move(credentials));
  std::ostringstream out;
  options.on_ready = [&](emulators::secretsmanager::SecretsManagerEmulator&) {
    std::fprintf(io.err, "%s", out.str().c_str());
    std::fflush(io.err);
    out.str("");
  };
  auto served = emulators::secretsmanager::ServeForeground(std::move(options), out, g_stop,
                                                           SystemClock::Instance());
  std::fprintf(io.err, "%s", out.str().c_str());
  if (!served) {
    PrintMessage(io.err, served.error());
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

int RunEmulate(const EmulateFlags& flags, const aws::Environment& env, Io io) {
  InstallStopHandlers();
  if (flags.service == "dbtcloud") return ServeDbt(flags, io);
  if (flags.service == "secretsmanager") return ServeSecretsManager(flags, env, io);
  PrintMessage(io.err, "unknown emulator '" + flags.service + "' (dbtcloud or secretsmanager)");
  return kExitUsage;
}

}  // namespace dbtrotate::cli
