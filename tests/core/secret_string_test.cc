#include "core/secret_string.h"

#include <gtest/gtest.h>

#include <sstream>
#include <type_traits>

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
