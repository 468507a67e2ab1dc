#include "emulators/dbtcloud/dbtcloud_emulator.h"

#include <httplib.h>

#include <charconv>
#include <utility>

namespace dbtrotate::emulators {
namespace {

// Whole-path patterns; the last group captures the optional trailing slash.
constexpr const char* kTokensPath = R"(/api/v3/accounts/(\d+)/service-tokens(/?))";
constexpr const char* kTokenPath = R"(/api/v3/accounts/(\d+)/service-tokens/(\d+)(/?))";
constexpr const char* kPermissionsPath =
    R"(/api/v3/accounts/(\d+)/service-tokens/(\d+)/permissions(/?))";
constexpr const char* kAccountPath = R"(/api/v3/accounts/(\d+)(/?))";
constexpr const char* kAccountsPath = R"(/api/v3/accounts(/?))";

enum class PathKind { kTokens, kToken, kPermissions, kAccount, kAccounts };

DbtOperation OperationFor(PathKind kind, Method method) {
  switch (kind) {
    case PathKind::kTokens:
      if (method == Method::kGet) return DbtOperation::kListServiceTokens;
      if (method == Method::kPost) return DbtOperation::kCreateServiceToken;
      break;
    case PathKind::kToken:
      if (method == Method::kGet) return DbtOperation::kGetServiceToken;
      if (method == Method::kPut) return DbtOperation::kUpdateServiceToken;
      if (method == Method::kDelete) return DbtOperation::kDeleteServiceToken;
      break;
    case PathKind::kPermissions:
      if (method == Method::kGet) return DbtOperation::kListServiceTokenPermissions;
      if (method == Method::kPost) return DbtOperation::kCreateServiceTokenPermissions;
      break;
    case PathKind::kAccount:
      if (method == Method::kGet) return DbtOperation::kGetAccount;
      break;
    case PathKind::kAccounts:
      if (method == Method::kGet) return DbtOperation::kListAccounts;
      break;
  }
  return DbtOperation::kMethodNotAllowed;
}

std::int64_t PathId(const std::string& text) {
  std::int64_t value = -1;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() ? value : -1;
}

DbtRequest ToDbtRequest(PathKind kind, DbtOperation operation, const httplib::Request& request) {
  DbtRequest dbt;
  dbt.operation = operation;
  dbt.method = request.method;
  const auto& matches = request.matches;
  const std::size_t groups = matches.size();
  dbt.trailing_slash = groups > 0 && matches[groups - 1].str() == "/";
  if (kind != PathKind::kAccounts && groups > 1) dbt.account_id = PathId(matches[1].str());
  if ((kind == PathKind::kToken || kind == PathKind::kPermissions) && groups > 2) {
    dbt.token_id = PathId(matches[2].str());
  }
  for (const auto& [key, value] : request.params) dbt.query.emplace(key, value);
  dbt.authorization = request.get_header_value("Authorization");
  dbt.body = request.body;
  return dbt;
}

void WriteReply(DbtReply& reply, httplib::Response& response) {
  response.status = reply.status;
  for (const auto& [name, value] : reply.headers) response.set_header(name, value);
  if (!reply.body.empty()) response.set_content(reply.body, "application/json");
}

}  // namespace

DbtCloudEmulator::DbtCloudEmulator(DbtCloudEmulatorOptions options)
    : options_(std::move(options)),
      service_(options_.clock != nullptr ? *options_.clock : SystemClock::Instance(),
               options_.random != nullptr ? *options_.random : SecureRandom::Instance()) {
  service_.SetBehavior(options_.behavior);
  RegisterRoutes();
}

DbtCloudEmulator::~DbtCloudEmulator() { Stop(); }

Result<void, std::string> DbtCloudEmulator::Start() { return server_.Start(options_.server); }

void DbtCloudEmulator::Stop() { server_.Stop(); }

void DbtCloudEmulator::RegisterRoutes() {
  // Most specific first: httplib tries routes in registration order.
  const std::pair<PathKind, const char*> paths[] = {
      {PathKind::kPermissions, kPermissionsPath}, {PathKind::kToken, kTokenPath},
      {PathKind::kTokens, kTokensPath},           {PathKind::kAccount, kAccountPath},
      {PathKind::kAccounts, kAccountsPath},
  };
  for (const auto& [kind, pattern] : paths) {
    for (Method method :
         {Method::kGet, Method::kPost, Method::kPut, Method::kDelete, Method::kPatch}) {
      const DbtOperation operation = OperationFor(kind, method);
      server_.Route(method, pattern, std::string(DbtOperationName(operation)),
                    [this, kind = kind, operation](const httplib::Request& request,
                                                   httplib::Response& response) {
                      DbtReply reply = service_.Handle(ToDbtRequest(kind, operation, request));
                      WriteReply(reply, response);
                    });
    }
  }
  server_.SetFallback([](const httplib::Request&, httplib::Response& response) {
    SetJsonBody(response, 404, R"({"detail": "Not found."})");
  });
}

}  // namespace dbtrotate::emulators
