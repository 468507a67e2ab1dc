#ifndef DBTROTATE_TESTS_ROTATION_HOOKED_API_H_
#define DBTROTATE_TESTS_ROTATION_HOOKED_API_H_

// A ServiceTokenApi decorator whose create and read can be bent by a test (dbt dropping a
// grant, a token not accepted yet, a mangled token string). Works over any World.

#include <functional>
#include <memory>

#include "dbtcloud/api.h"
#include "rotation/options.h"

namespace dbtrotate::testing {

struct ApiHooks {
  /// Replaces CreateServiceToken: gets the inner API and the request.
  std::function<dbtcloud::DbtResult<dbtcloud::CreatedToken>(
      dbtcloud::ServiceTokenApi&, const std::string&,
      const std::vector<dbtcloud::PermissionGrant>&)>
      create;
  /// Replaces GetServiceToken.
  std::function<dbtcloud::DbtResult<dbtcloud::ServiceToken>(dbtcloud::ServiceTokenApi&,
                                                            std::int64_t)>
      get;
};

class HookedApi final : public dbtcloud::ServiceTokenApi {
 public:
  HookedApi(std::unique_ptr<dbtcloud::ServiceTokenApi> inner, std::shared_ptr<ApiHooks> hooks)
      : inner_(std::move(inner)), hooks_(std::move(hooks)) {}
  dbtcloud::DbtResult<std::vector<dbtcloud::ServiceToken>> ListServiceTokens(bool a) override {
    return inner_->ListServiceTokens(a);
  }
  dbtcloud::DbtResult<dbtcloud::CreatedToken> CreateServiceToken(
      const std::string& name, const std::vector<dbtcloud::PermissionGrant>& grants) override {
    if (hooks_->create) return hooks_->create(*inner_, name, grants);
    return inner_->CreateServiceToken(name, grants);
  }
  dbtcloud::DbtResult<dbtcloud::ServiceToken> GetServiceToken(std::int64_t id) override {
    if (hooks_->get) return hooks_->get(*inner_, id);
    return inner_->GetServiceToken(id);
  }
  dbtcloud::DbtResult<dbtcloud::ServiceToken> RenameServiceToken(std::int64_t id,
                                                                 const std::string& n) override {
    return inner_->RenameServiceToken(id, n);
  }
  dbtcloud::DbtResult<dbtcloud::DeleteOutcome> DeleteServiceToken(std::int64_t id) override {
    return inner_->DeleteServiceToken(id);
  }
  dbtcloud::DbtResult<std::vector<dbtcloud::PermissionRow>> ListPermissions(
      std::int64_t id) override {
    return inner_->ListPermissions(id);
  }
  std::unique_ptr<dbtcloud::ServiceTokenApi> WithToken(SecretString token) const override {
    return std::make_unique<HookedApi>(inner_->WithToken(std::move(token)), hooks_);
  }

 private:
  std::unique_ptr<dbtcloud::ServiceTokenApi> inner_;
  std::shared_ptr<ApiHooks> hooks_;
};

inline rotation::DbtApiFactory HookedFactory(rotation::DbtApiFactory inner,
                                             std::shared_ptr<ApiHooks> hooks) {
  return [inner = std::move(inner), hooks = std::move(hooks)](
             const rotation::ConnectionInfo& c,
             SecretString t) -> std::unique_ptr<dbtcloud::ServiceTokenApi> {
    return std::make_unique<HookedApi>(inner(c, std::move(t)), hooks);
  };
}

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_ROTATION_HOOKED_API_H_
