// dbt-rotate-emulators.so: `sandbox` and `emulate` with the emulators linked in. The
// dbt-rotate binary loads it only for those two commands (cli/emulator_module.h), so its own
// start-up never pays for cpp-httplib, brotli and a shared C++ runtime.

#include "cli/emulator_commands/in_process.h"
#include "cli/main.h"
#include "core/version.h"

#define DBTROTATE_EXPORT __attribute__((visibility("default")))

extern "C" DBTROTATE_EXPORT const char* dbtrotate_emulators_version() {
  return dbtrotate::kVersion;
}

extern "C" DBTROTATE_EXPORT int dbtrotate_emulators_main(int argc, char** argv) {
  dbtrotate::cli::InProcessEmulatorCommands emulators;
  return dbtrotate::cli::Main(argc, argv, emulators);
}
