#ifndef DBTROTATE_CORE_SECRET_STRING_H_
#define DBTROTATE_CORE_SECRET_STRING_H_

// SecretString holds a credential (a dbt token, an AWS secret key, a whole secret value).
// It cannot be streamed, formatted or implicitly converted, so a token cannot reach a log
// line by accident; reading it takes an explicit, greppable `expose()`. Its bytes are wiped
// with OPENSSL_cleanse when it is destroyed or overwritten. Move-only: copies are explicit.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

namespace dbtrotate {

class SecretString {
 public:
  SecretString() = default;
  /// Takes the string and wipes the caller's buffer.
  explicit SecretString(std::string&& value);
  /// Copies from a view; the caller must wipe its own buffer.
  static SecretString CopyOf(std::string_view value);
  ~SecretString();

  SecretString(SecretString&& other) noexcept;
  SecretString& operator=(SecretString&& other) noexcept;
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;

  SecretString Clone() const { return CopyOf(value_); }

  /// The plaintext. Every call site is a place a secret leaves the type: keep them few.
  std::string_view expose() const { return value_; }
  bool empty() const { return value_.empty(); }
  std::size_t size() const { return value_.size(); }

  /// Constant-time comparison, so tests and checks do not leak through timing.
  bool Equals(const SecretString& other) const;

  /// A safe description for logs: "<secret, N chars>".
  std::string Redacted() const;

  friend std::ostream& operator<<(std::ostream&, const SecretString&) = delete;

 private:
  void Wipe();
  std::string value_;
};

/// Wipes a plain string that held secret material (e.g. a serialized request body).
void WipeString(std::string& value);

}  // namespace dbtrotate

#endif  // DBTROTATE_CORE_SECRET_STRING_H_
