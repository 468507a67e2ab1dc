#include "aws/sigv4/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdlib>

#include "core/secret_string.h"

namespace dbtrotate::aws::sigv4 {

namespace {

const unsigned char* Bytes(std::string_view data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

}  // namespace

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0x0f]);
  }
  return out;
}

std::string Sha256(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  // EVP_Digest with SHA-256 only fails on allocation failure; there is no sane recovery.
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    std::abort();
  }
  return std::string(reinterpret_cast<const char*>(digest.data()), size);
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), Bytes(data), data.size(),
           mac.data(), &size) == nullptr) {
    std::abort();
  }
  std::string out(reinterpret_cast<const char*>(mac.data()), size);
  OPENSSL_cleanse(mac.data(), mac.size());
  return out;
}

std::string DeriveSigningKey(std::string_view secret_access_key, std::string_view date,
                             std::string_view region, std::string_view service) {
  std::string key = "AWS4";
  key.append(secret_access_key);
  std::string k_date = HmacSha256(key, date);
  WipeString(key);
  std::string k_region = HmacSha256(k_date, region);
  WipeString(k_date);
  std::string k_service = HmacSha256(k_region, service);
  WipeString(k_region);
  std::string k_signing = HmacSha256(k_service, "aws4_request");
  WipeString(k_service);
  return k_signing;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace dbtrotate::aws::sigv4
