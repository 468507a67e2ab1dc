#include "cli/main.h"

#include <malloc.h>

#include "cli/emulator_module.h"

int main(int argc, char** argv) {
  // A short-lived CLI with a few worker threads: one malloc arena is plenty, and per-thread
  // arenas would only grow the resident set.
  mallopt(M_ARENA_MAX, 1);
  dbtrotate::cli::ModuleEmulatorCommands emulators(argc, argv);
  return dbtrotate::cli::Main(argc, argv, emulators);
}
