#include "core/random.h"

#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace dbtrotate {

std::string Random::UuidV4() {
  std::array<unsigned char, 16> bytes{};
  Fill(bytes.data(), bytes.size());
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0x0F]);
  }
  return out;
}

double SecureRandom::NextUnit() {
  std::uint64_t bits = 0;
  Fill(reinterpret_cast<unsigned char*>(&bits), sizeof(bits));
  return static_cast<double>(bits >> 11) * 0x1.0p-53;  // 53 random mantissa bits
}

void SecureRandom::Fill(unsigned char* out, std::size_t size) {
  // A CSPRNG failure is not recoverable and must not degrade to weak randomness.
  if (RAND_bytes(out, static_cast<int>(size)) != 1) {
    std::fputs("dbt-rotate: OpenSSL RAND_bytes failed; refusing to continue\n", stderr);
    std::abort();
  }
}

SecureRandom& SecureRandom::Instance() {
  static SecureRandom random;
  return random;
}

double SeededRandom::NextUnit() {
  std::lock_guard lock(mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
}

void SeededRandom::Fill(unsigned char* out, std::size_t size) {
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<unsigned char>(engine_() & 0xFF);
}

}  // namespace dbtrotate
