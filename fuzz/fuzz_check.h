#ifndef DBTROTATE_FUZZ_FUZZ_CHECK_H_
#define DBTROTATE_FUZZ_FUZZ_CHECK_H_

// Shared by the fuzz targets: the input as text, and an invariant check that aborts (so
// libFuzzer records the input as a crash) without printing anything parsed from the input.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace dbtrotate::fuzz {

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

[[noreturn]] inline void InvariantFailed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", file, line, what);
  std::abort();
}

}  // namespace dbtrotate::fuzz

#define FUZZ_CHECK(condition)         \
  ((condition) ? static_cast<void>(0) \
               : ::dbtrotate::fuzz::InvariantFailed(#condition, __FILE__, __LINE__))

#endif  // DBTROTATE_FUZZ_FUZZ_CHECK_H_
