#ifndef DBTROTATE_CORE_SECRET_STRING_H_
#define DBTROTATE_CORE_SECRET_STRING_H_

// SecretString holds a credential (a dbt token, an AWS secret key, a whole secret value).
// It cannot be streamed, formatted or implicitly converted, so a token cannot reach a log
// line by accident; reading it takes an explicit, greppable `expose()`. Its bytes are wiped
// with OPENSSL_cleanse when it is destroyed or overwritten. Move-only: copies are explicit.
// The bytes live in OpenSSL's secure heap (or on pages of their own when it is full), locked in
// memory (never swapped) and excluded from core dumps, where the platform allows it (best
// effort: never an error when it does not).

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

namespace dbtrotate {

namespace secret_memory {

/// Memory that is locked (never swapped) and left out of core dumps where the platform allows:
/// a chunk of OpenSSL's secure heap, one arena made on first use; when that is full, whole
/// pages of their own, mlock'ed and MADV_DONTDUMP'ed. Throws std::bad_alloc.
void* Allocate(std::size_t bytes);
/// Wipes what Allocate returned and gives it back.
void Free(void* pointer, std::size_t bytes) noexcept;
/// True when `pointer` is in the secure heap's arena (for tests).
bool InSecureHeap(const void* pointer);

template <class T>
struct Allocator {
  using value_type = T;
  Allocator() = default;
  template <class U>
  explicit Allocator(const Allocator<U>& /*other*/) {}
  T* allocate(std::size_t n) { return static_cast<T*>(Allocate(n * sizeof(T))); }
  void deallocate(T* pointer, std::size_t n) noexcept { Free(pointer, n * sizeof(T)); }
  friend bool operator==(const Allocator&, const Allocator&) { return true; }
};

}  // namespace secret_memory

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
  using Buffer = std::basic_string<char, std::char_traits<char>, secret_memory::Allocator<char>>;
  /// Copies into value_, always on its own pages: never in the string's inline (SSO) buffer,
  /// which would be wherever the SecretString itself is.
  void Assign(std::string_view value);
  void Wipe();
  Buffer value_;
};

/// Wipes a plain string that held secret material (e.g. a serialized request body).
void WipeString(std::string& value);

}  // namespace dbtrotate

#endif  // DBTROTATE_CORE_SECRET_STRING_H_
