#ifndef DBTROTATE_CLI_VERSION_H_
#define DBTROTATE_CLI_VERSION_H_

// `dbt-rotate --version`: what a bug report needs to say which build it came from and which
// TLS and HTTP libraries it is really running with (the shared ones loaded at run time, not
// the headers it was compiled against).

#include <string>

namespace dbtrotate::cli {

namespace build_info {
// Written at build time by src/cli/version.cmake.
extern const char kGitCommit[];
extern const char kBuildDate[];
}  // namespace build_info

/// "dbt-rotate 0.1.0\ncommit 0123abcd\nbuilt 2026-12-04\nlibcurl 7.88.1 (OpenSSL/3.0.15)\n
/// OpenSSL 3.0.15 3 Sep 2024" (no trailing newline; the first line is what help2man reads).
std::string VersionText();

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_VERSION_H_
