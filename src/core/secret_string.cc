#include "core/secret_string.h"

#include <openssl/crypto.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <new>
#include <utility>

namespace dbtrotate {

namespace secret_memory {

namespace {

std::size_t PageRounded(std::size_t bytes) {
  static const auto kPage = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return (std::max<std::size_t>(bytes, 1) + kPage - 1) / kPage * kPage;
}

}  // namespace

void* Allocate(std::size_t bytes) {
  const std::size_t length = PageRounded(bytes);
  void* pages = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (pages == MAP_FAILED) throw std::bad_alloc();
  // Best effort, by design: without them the secret is still wiped when freed. mlock fails
  // when RLIMIT_MEMLOCK is used up (unprivileged: often 64 KiB or 8 MiB).
  (void)::madvise(pages, length, MADV_DONTDUMP);
  (void)::mlock(pages, length);
  return pages;
}

void Free(void* pointer, std::size_t bytes) noexcept {
  if (pointer == nullptr) return;
  const std::size_t length = PageRounded(bytes);
  OPENSSL_cleanse(pointer, length);
  (void)::munlock(pointer, length);
  ::munmap(pointer, length);
}

}  // namespace secret_memory

namespace {

// Past the inline (SSO) capacity of any std::basic_string<char>, so the bytes are allocated.
constexpr std::size_t kMinCapacity = 32;

}  // namespace

void WipeString(std::string& value) {
  // Wipe the whole capacity: a shrunk string may still hold old bytes past size().
  if (value.capacity() > 0) OPENSSL_cleanse(value.data(), value.capacity());
  value.clear();
}

void SecretString::Assign(std::string_view value) {
  value_.reserve(std::max(value.size(), kMinCapacity));
  value_.assign(value);
}

SecretString::SecretString(std::string&& value) {
  Assign(value);
  WipeString(value);
}

SecretString SecretString::CopyOf(std::string_view value) {
  SecretString secret;
  secret.Assign(value);
  return secret;
}

SecretString::~SecretString() { Wipe(); }

// Copies (onto this object's own pages) rather than steals, so each object owns one buffer
// and wipes it. noexcept: a failed mmap here ends the process, as a failed new would.
SecretString::SecretString(SecretString&& other) noexcept {
  if (!other.value_.empty()) Assign(other.value_);
  other.Wipe();
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    Wipe();
    if (!other.value_.empty()) Assign(other.value_);
    other.Wipe();
  }
  return *this;
}

bool SecretString::Equals(const SecretString& other) const {
  if (value_.size() != other.value_.size()) return false;
  return CRYPTO_memcmp(value_.data(), other.value_.data(), value_.size()) == 0;
}

std::string SecretString::Redacted() const {
  return "<secret, " + std::to_string(value_.size()) + " chars>";
}

void SecretString::Wipe() {
  // The whole capacity: a shrunk value may still hold old bytes past size(). The pages
  // themselves are wiped again when freed.
  if (value_.capacity() > 0) OPENSSL_cleanse(value_.data(), value_.capacity());
  value_.clear();
}

}  // namespace dbtrotate
