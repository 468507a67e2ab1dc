#include "cli/flag_values.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "cli/terminal_text.h"

namespace dbtrotate::cli {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Quoted(std::string_view text) {
  // The value may come from anywhere: keep it short and printable in the message.
  constexpr std::size_t kMaxShown = 40;
  std::string shown = TerminalSafe(text.substr(0, kMaxShown));
  if (text.size() > kMaxShown) shown += "...";
  return "'" + shown + "'";
}

}  // namespace

Result<std::int64_t, std::string> ParseDecimal(std::string_view text, std::string_view name,
                                               std::int64_t min, std::int64_t max) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), IsDigit)) {
    return Fail(fmt::format("{} must be a decimal number from {} to {}, got {}", name, min, max,
                            Quoted(text)));
  }
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 10);
  if (ec == std::errc::result_out_of_range || (ec == std::errc() && (value < min || value > max))) {
    return Fail(
        fmt::format("{} is out of range: {} (allowed {} to {})", name, Quoted(text), min, max));
  }
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Fail(fmt::format("{} must be a decimal number, got {}", name, Quoted(text)));
  }
  return value;
}

Result<std::int64_t, std::string> ParsePositiveId(std::string_view text, std::string_view name,
                                                  std::string_view what) {
  const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), IsDigit);
  auto value = ParseDecimal(text, name, 1, INT64_MAX);
  if (!value && !digits) {
    return Fail(fmt::format("{} must be a positive decimal integer ({}), got {}", name, what,
                            Quoted(text)));
  }
  return value;
}

Result<double, std::string> ParseSeconds(std::string_view text, std::string_view name, double min,
                                         double max) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  const bool well_formed = !whole.empty() && std::all_of(whole.begin(), whole.end(), IsDigit) &&
                           std::all_of(fraction.begin(), fraction.end(), IsDigit) &&
                           (dot == std::string_view::npos || !fraction.empty());
  double value = 0;
  if (well_formed) {
    const auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
    if (ec != std::errc() || end != text.data() + text.size()) value = NAN;
  }
  if (!well_formed || !std::isfinite(value)) {
    return Fail(
        fmt::format("{} must be a number of seconds like 30 or 2.5, got {}", name, Quoted(text)));
  }
  if (value < min || value > max) {
    return Fail(fmt::format("{} must be between {:g} and {:g} seconds, got {}", name, min, max,
                            Quoted(text)));
  }
  return value;
}

}  // namespace dbtrotate::cli
