#ifndef DBTROTATE_CLI_EMULATOR_MODULE_H_
#define DBTROTATE_CLI_EMULATOR_MODULE_H_

// The dbt-rotate binary's `sandbox` and `emulate`: load dbt-rotate-emulators.so from beside the
// binary (or ../lib/dbt-rotate/ of an install) and run the same command line there, where the
// emulators are linked in (src/emulators_module.cc).

#include "cli/emulator_commands.h"

namespace dbtrotate::cli {

inline constexpr char kEmulatorModuleFile[] = "dbt-rotate-emulators.so";
/// `extern "C" int dbtrotate_emulators_main(int argc, char** argv)`: cli::Main with the
/// emulators in process.
inline constexpr char kEmulatorModuleMain[] = "dbtrotate_emulators_main";
/// `extern "C" const char* dbtrotate_emulators_version()`: must equal this binary's kVersion;
/// a module of another version is refused, never run.
inline constexpr char kEmulatorModuleVersion[] = "dbtrotate_emulators_version";

class ModuleEmulatorCommands final : public EmulatorCommands {
 public:
  /// `argc`/`argv`: the process's command line, handed to the module as is.
  ModuleEmulatorCommands(int argc, char** argv) : argc_(argc), argv_(argv) {}

  int Sandbox(const GlobalFlags&, const SandboxFlags&, Io io) override { return RunModule(io); }
  int Emulate(const EmulateFlags&, const aws::Environment&, Io io) override {
    return RunModule(io);
  }

 private:
  int RunModule(Io io);

  int argc_;
  char** argv_;
};

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_EMULATOR_MODULE_H_
