#include "cli/main.h"

#include <cstdio>

#include "core/version.h"

namespace dbtrotate::cli {

int Main(int /*argc*/, char** /*argv*/) {
  std::printf("dbt-rotate %s\n", kVersion);
  return 0;
}

}  // namespace dbtrotate::cli
