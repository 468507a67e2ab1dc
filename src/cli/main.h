#ifndef DBTROTATE_CLI_MAIN_H_
#define DBTROTATE_CLI_MAIN_H_

#include "cli/emulator_commands.h"

namespace dbtrotate::cli {

/// The whole program: parses arguments, runs a command, maps every failure to an exit code.
/// `sandbox` and `emulate` go to `emulators` (in this process, or loaded from the module).
int Main(int argc, char** argv, EmulatorCommands& emulators);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_MAIN_H_
