#include "fake_dbt_cloud.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "rotation/iso_time.h"

namespace dbtrotate::testing {
namespace {

using dbtcloud::ErrorCode;

dbtcloud::Error Err(ErrorCode code, int status, std::string message) {
  return dbtcloud::Error{code, status, std::move(message), false};
}

dbtcloud::Error Unauthenticated() {
  return Err(ErrorCode::kUnauthenticated, 401, "Invalid token.");
}

dbtcloud::Error NotFound() {
  return Err(ErrorCode::kForbiddenOrNotFound, 404,
             "The requested resource was not found. Please check that you have the proper "
             "permissions.");
}

// The handle the engine holds: a connection plus the token it acts with.
class FakeDbtApi final : public dbtcloud::ServiceTokenApi {
 public:
  FakeDbtApi(std::shared_ptr<FakeDbtCloud> cloud, FakeDbtCloud::Caller caller)
      : cloud_(std::move(cloud)), caller_(std::move(caller)) {}
  ~FakeDbtApi() override { WipeString(caller_.token); }

  dbtcloud::DbtResult<std::vector<dbtcloud::ServiceToken>> ListServiceTokens(
      bool active_only) override {
    return cloud_->List(caller_, active_only);
  }
  dbtcloud::DbtResult<dbtcloud::CreatedToken> CreateServiceToken(
      const std::string& name, const std::vector<dbtcloud::PermissionGrant>& grants) override {
    return cloud_->Create(caller_, name, grants);
  }
  dbtcloud::DbtResult<dbtcloud::ServiceToken> GetServiceToken(std::int64_t id) override {
    return cloud_->Get(caller_, id);
  }
  dbtcloud::DbtResult<dbtcloud::ServiceToken> RenameServiceToken(std::int64_t id,
                                                                 const std::string& name) override {
    return cloud_->Rename(caller_, id, name);
  }
  dbtcloud::DbtResult<dbtcloud::DeleteOutcome> DeleteServiceToken(std::int64_t id) override {
    return cloud_->Delete(caller_, id);
  }
  dbtcloud::DbtResult<std::vector<dbtcloud::PermissionRow>> ListPermissions(
      std::int64_t token_id) override {
    return cloud_->Permissions(caller_, token_id);
  }
  std::unique_ptr<dbtcloud::ServiceTokenApi> WithToken(SecretString token) const override {
    return std::make_unique<FakeDbtApi>(
        cloud_, FakeDbtCloud::Caller{caller_.connection, std::string(token.expose())});
  }

 private:
  std::shared_ptr<FakeDbtCloud> cloud_;
  FakeDbtCloud::Caller caller_;
};

}  // namespace

FakeDbtCloud::FakeDbtCloud(Clock& clock, Random& random, FakeDbtOptions options)
    : clock_(clock), random_(random), options_(std::move(options)) {}

std::string FakeDbtCloud::NewTokenString() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  unsigned char bytes[50];
  random_.Fill(bytes, sizeof(bytes));
  std::string token = "dbtc_";
  for (unsigned char b : bytes) token.push_back(kAlphabet[b % 64]);
  return token;
}

std::string FakeDbtCloud::NewUid() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char bytes[16];
  random_.Fill(bytes, sizeof(bytes));
  std::string uid;
  for (unsigned char b : bytes) uid.push_back(kAlphabet[b % 36]);
  return uid;
}

std::string FakeDbtCloud::Timestamp(SystemTime time) const {
  std::string text = rotation::FormatIsoTime(time);  // …+00:00
  if (options_.zulu_timestamps) text = text.substr(0, text.size() - 6) + "Z";
  return text;
}

