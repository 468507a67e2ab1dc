#ifndef DBTROTATE_CLI_EMULATOR_COMMANDS_IN_PROCESS_H_
#define DBTROTATE_CLI_EMULATOR_COMMANDS_IN_PROCESS_H_

// The real `sandbox` and `emulate` commands: the emulators run in this process.

#include "cli/emulator_commands.h"

namespace dbtrotate::cli {

int RunSandbox(const GlobalFlags& global, const SandboxFlags& flags, Io io);
int RunEmulate(const EmulateFlags& flags, const aws::Environment& env, Io io);

class InProcessEmulatorCommands final : public EmulatorCommands {
 public:
  int Sandbox(const GlobalFlags& global, const SandboxFlags& flags, Io io) override {
    return RunSandbox(global, flags, io);
  }
  int Emulate(const EmulateFlags& flags, const aws::Environment& env, Io io) override {
    return RunEmulate(flags, env, io);
  }
};

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_EMULATOR_COMMANDS_IN_PROCESS_H_
