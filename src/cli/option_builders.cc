#include "cli/option_builders.h"

#include <algorithm>
#include <cstring>

#include "cli/flag_values.h"
#include "cli/terminal_text.h"

namespace dbtrotate::cli {

namespace {

constexpr char kPlainValueCheck[] = "plain-value";

// Runs before any other check of the option, so an empty value is called empty.
CLI::Validator PlainValue() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (value.empty()) return "empty value: give one (--name VALUE or --name=VALUE)";
        if (value.front() == '-') {
          return "value '" + TerminalSafe(value) +
                 "' starts with '-' and looks like a flag; values may not start with '-'";
        }
        return {};
      },
      "", kPlainValueCheck);
}

template <class Parsed>
void ThrowIfFailed(const std::string& name, const Parsed& parsed) {
  // The message already names the option; CLI11 prefixes it once more, so strip ours.
  if (!parsed) {
    std::string message = parsed.error();
    if (message.rfind(name + " ", 0) == 0) message.erase(0, name.size() + 1);
    throw CLI::ValidationError(name, message);
  }
}

}  // namespace

std::optional<std::string> FindEmptyAttachedValue(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const char* arg = argv[i];
    if (std::strcmp(arg, "--") == 0) break;
    const std::size_t length = std::strlen(arg);
    if (length > 3 && arg[0] == '-' && arg[1] == '-' && arg[length - 1] == '=' &&
        std::strchr(arg, '=') == arg + length - 1) {
      return TerminalSafe(std::string_view(arg, length - 1)) +
             ": empty value: give one (--name VALUE or --name=VALUE)";
    }
  }
  return std::nullopt;
}

CLI::Option* AddText(CLI::App* app, const std::string& name, std::string& target,
                     const std::string& help) {
  return app->add_option(name, target, help)->check(PlainValue());
}

CLI::Option* AddText(CLI::App* app, const std::string& name, std::optional<std::string>& target,
                     const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name, [&target](const std::string& value) { target = value; }, help)
      ->check(PlainValue());
}

CLI::Option* AddChoice(CLI::App* app, const std::string& name, std::vector<std::string> choices,
                       std::function<void(const std::string&)> on_value, const std::string& help) {
  auto* option = app->add_option_function<std::string>(
      name,
      [name, choices, on_value](const std::string& value) {
        if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
          std::string list;
          for (const auto& choice : choices) list += (list.empty() ? "" : ", ") + choice;
          throw CLI::ValidationError(name, "'" + TerminalSafe(value) + "' is not one of " + list);
        }
        on_value(value);
      },
      help);
  return option->check(PlainValue());
}

CLI::Option* AddInteger(CLI::App* app, const std::string& name, std::int64_t min, std::int64_t max,
                        std::function<void(std::int64_t)> on_value, const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name,
          [name, min, max, on_value](const std::string& text) {
            auto value = ParseDecimal(text, name, min, max);
            ThrowIfFailed(name, value);
            on_value(*value);
          },
          help)
      ->check(PlainValue());
}

CLI::Option* AddId(CLI::App* app, const std::string& name, const std::string& what,
                   std::function<void(std::int64_t)> on_value, const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name,
          [name, what, on_value](const std::string& text) {
            auto value = ParsePositiveId(text, name, what);
            ThrowIfFailed(name, value);
            on_value(*value);
          },
          help)
      ->check(PlainValue());
}

CLI::Option* AddSeconds(CLI::App* app, const std::string& name, double min, double max,
                        std::optional<double>& target, const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name,
          [name, min, max, &target](const std::string& text) {
            auto value = ParseSeconds(text, name, min, max);
            ThrowIfFailed(name, value);
            target = *value;
          },
          help)
      ->check(PlainValue());
}

void CheckAllValues(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    const bool takes_value = option->get_type_size() != 0 && option->get_expected_max() > 0;
    if (!takes_value) continue;
    try {
      option->get_validator(kPlainValueCheck);
    } catch (const CLI::OptionNotFound&) {
      option->check(PlainValue());
    }
  }
  for (CLI::App* sub : app.get_subcommands({})) CheckAllValues(*sub);
}

}  // namespace dbtrotate::cli
