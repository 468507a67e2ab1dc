#ifndef DBTROTATE_TESTS_ROTATION_FAKE_DBT_CLOUD_H_
#define DBTROTATE_TESTS_ROTATION_FAKE_DBT_CLOUD_H_

// An in-memory dbt Cloud account behind ServiceTokenApi, with the semantics the rotation must
// survive (shared/reference/dbt-cloud-service-token-api.md §4, §9): tokens `dbtc_` + 50 chars
// shown only at creation; soft delete to state 2 with deleted rows still listed and readable;
// only account_admin tokens manage tokens; a non-admin token reading itself gets 403 or 404
// (configurable); permission rows derived from the grants a token was created with.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "dbtcloud/api.h"
#include "rotation/options.h"

namespace dbtrotate::testing {

struct FakeDbtOptions {
  enum class SelfRead { kAllowed, kForbidden, kNotFound };
  std::int64_t account_id = 12345;
  std::string access_url = "ab123.us1.dbt.com";
  /// What a non-admin token gets when it reads its own row.
  SelfRead non_admin_self_read = SelfRead::kNotFound;
  /// Retrieve includes permission_grants (spec since 2026-02); else callers must read
  /// the permissions endpoint.
  bool get_includes_grants = true;
  /// created_at as "…Z" (else "…+00:00").
  bool zulu_timestamps = true;
  /// Token strings carry their uid ("part of the token secret"); false models strings that do
  /// not (tokens from before dbt's 2023-07 token change, or a server that changed the format).
  bool uid_in_token = true;
};

class FakeDbtCloud : public std::enable_shared_from_this<FakeDbtCloud> {
 public:
  FakeDbtCloud(Clock& clock, Random& random, FakeDbtOptions options = {});

  struct Issued {
    std::int64_t id = 0;
    SecretString token;
  };
  /// A token made outside the API (fixtures), created now or at `created_at`.
  Issued AddToken(const std::string& name, const std::vector<dbtcloud::PermissionGrant>& grants,
                  std::optional<SystemTime> created_at = std::nullopt);
  std::optional<dbtcloud::ServiceToken> Token(std::int64_t id) const;
  std::vector<dbtcloud::ServiceToken> Tokens() const;
  /// Every token string ever issued, for leak checks.
  std::vector<std::string> AllTokenStrings() const;
  int writes() const;
  const FakeDbtOptions& options() const { return options_; }

  /// An API acting with `token`, as the real client built for `connection` would.
  std::unique_ptr<dbtcloud::ServiceTokenApi> Api(const rotation::ConnectionInfo& connection,
                                                 SecretString token);
  rotation::DbtApiFactory Factory();

  struct Caller {
    rotation::ConnectionInfo connection;
    std::string token;
  };
  // The API's behaviour, called by the handles.
  dbtcloud::DbtResult<std::vector<dbtcloud::ServiceToken>> List(const Caller& caller,
                                                                bool active_only);
  dbtcloud::DbtResult<dbtcloud::CreatedToken> Create(
      const Caller& caller, const std::string& name,
      const std::vector<dbtcloud::PermissionGrant>& grants);
  dbtcloud::DbtResult<dbtcloud::ServiceToken> Get(const Caller& caller, std::int64_t id);
  dbtcloud::DbtResult<dbtcloud::ServiceToken> Rename(const Caller& caller, std::int64_t id,
                                                     const std::string& name);
  dbtcloud::DbtResult<dbtcloud::DeleteOutcome> Delete(const Caller& caller, std::int64_t id);
  dbtcloud::DbtResult<std::vector<dbtcloud::PermissionRow>> Permissions(const Caller& caller,
                                                                        std::int64_t id);

 private:
  struct Record {
    dbtcloud::ServiceToken row;
    std::string token;
    std::vector<dbtcloud::PermissionGrant> grants;
  };
  /// The caller's token record, or the error dbt would answer with.
  dbtcloud::DbtResult<const Record*> Authenticate(const Caller& caller) const;
  static bool IsAdmin(const Record& record);
  dbtcloud::ServiceToken View(const Record& record) const;
  std::string Timestamp(SystemTime time) const;
  std::string NewTokenString();
  std::string NewUid();
  Issued Insert(const std::string& name, const std::vector<dbtcloud::PermissionGrant>& grants,
                SystemTime created_at);

  Clock& clock_;
  Random& random_;
  FakeDbtOptions options_;
  mutable std::mutex mutex_;
  std::map<std::int64_t, Record> tokens_;
  std::int64_t next_id_ = 55640;
  int writes_ = 0;
};

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_ROTATION_FAKE_DBT_CLOUD_H_
