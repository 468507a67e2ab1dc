#include "rotation/duration.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <limits>

namespace dbtrotate::rotation {
namespace {

struct Unit {
  char suffix;
  std::int64_t seconds;
};
constexpr Unit kUnits[] = {{'w', 7 * 86400}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};

Error BadDuration(std::string_view what, std::string_view why) {
  return Error{ErrorCode::kBadDuration,
               fmt::format("{}: {} (use e.g. 90s, 15m, 36h, 7d, 2w or 1d12h)", what, why)};
}

}  // namespace

RotationResult<Duration> ParseDuration(std::string_view text, std::string_view what) {
  if (text.empty()) return Fail(BadDuration(what, "empty duration"));
  std::int64_t total = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::int64_t number = 0;
    std::size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (number > std::numeric_limits<std::int64_t>::max() / 10 - 10) {
        return Fail(BadDuration(what, "duration too large"));
      }
      number = number * 10 + (text[pos] - '0');
      ++pos;
      ++digits;
    }
    if (digits == 0)
      return Fail(BadDuration(what, fmt::format("expected a number at '{}'", text.substr(pos))));
    if (pos >= text.size()) {
      return Fail(BadDuration(what, "missing unit after the last number"));
    }
    const char suffix = text[pos++];
    std::int64_t unit = 0;
    for (const Unit& u : kUnits) {
      if (u.suffix == suffix) unit = u.seconds;
    }
    if (unit == 0) return Fail(BadDuration(what, fmt::format("unknown unit '{}'", suffix)));
    // Bound every term so the sum cannot overflow milliseconds.
    constexpr std::int64_t kMaxSeconds = std::int64_t{100} * 365 * 86400;
    if (number > kMaxSeconds / unit || total + number * unit > kMaxSeconds) {
      return Fail(BadDuration(what, "duration longer than 100 years"));
    }
    total += number * unit;
  }
  return Duration{std::chrono::seconds{total}};
}

std::string FormatDuration(Duration duration) {
  std::int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(duration).count();
  if (seconds <= 0) return "0s";
  std::string out;
  for (const Unit& u : kUnits) {
    if (u.suffix == 'w') continue;  // "14d" reads better than "2w"
    if (seconds >= u.seconds) {
      out += fmt::format("{}{}", seconds / u.seconds, u.suffix);
      seconds %= u.seconds;
    }
  }
  return out;
}

}  // namespace dbtrotate::rotation
