#include "core/iso8601.h"

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace dbtrotate {

namespace {

// Reads exactly `digits` decimal digits at `pos`.
bool ReadNumber(std::string_view text, std::size_t& pos, int digits, int& out) {
  if (pos + static_cast<std::size_t>(digits) > text.size()) return false;
  int value = 0;
  for (int i = 0; i < digits; ++i) {
    const char c = text[pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(digits);
  out = value;
  return true;
}

bool Expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<SystemTime> ParseIso8601(std::string_view text) {
  using namespace std::chrono;
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadNumber(text, pos, 4, year) || !Expect(text, pos, '-') ||
      !ReadNumber(text, pos, 2, month) || !Expect(text, pos, '-') ||
      !ReadNumber(text, pos, 2, day)) {
    return std::nullopt;
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return std::nullopt;
  }
  ++pos;
  if (!ReadNumber(text, pos, 2, hour) || !Expect(text, pos, ':') ||
      !ReadNumber(text, pos, 2, minute) || !Expect(text, pos, ':') ||
      !ReadNumber(text, pos, 2, second)) {
    return std::nullopt;
  }
  const year_month_day date{std::chrono::year{year},
                            std::chrono::month{static_cast<unsigned>(month)},
                            std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;

  // Fraction: keep up to nanoseconds, ignore further digits (there are none in practice).
  std::int64_t nanos = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 9) nanos = nanos * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 9; ++i) nanos *= 10;
  }

  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int oh = 0, om = 0;
    if (!ReadNumber(text, pos, 2, oh)) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') ++pos;  // +05:00 and +0500 both occur
    if (!ReadNumber(text, pos, 2, om) || oh > 23 || om > 59) return std::nullopt;
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  const auto local = sys_days{date} + hours{hour} + minutes{minute} + seconds{second};
  const auto utc = local - minutes{offset_minutes};
  // SystemTime counts nanoseconds in 64 bits (years 1677-2262); converting a time outside that
  // overflows. Saturate instead: "9999-12-31" is a common "never expires", and a date before
  // 1678 is simply long past.
  constexpr auto kEarliest = ceil<seconds>(SystemTime::min().time_since_epoch()) + seconds{1};
  constexpr auto kLatest = floor<seconds>(SystemTime::max().time_since_epoch()) - seconds{1};
  if (utc.time_since_epoch() < kEarliest) return SystemTime(kEarliest);
  if (utc.time_since_epoch() > kLatest) return SystemTime(kLatest);
  return time_point_cast<SystemTime::duration>(utc + nanoseconds{nanos});
}

std::string FormatIso8601(SystemTime time) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(time);
  const auto days = floor<std::chrono::days>(secs);
  const year_month_day date{days};
  const hh_mm_ss clock{secs - days};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return buffer;
}

}  // namespace dbtrotate
