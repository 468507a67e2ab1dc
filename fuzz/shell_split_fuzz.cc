// The `credential_process` command line from ~/.aws/config (aws/credentials/shell_split.h),
// split into argv the way botocore's shlex does before it runs the command.

#include "aws/credentials/shell_split.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view command = dbtrotate::fuzz::AsText(data, size);
  auto argv = dbtrotate::aws::ShellSplit(command);
  if (argv) {
    std::size_t bytes = 0;
    for (const std::string& arg : *argv) bytes += arg.size();
    FUZZ_CHECK(bytes <= command.size());  // splitting only removes quotes and blanks
  }
  return 0;
}
