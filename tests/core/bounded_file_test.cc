#include "core/bounded_file.h"

#include <filesystem>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>

namespace dbtrotate {
namespace {

class BoundedFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/bounded-file-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::error_code ec; std::filesystem::remove_all(dir_, ec); }
  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  std::string dir_;
};

TEST_F(BoundedFileTest, ReadsASmallRegularFile) {
  auto read = ReadBoundedFile(Write("a", "hello\n"), 1024);
  ASSERT_TRUE(read) << read.error().reason;
  EXPECT_EQ(*read, "hello\n");
  auto exact = ReadBoundedFile(Write("b", std::string(1024, 'x')), 1024);
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->size(), 1024u);
  EXPECT_EQ(*ReadBoundedFile(Write("empty", ""), 1024), "");
}

TEST_F(BoundedFileTest, RefusesAFileOverTheLimitSayingTheLimit) {
  auto read = ReadBoundedFile(Write("big", std::string(1025, 'x')), 1024);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().failure, FileReadFailure::kTooLarge);
  EXPECT_NE(read.error().reason.find("1 KiB"), std::string::npos) << read.error().reason;
}

TEST_F(BoundedFileTest, ASparseHugeFileIsRefusedWithoutReadingIt) {
  const std::string path = dir_ + "/sparse";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, 100LL << 20), 0);
  ::close(fd);
  const auto start = std::chrono::steady_clock::now();
  auto read = ReadBoundedFile(path, 1 << 20);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().failure, FileReadFailure::kTooLarge);
  EXPECT_NE(read.error().reason.find("1 MiB"), std::string::npos);
}

TEST_F(BoundedFileTest, DevicesFifosAndDirectoriesAreRefusedAtOnce) {
  auto zero = ReadBoundedFile("/dev/zero", 1 << 20);
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().failure, FileReadFailure::kNotRegular);
  EXPECT_NE(zero.error().reason.find("not a regular file"), std::string::npos);

  const std::string fifo = dir_ + "/fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto from_fifo = ReadBoundedFile(fifo, 1024);  // no writer: must not block
  ASSERT_FALSE(from_fifo);
  EXPECT_EQ(from_fifo.error().failure, FileReadFailure::kNotRegular);

  auto directory = ReadBoundedFile(dir_, 1024);
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().failure, FileReadFailure::kDirectory);
  EXPECT_EQ(directory.error().reason, "is a directory");
}

TEST_F(BoundedFileTest, MissingAndUnreadableFilesSaySo) {
  auto missing = ReadBoundedFile(dir_ + "/nope", 1024);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().failure, FileReadFailure::kNotFound);
  EXPECT_EQ(missing.error().reason, "does not exist");

  const std::string locked = Write("locked", "x");
  ASSERT_EQ(::chmod(locked.c_str(), 0), 0);
  ASSERT_EQ(::chmod(dir_.c_str(), 0755), 0);
  // Root reads any file: check from a child that gave up root, when we are root.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(10);
    auto read = ReadBoundedFile(locked, 1024);
    if (read) ::_exit(11);
    if (read.error().failure != FileReadFailure::kPermissionDenied) ::_exit(12);
    if (read.error().reason.find("permission denied") == std::string::npos) ::_exit(13);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace dbtrotate
