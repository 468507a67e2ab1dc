#ifndef DBTROTATE_TESTS_SUPPORT_PROCESS_RUNNER_H_
#define DBTROTATE_TESTS_SUPPORT_PROCESS_RUNNER_H_

// Test helper: runs a program (no shell) with an explicit environment and captures its exit
// status, stdout and stderr through files in a scratch directory.

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
