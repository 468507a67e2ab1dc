#include "aws/credentials/file_util.h"

#include <openssl/crypto.h>
#include <sys/stat.h>

#include <cerrno>
#include <fstream>
#include <system_error>

#include "core/secret_string.h"

namespace dbtrotate::aws {

Result<std::string, ReadFileError> ReadSmallFile(const std::string& path, std::size_t max_bytes) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      return Fail(ReadFileError{ReadFileFailure::kNotFound, path + ": file does not exist"});
    }
    return Fail(ReadFileError{ReadFileFailure::kError,
                              path + ": " + std::generic_category().message(error)});
  }
  if (!S_ISREG(info.st_mode)) {
    return Fail(ReadFileError{ReadFileFailure::kError, path + ": not a regular file"});
  }
  if (static_cast<std::size_t>(info.st_size) > max_bytes) {
    return Fail(ReadFileError{ReadFileFailure::kTooLarge,
                              path + ": larger than " + std::to_string(max_bytes) + " bytes"});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ReadFileError{
        ReadFileFailure::kError,
        path + ": cannot be opened (" + std::generic_category().message(errno) + ")"});
  }
  std::string contents;
  contents.reserve(static_cast<std::size_t>(info.st_size));
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    contents.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (contents.size() > max_bytes) {
      // The file grew while we read it.
      OPENSSL_cleanse(buffer, sizeof buffer);
      WipeString(contents);
      return Fail(ReadFileError{ReadFileFailure::kTooLarge,
                                path + ": larger than " + std::to_string(max_bytes) + " bytes"});
    }
  }
  OPENSSL_cleanse(buffer, sizeof buffer);  // it held file bytes, maybe a token
  if (in.bad()) {
    WipeString(contents);
    return Fail(ReadFileError{ReadFileFailure::kError, path + ": read failed"});
  }
  return contents;
}

}  // namespace dbtrotate::aws
