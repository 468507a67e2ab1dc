#include "cli/emulator_module.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "cli/terminal_text.h"
#include "core/version.h"

namespace dbtrotate::cli {

namespace {

using MainFn = int (*)(int, char**);
using VersionFn = const char* (*)();

// Only fixed places relative to the running binary: never a search path or an environment
// variable, so nothing outside the installation can put code into this process.
std::vector<std::filesystem::path> Candidates() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return {};
  const auto dir = self.parent_path();
  return {dir / kEmulatorModuleFile,
          dir.parent_path() / "lib" / "dbt-rotate" / kEmulatorModuleFile};
}

}  // namespace

int ModuleEmulatorCommands::RunModule(Io io) {
  std::string tried;
  for (const auto& path : Candidates()) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
      tried += (tried.empty() ? "" : ", ") + path.string();
      continue;
    }
    void* module = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (module == nullptr) {
      const char* why = dlerror();
      PrintMessage(io.err, fmt::format("cannot load {}: {}. Rebuild (scripts/build) or reinstall.",
                                       path.string(), why != nullptr ? why : "unknown error"));
      return kExitUsage;
    }
    auto version = reinterpret_cast<VersionFn>(dlsym(module, kEmulatorModuleVersion));
    auto main = reinterpret_cast<MainFn>(dlsym(module, kEmulatorModuleMain));
    if (version == nullptr || main == nullptr || std::strcmp(version(), kVersion) != 0) {
      PrintMessage(io.err, fmt::format("{} is not the emulator module of dbt-rotate {}. Rebuild "
                                       "(scripts/build) or reinstall.",
                                       path.string(), kVersion));
      return kExitUsage;
    }
    std::fflush(io.out);
    std::fflush(io.err);
    // Never unloaded: the process ends when the command does.
    return main(argc_, argv_);
  }
  PrintMessage(io.err, fmt::format("`sandbox` and `emulate` need {}, which is built beside the "
                                   "dbt-rotate binary; not found (looked for {}). Rebuild "
                                   "(scripts/build) or reinstall.",
                                   kEmulatorModuleFile,
                                   tried.empty() ? "/proc/self/exe unreadable" : tried));
  return kExitUsage;
}

}  // namespace dbtrotate::cli
