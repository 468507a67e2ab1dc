#ifndef DBTROTATE_TESTS_ROTATION_FAKE_WORLD_H_
#define DBTROTATE_TESTS_ROTATION_FAKE_WORLD_H_

#include <memory>
#include <vector>

#include "fake_dbt_cloud.h"
#include "fake_secrets_manager.h"
#include "world.h"

namespace dbtrotate::testing {

struct FakeWorldOptions {
  FakeSecretsManagerOptions secrets;
  FakeDbtOptions dbt;
};

class FakeWorld final : public World {
 public:
  explicit FakeWorld(FakeWorldOptions options = {});

  aws::SecretsManagerApi& Secrets() override { return secrets_; }
  rotation::DbtApiFactory DbtFactory() override { return dbt_->Factory(); }
  FakeClock& Clock() override { return clock_; }
  Random& Rand() override { return random_; }
  rotation::ConnectionInfo Connection() const override;
  SecretString AdminToken() override { return admin_.token.Clone(); }
  bool CreateBinarySecret(const std::string& name) override;
  std::vector<std::string> AllIssuedTokenStrings() override { return dbt_->AllTokenStrings(); }

  FakeSecretsManager& secrets() { return secrets_; }
  FakeDbtCloud& dbt() { return *dbt_; }

 private:
  FakeClock clock_;
  SeededRandom random_;
  FakeSecretsManager secrets_;
  std::shared_ptr<FakeDbtCloud> dbt_;
  FakeDbtCloud::Issued admin_;
};

/// The fake worlds every scenario suite runs over: the default, and each uncertain variant.
std::vector<WorldParam> FakeWorlds();

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_ROTATION_FAKE_WORLD_H_
