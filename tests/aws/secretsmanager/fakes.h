#ifndef DBTROTATE_TESTS_AWS_SECRETSMANAGER_FAKES_H_
#define DBTROTATE_TESTS_AWS_SECRETSMANAGER_FAKES_H_

// Test doubles for SecretsManagerClient: a scripted http::Client that records every request,
// a credentials provider with switchable credentials, and a Random with a fixed unit value.

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aws/credentials/credentials.h"
#include "core/random.h"
#include "http/client.h"
#include "support/scripted_http_client.h"

namespace dbtrotate::aws::testing {

using dbtrotate::testing::MakeResponse;
using dbtrotate::testing::ScriptedHttpClient;

inline constexpr char kAccessKey[] = "AKIDEXAMPLE";
inline constexpr char kSecretKey[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

class FakeCredentialsProvider final : public CredentialsProvider {
 public:
  FakeCredentialsProvider();
  CredentialsResult Resolve() override;

  void Set(std::string access_key_id, std::string secret, std::string token = "");
  void FailWith(std::string message) { failure_ = std::move(message); }
  int resolve_count() const { return resolve_count_; }
  void Invalidate() override { ++invalidate_count_; }
  int invalidate_count() const { return invalidate_count_; }

 private:
  std::shared_ptr<const Credentials> current_;
  std::string failure_;
  int resolve_count_ = 0;
  int invalidate_count_ = 0;
};

class FixedRandom final : public Random {
 public:
  explicit FixedRandom(double unit) : unit_(unit) {}
  double NextUnit() override { return unit_; }
  void Fill(unsigned char* out, std::size_t size) override;

 private:
  double unit_;
  unsigned char next_ = 0;
};

/// The value of the first header with this name (case-insensitive), or "<absent>".
std::string HeaderOf(const http::Request& request, std::string_view name);

}  // namespace dbtrotate::aws::testing

#endif  // DBTROTATE_TESTS_AWS_SECRETSMANAGER_FAKES_H_
