#ifndef DBTROTATE_AWS_CREDENTIALS_FILE_UTIL_H_
#define DBTROTATE_AWS_CREDENTIALS_FILE_UTIL_H_

#include <cstddef>
#include <string>

#include "core/result.h"

namespace dbtrotate::aws {

enum class ReadFileFailure { kNotFound, kTooLarge, kError };

struct ReadFileError {
  ReadFileFailure failure = ReadFileFailure::kError;
  std::string message;  // names the path and the reason, never the contents
};

/// Reads a whole regular file of at most `max_bytes`. Used for config files and token files.
/// The caller wipes the result when it holds a token.
Result<std::string, ReadFileError> ReadSmallFile(const std::string& path, std::size_t max_bytes);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_FILE_UTIL_H_