FakeDbtCloud::Issued FakeDbtCloud::Insert(const std::string& name,
                                          const std::vector<dbtcloud::PermissionGrant>& grants,
                                          SystemTime created_at) {
  Record record;
  record.row.id = ++next_id_;
  record.row.account_id = options_.account_id;
  record.row.uid = NewUid();
  record.row.name = name;
  record.row.state = dbtcloud::kStateActive;
  record.row.created_at = Timestamp(created_at);
  record.row.updated_at = record.row.created_at;
  record.token = NewTokenString();
  // "dbtc_" + uid + the secret part, as the uid is "part of the token secret".
  if (options_.uid_in_token) record.token.replace(5, record.row.uid.size(), record.row.uid);
  record.grants = grants;
  Issued issued{record.row.id, SecretString::CopyOf(record.token)};
  tokens_[record.row.id] = std::move(record);
  return issued;
}

FakeDbtCloud::Issued FakeDbtCloud::AddToken(const std::string& name,
                                            const std::vector<dbtcloud::PermissionGrant>& grants,
                                            std::optional<SystemTime> created_at) {
  std::lock_guard lock(mutex_);
  return Insert(name, grants, created_at.value_or(clock_.Now()));
}

std::optional<dbtcloud::ServiceToken> FakeDbtCloud::Token(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  auto it = tokens_.find(id);
  if (it == tokens_.end()) return std::nullopt;
  return View(it->second);
}

std::vector<dbtcloud::ServiceToken> FakeDbtCloud::Tokens() const {
  std::lock_guard lock(mutex_);
  std::vector<dbtcloud::ServiceToken> out;
  for (const auto& [id, record] : tokens_) out.push_back(View(record));
  return out;
}

std::vector<std::string> FakeDbtCloud::AllTokenStrings() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [id, record] : tokens_) out.push_back(record.token);
  return out;
}

int FakeDbtCloud::writes() const {
  std::lock_guard lock(mutex_);
  return writes_;
}

std::unique_ptr<dbtcloud::ServiceTokenApi> FakeDbtCloud::Api(
    const rotation::ConnectionInfo& connection, SecretString token) {
  return std::make_unique<FakeDbtApi>(shared_from_this(),
                                      Caller{connection, std::string(token.expose())});
}

rotation::DbtApiFactory FakeDbtCloud::Factory() {
  std::weak_ptr<FakeDbtCloud> self = weak_from_this();
  return [self](const rotation::ConnectionInfo& connection,
                SecretString token) -> std::unique_ptr<dbtcloud::ServiceTokenApi> {
    auto cloud = self.lock();
    if (!cloud || connection.access_url.empty()) return nullptr;
    return cloud->Api(connection, std::move(token));
  };
}

dbtcloud::DbtResult<const FakeDbtCloud::Record*> FakeDbtCloud::Authenticate(
    const Caller& caller) const {
  // A wrong host is what a cell-based account answers on the legacy URL: 401.
  if (caller.connection.access_url != options_.access_url) return Fail(Unauthenticated());
  for (const auto& [id, record] : tokens_) {
    if (record.token == caller.token) {
      if (!record.row.active()) return Fail(Unauthenticated());
      if (caller.connection.account_id != options_.account_id) return Fail(NotFound());
      return &record;
    }
  }
  return Fail(Unauthenticated());
}

bool FakeDbtCloud::IsAdmin(const Record& record) {
  return std::any_of(record.grants.begin(), record.grants.end(), [](const auto& g) {
    return g.permission_set == "account_admin" && !g.project_id;
  });
}

dbtcloud::ServiceToken FakeDbtCloud::View(const Record& record) const {
  dbtcloud::ServiceToken row = record.row;
  row.permission_grants = record.grants;
  return row;
}

dbtcloud::DbtResult<std::vector<dbtcloud::ServiceToken>> FakeDbtCloud::List(const Caller& caller,
                                                                            bool active_only) {
  std::lock_guard lock(mutex_);
  auto me = Authenticate(caller);
  if (!me) return Fail(me.error());
  if (!IsAdmin(**me)) return Fail(NotFound());
  std::vector<dbtcloud::ServiceToken> out;
  for (const auto& [id, record] : tokens_) {
    if (active_only && !record.row.active()) continue;
    dbtcloud::ServiceToken row = record.row;  // list rows: no grants
    out.push_back(std::move(row));
  }
  return out;
}

