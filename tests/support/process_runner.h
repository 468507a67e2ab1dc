#ifndef DBTROTATE_TESTS_SUPPORT_PROCESS_RUNNER_H_
#define DBTROTATE_TESTS_SUPPORT_PROCESS_RUNNER_H_

// Test helper: runs a program (no shell) with an explicit environment and captures its exit
// status, stdout and stderr through files in a scratch directory.

#include <sys/types.h>

#include <string>
#include <vector>

namespace dbtrotate::testing {

struct ProcessResult {
  bool started = false;  // false: could not spawn (error has why)
  int exit_code = -1;    // -1 when killed by a signal
  std::string out;
  std::string err;
  std::string error;
};

/// Where a started process's standard streams go (outputs are created 0600, truncated).
struct StandardStreams {
  std::string in = "/dev/null";
  std::string out = "/dev/null";
  std::string err = "/dev/null";
};

/// Starts argv[0] (an absolute path) with exactly `env` and returns at once: its pid, or -1
/// with the reason in `error`. The caller reaps it (and kills it first, if need be).
pid_t StartProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                   const StandardStreams& streams, std::string* error = nullptr);

/// Runs argv[0] (an absolute path) with exactly `env` ("NAME=value"), in `scratch_dir`, which
/// must exist and is used for the output files. `stdin_text` is what the program reads on
/// standard input (empty: /dev/null).
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                         const std::string& scratch_dir, const std::string& stdin_text = "");

/// A fresh directory under $TMPDIR (or /tmp) removed with everything in it on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  /// Writes `content` to path()/name and returns the full path.
  std::string WriteFile(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_SUPPORT_PROCESS_RUNNER_H_
