// Durations (--min-age, --overlap: rotation/duration.h) and ISO 8601 timestamps from dbt,
// STS, IMDS and the secret (core/iso8601.h). Invariants: what parses formats back to text
// that parses to the same value (ISO 8601 formats whole seconds).

#include <chrono>

#include "core/iso8601.h"
#include "fuzz/fuzz_check.h"
#include "rotation/duration.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = dbtrotate::fuzz::AsText(data, size);
  if (auto duration = dbtrotate::rotation::ParseDuration(text, "--fuzz")) {
    FUZZ_CHECK(duration->count() >= 0);
    auto again = dbtrotate::rotation::ParseDuration(dbtrotate::rotation::FormatDuration(*duration),
                                                    "--fuzz");
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == std::chrono::floor<std::chrono::seconds>(*duration));
  }
  if (auto time = dbtrotate::ParseIso8601(text)) {
    auto again = dbtrotate::ParseIso8601(dbtrotate::FormatIso8601(*time));
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == std::chrono::floor<std::chrono::seconds>(*time));
  }
  return 0;
}
