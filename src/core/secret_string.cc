#include "core/secret_string.h"

#include <openssl/crypto.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <new>
#include <utility>

#include "core/sanitizers.h"

namespace dbtrotate {

namespace secret_memory {

namespace {

std::size_t PageRounded(std::size_t bytes) {
  static const auto kPage = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return (std::max<std::size_t>(bytes, 1) + kPage - 1) / kPage * kPage;
}

// OpenSSL's secure heap: one arena with guard pages, locked (MLOCK_ONFAULT) and left out of
// core dumps once, then carved up without a system call. Pages of their own per secret cost
// mmap + mlock + munlock + munmap each, and munmap in a process with threads flushes every
// CPU's TLB: a fleet run spent a quarter of its CPU there.
constexpr std::size_t kArenaBytes = std::size_t{1} << 20;
constexpr std::size_t kSmallestArena = std::size_t{1} << 14;
constexpr int kMinChunk = 32;
// OpenSSL keeps its own key material (TLS handshakes' private numbers) in the same arena once
// it exists; secrets of ours never take more than half, so a handshake never finds it full.
constexpr std::size_t kOurShare = 2;

// No bigger than the memory this process may lock (a power of two, as OpenSSL requires): a
// larger arena could not be locked at all.
std::size_t ArenaBytes() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_MEMLOCK, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
    return kArenaBytes;
  }
  std::size_t bytes = kArenaBytes;
  while (bytes > kSmallestArena && bytes > limit.rlim_cur) bytes /= 2;
  return bytes;
}

// LeakSanitizer does not scan OpenSSL's arena (an mmap of its own): OpenSSL's objects that
// only the arena points to (TLS keys' parts, once the arena exists) would read as leaks at exit.
constexpr bool kUseSecureHeap = DBTROTATE_ASAN == 0;

std::size_t SecureHeapBytes() {
  static const std::size_t bytes = [] {
    if (!kUseSecureHeap) return std::size_t{0};  // pages of their own, as without the arena
    if (CRYPTO_secure_malloc_initialized() == 0) {
      const std::size_t arena = ArenaBytes();
      // 1: locked; 2: usable but not locked (RLIMIT_MEMLOCK): best effort, as below.
      if (CRYPTO_secure_malloc_init(arena, kMinChunk) == 0) return std::size_t{0};
      return arena;
    }
    return std::size_t{0};  // someone else's arena, of unknown size: leave it to them
  }();
  return bytes;
}

void* FromSecureHeap(std::size_t bytes) {
  const std::size_t arena = SecureHeapBytes();
  if (arena == 0 || CRYPTO_secure_used() + bytes > arena / kOurShare) return nullptr;
  // No file/line: a full arena is not an error worth OpenSSL's error queue; pages follow.
  return CRYPTO_secure_malloc(bytes, nullptr, 0);
}

void* MapPages(std::size_t bytes) {
  const std::size_t length = PageRounded(bytes);
  void* pages = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (pages == MAP_FAILED) throw std::bad_alloc();
  // Best effort, by design: without them the secret is still wiped when freed. mlock fails
  // when RLIMIT_MEMLOCK is used up (unprivileged: often 64 KiB or 8 MiB).
  (void)::madvise(pages, length, MADV_DONTDUMP);
  (void)::mlock(pages, length);
  return pages;
}

void UnmapPages(void* pages, std::size_t bytes) noexcept {
  const std::size_t length = PageRounded(bytes);
  OPENSSL_cleanse(pages, length);
  (void)::munlock(pages, length);
  ::munmap(pages, length);
}

}  // namespace

void* Allocate(std::size_t bytes) {
  if (void* chunk = FromSecureHeap(bytes)) return chunk;
  return MapPages(bytes);  // the arena is full (or could not be made)
}

void Free(void* pointer, std::size_t bytes) noexcept {
  if (pointer == nullptr) return;
  if (CRYPTO_secure_allocated(pointer) != 0) {
    CRYPTO_secure_clear_free(pointer, bytes, nullptr, 0);  // wipes, then returns the chunk
    return;
  }
  UnmapPages(pointer, bytes);
}

bool InSecureHeap(const void* pointer) { return CRYPTO_secure_allocated(pointer) != 0; }

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