dbtcloud::DbtResult<dbtcloud::CreatedToken> FakeDbtCloud::Create(
    const Caller& caller, const std::string& name,
    const std::vector<dbtcloud::PermissionGrant>& grants) {
  std::lock_guard lock(mutex_);
  auto me = Authenticate(caller);
  if (!me) return Fail(me.error());
  if (!IsAdmin(**me)) return Fail(NotFound());
  if (name.empty()) return Fail(Err(ErrorCode::kValidation, 400, "name: This field is required."));
  for (const auto& grant : grants) {
    if (grant.permission_set.empty() || grant.permission_set == "fusion_admin") {
      return Fail(Err(ErrorCode::kValidation, 400, "invalid permission_set"));
    }
  }
  ++writes_;
  Issued issued = Insert(name, grants, clock_.Now());
  dbtcloud::CreatedToken created;
  created.token = View(tokens_.at(issued.id));
  created.token_string = std::move(issued.token);
  return created;
}

dbtcloud::DbtResult<dbtcloud::ServiceToken> FakeDbtCloud::Get(const Caller& caller,
                                                              std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto me = Authenticate(caller);
  if (!me) return Fail(me.error());
  if (!IsAdmin(**me)) {
    if ((*me)->row.id != id) return Fail(NotFound());
    switch (options_.non_admin_self_read) {
      case FakeDbtOptions::SelfRead::kAllowed:
        break;
      case FakeDbtOptions::SelfRead::kForbidden:
        return Fail(Err(ErrorCode::kForbiddenOrNotFound, 403, "Forbidden"));
      case FakeDbtOptions::SelfRead::kNotFound:
        return Fail(NotFound());
    }
  }
  auto it = tokens_.find(id);
  if (it == tokens_.end()) return Fail(NotFound());
  dbtcloud::ServiceToken row = View(it->second);
  if (!options_.get_includes_grants) row.permission_grants.reset();
  return row;
}

dbtcloud::DbtResult<dbtcloud::ServiceToken> FakeDbtCloud::Rename(const Caller& caller,
                                                                 std::int64_t id,
                                                                 const std::string& name) {
  std::lock_guard lock(mutex_);
  auto me = Authenticate(caller);
  if (!me) return Fail(me.error());
  if (!IsAdmin(**me)) return Fail(NotFound());
  auto it = tokens_.find(id);
  if (it == tokens_.end()) return Fail(NotFound());
  ++writes_;
  it->second.row.name = name;
  return View(it->second);
}

dbtcloud::DbtResult<dbtcloud::DeleteOutcome> FakeDbtCloud::Delete(const Caller& caller,
                                                                  std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto me = Authenticate(caller);
  if (!me) return Fail(me.error());
  if (!IsAdmin(**me)) return Fail(NotFound());
  auto it = tokens_.find(id);
  if (it == tokens_.end()) return dbtcloud::DeleteOutcome::kAlreadyGone;
  ++writes_;
  it->second.row.state = dbtcloud::kStateDeleted;  // soft delete: still listed and readable
  it->second.row.updated_at = Timestamp(clock_.Now());
  return dbtcloud::DeleteOutcome::kDeleted;
}

dbtcloud::DbtResult<std::vector<dbtcloud::PermissionRow>> FakeDbtCloud::Permissions(
    const Caller& caller, std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto me = Authenticate(caller);
  if (!me) return Fail(me.error());
  if (!IsAdmin(**me)) return Fail(NotFound());
  auto it = tokens_.find(id);
  if (it == tokens_.end()) return Fail(NotFound());
  std::vector<dbtcloud::PermissionRow> rows;
  std::int64_t row_id = id * 1000;
  for (const auto& grant : it->second.grants) {
    dbtcloud::PermissionRow row;
    row.id = ++row_id;
    row.service_token_id = id;
    row.project_id = grant.project_id;
    row.all_projects = !grant.project_id;
    row.permission_set = grant.permission_set;
    row.writable_environment_categories =
        grant.writable_environment_categories.value_or(std::vector<std::string>{});
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace dbtrotate::testing
