#include "cli/process_hardening.h"

#include <sys/prctl.h>
#include <sys/resource.h>

namespace dbtrotate::cli {

void ForbidCoreDumps() {
  // Neither can fail for an unprivileged process lowering its own limits; if one did, there is
  // nothing better to do than run on (the secrets are still wiped when freed).
  (void)::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  const rlimit none{0, 0};
  (void)::setrlimit(RLIMIT_CORE, &none);
}

bool DescribeCoreDumpState(std::string& description) {
  const int dumpable = ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
  rlimit core{};
  const bool have_limit = ::getrlimit(RLIMIT_CORE, &core) == 0;
  description =
      "dumpable " + std::to_string(dumpable) + ", core file size limit " +
      (have_limit ? std::to_string(core.rlim_cur) + " (hard " + std::to_string(core.rlim_max) + ")"
                  : std::string("unknown"));
  return dumpable == 0 && have_limit && core.rlim_cur == 0 && core.rlim_max == 0;
}

}  // namespace dbtrotate::cli
