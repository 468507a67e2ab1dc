#ifndef DBTROTATE_TESTS_ROTATION_HARNESS_H_
#define DBTROTATE_TESTS_ROTATION_HARNESS_H_

// Scenario helpers over a World: fixtures (tokens, notebook-format secrets), engines (optionally
// behind a FaultPlan), inspection through the public APIs, and the rotation's invariants as
// gtest assertions.

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "faults.h"
#include "rotation/engine.h"
#include "rotation/secret_json.h"
#include "world.h"

namespace dbtrotate::testing {

inline const std::vector<dbtcloud::PermissionGrant>& AdminGrants() {
  static const std::vector<dbtcloud::PermissionGrant> grants = {
      {"account_admin", std::nullopt, std::vector<std::string>{}}};
  return grants;
}

/// Collects observer lines.
class RecordingObserver final : public rotation::Observer {
 public:
  void OnStep(const rotation::StepRecord& step) override;
  std::vector<std::string> lines() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

class Harness {
 public:
  explicit Harness(World& world);

  World& world() { return world_; }
  FakeClock& clock() { return world_.Clock(); }

  struct Token {
    std::int64_t id = 0;
    SecretString token;
    std::string name;
  };
  /// Created through the API with the admin token (created_at = now).
  Token CreateToken(const std::string& name, const std::vector<dbtcloud::PermissionGrant>& grants);
  void CreateSecret(const std::string& secret_id, const rotation::Json& value);
  /// Exactly the notebook's three keys, plus `extra`.
  void SeedSecret(const std::string& secret_id, const Token& token, SystemTime last_rotated,
                  const rotation::Json& extra = rotation::Json::object());

  /// Options for a first run on a notebook secret: account and access URL given.
  rotation::RotateOptions Options(const std::string& secret_id) const;

  /// An engine over the world's services, through `plan` when given. The harness keeps the
  /// decorators alive.
  rotation::Engine MakeEngine(std::shared_ptr<FaultPlan> plan = nullptr,
                              rotation::Observer* observer = nullptr);
  /// A plan that counts calls and writes, with no fault armed.
  rotation::Report Rotate(const rotation::RotateOptions& options,
                          std::shared_ptr<FaultPlan> plan = nullptr,
                          rotation::Observer* observer = nullptr);

  // Inspection (through the APIs, with the admin token).
  rotation::Json Current(const std::string& secret_id);
  std::int64_t CurrentTokenId(const std::string& secret_id);
  aws::SecretDescription Describe(const std::string& secret_id);
  /// AWSPENDING on a version other than AWSCURRENT's.
  std::optional<std::string> UnfinishedPending(const std::string& secret_id);
  std::vector<dbtcloud::ServiceToken> Tokens();
  std::set<std::int64_t> ActiveIds(const std::string& name);
  bool IsActive(std::int64_t id);
  std::vector<dbtcloud::PermissionGrant> GrantsOf(std::int64_t id);

  /// Guarantee 1: AWSCURRENT holds a token dbt shows active and accepts.
  ::testing::AssertionResult CurrentTokenWorks(const std::string& secret_id);

 private:
  std::unique_ptr<dbtcloud::ServiceTokenApi> Admin();

  World& world_;
  std::mutex decorators_mutex_;  // tests run engines from several threads at once
  std::vector<std::unique_ptr<aws::SecretsManagerApi>> decorators_;
};

/// Runs `probe` after every call of `plan` and remembers the first failure (thread-safe).
class InvariantProbe {
 public:
  InvariantProbe(FaultPlan& plan, std::function<::testing::AssertionResult()> probe);
  /// Success, or the first failure with the call it followed.
  ::testing::AssertionResult Result() const;

 private:
  mutable std::mutex mutex_;
  std::optional<std::string> failure_;
};

/// Every line a run produced for people: the formatted report plus the observer's lines.
std::vector<std::string> AllText(const rotation::Report& report,
                                 const std::vector<std::string>& observer_lines);

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_ROTATION_HARNESS_H_
