#include "core/secret_string.h"

#include <openssl/crypto.h>

#include <utility>

namespace dbtrotate {

void WipeString(std::string& value) {
  // Wipe the whole capacity: a shrunk string may still hold old bytes past size().
  if (value.capacity() > 0) OPENSSL_cleanse(value.data(), value.capacity());
  value.clear();
}

SecretString::SecretString(std::string&& value) {
  value_.assign(value);
  WipeString(value);
}

SecretString SecretString::CopyOf(std::string_view value) {
  SecretString secret;
  secret.value_.assign(value);
  return secret;
}

SecretString::~SecretString() { Wipe(); }

SecretString::SecretString(SecretString&& other) noexcept {
  value_.assign(other.value_);
  other.Wipe();
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    Wipe();
    value_.assign(other.value_);
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

void SecretString::Wipe() { WipeString(value_); }

}  // namespace dbtrotate
