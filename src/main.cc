#include "cli/main.h"

#include <malloc.h>
#include <openssl/crypto.h>

#include "cli/emulator_module.h"
#include "cli/process_hardening.h"

int main(int argc, char** argv) {
  // First: no core dump may ever hold a token (cli/process_hardening.h).
  dbtrotate::cli::ForbidCoreDumps();
  // A short-lived CLI with a few worker threads: one malloc arena is plenty, and per-thread
  // arenas would only grow the resident set.
  mallopt(M_ARENA_MAX, 1);
  // No OpenSSL clean-up at exit: freeing its algorithm tables one by one costs ~0.3 ms of every
  // run, and the kernel reclaims the memory anyway. (Secrets are wiped by their owners.)
  OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
  dbtrotate::cli::ModuleEmulatorCommands emulators(argc, argv);
  return dbtrotate::cli::Main(argc, argv, emulators);
}
