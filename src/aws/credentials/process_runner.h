#ifndef DBTROTATE_AWS_CREDENTIALS_PROCESS_RUNNER_H_
#define DBTROTATE_AWS_CREDENTIALS_PROCESS_RUNNER_H_

// Runs credential_process commands (reference §5.6). Injected so tests can fake it; the real
// runner spawns the program directly (no shell), with stdin from /dev/null, captures stdout and
// stderr up to a size limit and kills the whole process group when it runs too long.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "core/result.h"

namespace dbtrotate::aws {

struct ProcessLimits {
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
  std::size_t max_output_bytes = 1 << 20;  // per stream
};

struct ProcessOutput {
  int exit_code = 0;        // meaningful when signal == 0
  int signal = 0;           // the signal that ended the process, 0 if it exited
  std::string stdout_text;  // holds credentials: wiped on destruction
  std::string stderr_text;

  ProcessOutput() = default;
  ProcessOutput(const ProcessOutput&) = delete;
  ProcessOutput& operator=(const ProcessOutput&) = delete;
  ProcessOutput(ProcessOutput&&) noexcept = default;
  ProcessOutput& operator=(ProcessOutput&&) noexcept = default;
  ~ProcessOutput();
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  /// Runs argv[0] (looked up in PATH when it has no '/') with the given arguments. Fails when
  /// the program cannot be started, runs past the timeout or writes more than the limit; a
  /// non-zero exit is reported in ProcessOutput, not as a failure.
  virtual Result<ProcessOutput, std::string> Run(const std::vector<std::string>& argv,
                                                 const ProcessLimits& limits) = 0;
};

class PosixProcessRunner final : public ProcessRunner {
 public:
  Result<ProcessOutput, std::string> Run(const std::vector<std::string>& argv,
                                         const ProcessLimits& limits) override;
  static PosixProcessRunner& Instance();
};

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_PROCESS_RUNNER_H_
