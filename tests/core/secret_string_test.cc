#include "core/secret_string.h"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <openssl/crypto.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "core/sanitizers.h"

namespace dbtrotate {
namespace {

template <class T>
concept Streamable = requires(std::ostream& os, const T& value) {
  os << value;
};

static_assert(!Streamable<SecretString>, "a secret must not be printable");
static_assert(!std::is_copy_constructible_v<SecretString>, "copies must be explicit");
static_assert(!std::is_convertible_v<SecretString, std::string>, "no implicit plaintext");

TEST(SecretString, TakesAndWipesTheSourceBuffer) {
  std::string source = "dbtc_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN";
  SecretString secret(std::move(source));
  EXPECT_EQ(secret.size(), 55u);
  EXPECT_EQ(secret.expose().substr(0, 5), "dbtc_");
  EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move): wiped by design
}

TEST(SecretString, RedactedNeverShowsTheValue) {
  auto secret = SecretString::CopyOf("super-secret-value");
  EXPECT_EQ(secret.Redacted(), "<secret, 18 chars>");
}

TEST(SecretString, MoveLeavesSourceEmpty) {
  auto a = SecretString::CopyOf("token-value");
  SecretString b = std::move(a);
  EXPECT_EQ(b.expose(), "token-value");
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
  SecretString c;
  c = std::move(b);
  EXPECT_EQ(c.expose(), "token-value");
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
}

TEST(SecretString, EqualsComparesContent) {
  EXPECT_TRUE(SecretString::CopyOf("abc").Equals(SecretString::CopyOf("abc")));
  EXPECT_FALSE(SecretString::CopyOf("abc").Equals(SecretString::CopyOf("abd")));
  EXPECT_FALSE(SecretString::CopyOf("abc").Equals(SecretString::CopyOf("abcd")));
  auto original = SecretString::CopyOf("xyz");
  EXPECT_TRUE(original.Clone().Equals(original));
}

TEST(SecretString, WipeStringClearsTheBuffer) {
  std::string body = "{\"service_token\":\"dbtc_secret\"}";
  const char* data = body.data();
  const auto capacity = body.capacity();
  WipeString(body);
  EXPECT_TRUE(body.empty());
  for (std::size_t i = 0; i < capacity; ++i) EXPECT_EQ(data[i], '\0');
}

}  // namespace
}  // namespace dbtrotate

namespace dbtrotate {
namespace {

// The VmFlags of the mapping that holds `address`, from /proc/self/smaps ("rd wr mr mw me dd
// lo …"; dd = not in core dumps, lo = locked).
std::string VmFlagsAt(const void* address) {
  std::ifstream smaps("/proc/self/smaps");
  const auto target = reinterpret_cast<std::uintptr_t>(address);
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t begin = 0;
    std::uintptr_t end = 0;
    char dash = 0;
    std::istringstream header(line);
    if (header >> std::hex >> begin >> dash >> end && dash == '-' &&
        line.find(':') > line.find(' ')) {
      inside = begin <= target && target < end;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line.substr(8) + " ";
    }
  }
  return "";
}

bool HasFlag(const std::string& flags, const char* flag) {
  return flags.find(std::string(" ") + flag + " ") != std::string::npos;
}

TEST(SecretStringMemory, BytesAreLockedAndLeftOutOfCoreDumps) {
  auto token = SecretString::CopyOf("dbtc_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN");
  auto tiny = SecretString::CopyOf("ab");  // not in the object's inline buffer either
  const SecretString moved = std::move(token);
  for (const SecretString* secret : std::vector<const SecretString*>{&tiny, &moved}) {
    const char* data = secret->expose().data();
    const auto* object = reinterpret_cast<const char*>(secret);
    EXPECT_FALSE(data >= object && data < object + sizeof(SecretString)) << "inline (SSO) bytes";
    const std::string flags = VmFlagsAt(data);
    ASSERT_FALSE(flags.empty()) << "no mapping for the secret's bytes";
    EXPECT_TRUE(HasFlag(flags, "dd")) << "would be in a core dump: " << flags;
#if !DBTROTATE_ASAN  // ASan's mlock interceptor does nothing and reports success
    EXPECT_TRUE(HasFlag(flags, "lo")) << "not locked (RLIMIT_MEMLOCK used up?): " << flags;
#endif
  }
  EXPECT_EQ(moved.expose().substr(0, 5), "dbtc_");
  EXPECT_EQ(tiny.expose(), "ab");
}

// Secrets are carved from OpenSSL's secure heap (no system call each); once our half of the
// arena is used up they get pages of their own, with the same protections, and either kind
// is given back when freed.
TEST(SecretStringMemory, ComesFromTheSecureHeapThenFromPagesOfItsOwn) {
#if DBTROTATE_ASAN
  GTEST_SKIP() << "ASan builds keep secrets on pages of their own (secret_string.cc)";
#endif
  auto small = SecretString::CopyOf("dbtc_small");
  EXPECT_TRUE(secret_memory::InSecureHeap(small.expose().data()));
  const std::size_t used_before = CRYPTO_secure_used();
  std::vector<SecretString> large;
  const std::string value(60'000, 'x');  // about a whole Secrets Manager secret each
  bool spilled = false;
  for (int i = 0; i < 64 && !spilled; ++i) {
    large.push_back(SecretString::CopyOf(value));
    spilled = !secret_memory::InSecureHeap(large.back().expose().data());
  }
  ASSERT_TRUE(spilled) << "the arena never filled";
  const std::string flags = VmFlagsAt(large.back().expose().data());
  EXPECT_TRUE(HasFlag(flags, "dd")) << flags;
  for (const auto& secret : large) EXPECT_EQ(secret.expose(), value);
  large.clear();
  EXPECT_EQ(CRYPTO_secure_used(), used_before) << "chunks were not given back";
  EXPECT_EQ(small.expose(), "dbtc_small");
}

// Drops CAP_IPC_LOCK (root ignores RLIMIT_MEMLOCK otherwise) from this process.
bool DropIpcLock() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (::syscall(SYS_capget, &header, data) != 0) return false;
  data[CAP_IPC_LOCK / 32].effective &= ~(1U << (CAP_IPC_LOCK % 32));
  data[CAP_IPC_LOCK / 32].permitted &= ~(1U << (CAP_IPC_LOCK % 32));
  return ::syscall(SYS_capset, &header, data) == 0;
}

// When nothing may be locked, secrets still work (and are still out of core dumps).
TEST(SecretStringMemory, WorksWhenMemoryCannotBeLocked) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const rlimit none{0, 0};
    if (::setrlimit(RLIMIT_MEMLOCK, &none) != 0 || !DropIpcLock()) ::_exit(10);
    std::vector<SecretString> secrets;
    for (int i = 0; i < 50; ++i)
      secrets.push_back(SecretString::CopyOf("dbtc_" + std::to_string(i)));
    for (int i = 0; i < 50; ++i) {
      if (secrets[static_cast<std::size_t>(i)].expose() != "dbtc_" + std::to_string(i)) ::_exit(11);
    }
    const std::string flags = VmFlagsAt(secrets[0].expose().data());
    if (HasFlag(flags, "lo")) ::_exit(12);   // the limit really was in force
    if (!HasFlag(flags, "dd")) ::_exit(13);  // not locked, still not dumped
    secrets.clear();
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "10 setup, 11 value, 12 locked anyway, 13 dumpable";
}

}  // namespace
}  // namespace dbtrotate
