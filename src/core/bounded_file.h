#ifndef DBTROTATE_CORE_BOUNDED_FILE_H_
#define DBTROTATE_CORE_BOUNDED_FILE_H_

// Reads a file the user named (a permissions file, a CA bundle) without trusting what it is:
// opened once and checked through that descriptor (no race between a check and the open),
// regular files only (a FIFO, /dev/zero or a directory is refused at once, never read), and
// never more than `max_bytes` read, whatever the file claims or becomes while we read it.

#include <cstddef>
#include <string>

#include "core/result.h"

namespace dbtrotate {

enum class FileReadFailure {
  kNotFound,
  kPermissionDenied,
  kDirectory,
  kNotRegular,
  kTooLarge,
  kIoError,
};

struct FileReadError {
  FileReadFailure failure = FileReadFailure::kIoError;
  /// What is wrong, for a message that names the file: "is a directory", "is larger than the
  /// limit of 1 MiB", … Never the contents.
  std::string reason;
};

Result<std::string, FileReadError> ReadBoundedFile(const std::string& path, std::size_t max_bytes);

/// "1 MiB", "4 KiB", "300 bytes": a limit for a message.
std::string DescribeSize(std::size_t bytes);

}  // namespace dbtrotate

#endif  // DBTROTATE_CORE_BOUNDED_FILE_H_
