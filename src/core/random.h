#ifndef DBTROTATE_CORE_RANDOM_H_
#define DBTROTATE_CORE_RANDOM_H_

// Randomness is injected: jitter and idempotency tokens come from here, so tests can fix them.

#include <cstdint>
#include <mutex>
#include <random>
#include <string>

namespace dbtrotate {

class Random {
 public:
  virtual ~Random() = default;
  /// Uniform in [0, 1).
  virtual double NextUnit() = 0;
  /// Random bytes; the real implementation uses OpenSSL's CSPRNG.
  virtual void Fill(unsigned char* out, std::size_t size) = 0;
  /// An RFC 4122 version-4 UUID in lowercase text, from Fill().
  std::string UuidV4();
};

/// OpenSSL RAND_bytes: suitable for tokens and ids.
class SecureRandom final : public Random {
 public:
  double NextUnit() override;
  void Fill(unsigned char* out, std::size_t size) override;
  static SecureRandom& Instance();
};

/// Deterministic, for tests only.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  double NextUnit() override;
  void Fill(unsigned char* out, std::size_t size) override;

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

}  // namespace dbtrotate

#endif  // DBTROTATE_CORE_RANDOM_H_
