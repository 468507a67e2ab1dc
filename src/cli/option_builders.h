#ifndef DBTROTATE_CLI_OPTION_BUILDERS_H_
#define DBTROTATE_CLI_OPTION_BUILDERS_H_

// How every option of every subcommand is declared, so that all of them refuse the same bad
// values (exit 2): an empty value, a value that looks like a flag, a number that is not plain
// decimal or is out of range, a choice that is not on the list.
//
// Choice made for values starting with '-': they are refused for every option. CLI11 already
// refuses "--token-name --dry-run" (no value); this also refuses "--token-name=--dry-run" and
// "--permissions -f", which are far more often a slip than a name or path (write ./-f).

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dbtrotate::cli {

/// The first "--name=" argument with nothing after '=' (before any "--"), as a message, or
/// nullopt. CLI11 would otherwise take the *next* argument as that option's value.
std::optional<std::string> FindEmptyAttachedValue(int argc, const char* const* argv);

CLI::Option* AddText(CLI::App* app, const std::string& name, std::string& target,
                     const std::string& help);
CLI::Option* AddText(CLI::App* app, const std::string& name, std::optional<std::string>& target,
                     const std::string& help);

/// One of `choices`; `on_value` receives it.
CLI::Option* AddChoice(CLI::App* app, const std::string& name, std::vector<std::string> choices,
                       std::function<void(const std::string&)> on_value, const std::string& help);

/// A decimal integer in [min, max] (cli/flag_values.h).
CLI::Option* AddInteger(CLI::App* app, const std::string& name, std::int64_t min, std::int64_t max,
                        std::function<void(std::int64_t)> on_value, const std::string& help);

/// A positive id (cli/flag_values.h ParsePositiveId); `what` says whose.
CLI::Option* AddId(CLI::App* app, const std::string& name, const std::string& what,
                   std::function<void(std::int64_t)> on_value, const std::string& help);

/// Seconds in [min, max] (cli/flag_values.h).
CLI::Option* AddSeconds(CLI::App* app, const std::string& name, double min, double max,
                        std::optional<double>& target, const std::string& help);

/// Gives every option of `app` and its subcommands that takes a value and was not declared
/// with the helpers above the same empty/flag-like check, so none can slip through.
void CheckAllValues(CLI::App& app);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_OPTION_BUILDERS_H_
