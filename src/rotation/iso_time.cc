#include "rotation/iso_time.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdint>

#include "core/iso8601.h"

namespace dbtrotate::rotation {

std::optional<SystemTime> ParseIsoTime(std::string_view text) {
  if (auto time = ParseIso8601(text)) return time;
  // The seed's key says UTC; accept a value written without a zone as UTC.
  std::string with_zone(text);
  with_zone += 'Z';
  return ParseIso8601(with_zone);
}

std::string FormatIsoTime(SystemTime time) {
  using namespace std::chrono;
  const auto micros_total = time_point_cast<microseconds>(time);
  const auto days = floor<std::chrono::days>(micros_total);
  const year_month_day date{days};
  auto rest = micros_total - days;
  const auto h = duration_cast<hours>(rest);
  rest -= h;
  const auto m = duration_cast<minutes>(rest);
  rest -= m;
  const auto s = duration_cast<seconds>(rest);
  rest -= s;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}+00:00", int{date.year()},
                     unsigned{date.month()}, unsigned{date.day()}, h.count(), m.count(), s.count(),
                     rest.count());
}

}  // namespace dbtrotate::rotation
