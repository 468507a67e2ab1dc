#ifndef DBTROTATE_DBTCLOUD_CLIENT_H_
#define DBTROTATE_DBTCLOUD_CLIENT_H_

// ServiceTokenApi over HTTP: dbt Cloud's Admin API v3 service-token endpoints
// (shared/reference/dbt-cloud-service-token-api.md). Retries are the http::Client's business
// (production passes an http::RetryingClient over an http::CurlClient); this class marks which
// requests are safe to retry: GET/PUT/DELETE are, the create POST is not.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret_string.h"
#include "dbtcloud/access_url.h"
#include "dbtcloud/api.h"
#include "dbtcloud/http_errors.h"
#include "http/client.h"

namespace dbtrotate::dbtcloud {

struct ClientOptions {
  /// Pages per list call before giving up (100 rows a page): a runaway server cannot keep us
  /// paging forever.
  int max_pages = 1000;
};

class Client final : public ServiceTokenApi {
 public:
  static constexpr int kPageSize = 100;  // dbt's maximum `limit`

  /// Validates the access URL, the account id and the token's characters.
  static DbtResult<std::unique_ptr<Client>> Create(http::Client& http, std::string_view access_url,
                                                   std::int64_t account_id, SecretString token,
                                                   ClientOptions options = {});

  DbtResult<std::vector<ServiceToken>> ListServiceTokens(bool active_only) override;
  DbtResult<CreatedToken> CreateServiceToken(const std::string& name,
                                             const std::vector<PermissionGrant>& grants) override;
  DbtResult<ServiceToken> GetServiceToken(std::int64_t id) override;
  DbtResult<ServiceToken> RenameServiceToken(std::int64_t id, const std::string& name) override;
  DbtResult<DeleteOutcome> DeleteServiceToken(std::int64_t id) override;
  DbtResult<std::vector<PermissionRow>> ListPermissions(std::int64_t token_id) override;
  /// Same http::Client, URL, account and options. A token with characters no header may
  /// carry makes every call of the new client fail with kInvalidConfig.
  std::unique_ptr<ServiceTokenApi> WithToken(SecretString token) const override;

  const AccessUrl& access_url() const { return url_; }
  std::int64_t account_id() const { return account_id_; }

 private:
  Client(http::Client& http, AccessUrl url, std::int64_t account_id, SecretString token,
         ClientOptions options);

  std::string TokensPath() const;
  std::string TokenPath(std::int64_t id) const;
  RequestContext Context(std::string operation, http::Method method, std::string path) const;
  /// Sends with the standard headers; a transport error or non-2xx status becomes an Error.
  DbtResult<http::Response> Send(const RequestContext& context, const std::string& query,
                                 const std::string& body, bool idempotent);
  /// The `data` member of a 2xx JSON envelope.
  template <class T, class ParseFn>
  DbtResult<T> SendForObject(const RequestContext& context, const std::string& body, ParseFn parse);
  /// Every page of a list endpoint; each item goes through `parse`.
  template <class T, class ParseFn>
  DbtResult<std::vector<T>> ListAll(const RequestContext& context, const std::string& filter,
                                    ParseFn parse);
  Error Redacted(Error error) const;
  DbtResult<void> CheckUsable(const RequestContext& context) const;

  http::Client* http_;
  AccessUrl url_;
  std::int64_t account_id_;
  SecretString token_;
  ClientOptions options_;
};

}  // namespace dbtrotate::dbtcloud

#endif  // DBTROTATE_DBTCLOUD_CLIENT_H_
