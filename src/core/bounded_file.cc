#include "core/bounded_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace dbtrotate {

namespace {

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

FileReadError OpenError(int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return {FileReadFailure::kNotFound, "does not exist"};
    case EACCES:
    case EPERM:
      return {FileReadFailure::kPermissionDenied, "cannot be read: permission denied"};
    default:
      return {FileReadFailure::kIoError,
              "cannot be opened: " + std::generic_category().message(error)};
  }
}

FileReadError TooLarge(std::size_t max_bytes) {
  return {FileReadFailure::kTooLarge, "is larger than the limit of " + DescribeSize(max_bytes)};
}

}  // namespace

std::string DescribeSize(std::size_t bytes) {
  if (bytes >= (1U << 20) && bytes % (1U << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1U << 10) && bytes % (1U << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

Result<std::string, FileReadError> ReadBoundedFile(const std::string& path, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
  const Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) return Fail(OpenError(errno));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return Fail(OpenError(errno));
  if (S_ISDIR(info.st_mode))
    return Fail(FileReadError{FileReadFailure::kDirectory, "is a directory"});
  if (!S_ISREG(info.st_mode)) {
    return Fail(FileReadError{FileReadFailure::kNotRegular,
                              "is not a regular file (a FIFO, device or socket)"});
  }
  if (info.st_size < 0 || static_cast<std::size_t>(info.st_size) > max_bytes) {
    return Fail(TooLarge(max_bytes));
  }
  // Sized by what fstat said, plus one byte to notice a file that grew; grown (up to one byte
  // past the limit) only if it really did.
  std::string contents(static_cast<std::size_t>(info.st_size) + 1, '\0');
  std::size_t total = 0;
  while (true) {
    if (total == contents.size()) {
      if (total > max_bytes) break;
      contents.resize(std::min(contents.size() * 2, max_bytes + 1));
    }
    const ssize_t n = ::read(fd.get(), contents.data() + total, contents.size() - total);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(FileReadError{FileReadFailure::kIoError,
                                "could not be read: " + std::generic_category().message(errno)});
    }
    total += static_cast<std::size_t>(n);
  }
  if (total > max_bytes) return Fail(TooLarge(max_bytes));
  contents.resize(total);
  return contents;
}

}  // namespace dbtrotate
