#ifndef DBTROTATE_AWS_CREDENTIALS_SHELL_SPLIT_H_
#define DBTROTATE_AWS_CREDENTIALS_SHELL_SPLIT_H_

// Splits a command line into words the way Python's shlex.split (POSIX mode) does; botocore uses
// it for credential_process so the command runs without a shell (reference §5.6).

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dbtrotate::aws {

/// Whitespace separates words; '…' is literal; inside "…" only \" and \\ are escapes (any other
/// backslash is kept); outside quotes a backslash takes the next character literally. No globbing,
/// variables or comments. Fails on an unterminated quote or a trailing backslash.
Result<std::vector<std::string>, std::string> ShellSplit(std::string_view command);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_SHELL_SPLIT_H_
