// A stand-in for a dbt-rotate-emulators.so of another version: it exports the entry points
// but claims another version. dbt-rotate must refuse it without calling its main.

#include <cstdio>

extern "C" __attribute__((visibility("default"))) const char* dbtrotate_emulators_version() {
  return "0.0.0-another-build";
}

extern "C" __attribute__((visibility("default"))) int dbtrotate_emulators_main(int, char**) {
  std::fputs("FOREIGN MODULE RAN\n", stderr);
  return 0;
}
