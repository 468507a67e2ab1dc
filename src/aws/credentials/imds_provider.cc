#include "aws/credentials/imds_provider.h"

#include <optional>

#include "aws/credentials/credentials_json.h"
#include "aws/credentials/endpoints.h"
#include "aws/credentials/text_util.h"
#include "core/ascii.h"
#include "core/secret_string.h"

namespace dbtrotate::aws {

namespace {

constexpr char kTokenPath[] = "/latest/api/token";
constexpr char kRolesPath[] = "/latest/meta-data/iam/security-credentials/";
constexpr char kTokenTtlHeader[] = "x-aws-ec2-metadata-token-ttl-seconds";
constexpr char kTokenHeader[] = "x-aws-ec2-metadata-token";

std::string DescribeTransport(const http::Error& error) {
  return std::string(http::ErrorKindName(error.kind)) + ": " + error.message;
}

class ImdsFetcher {
 public:
  ImdsFetcher(ImdsSettings settings, http::Client& http)
      : settings_(std::move(settings)), http_(http) {}

  CredentialsResult Fetch() {
    auto token = FetchToken();
    if (!token) return Fail(std::move(token.error()));
    std::optional<SecretString> session = std::move(*token);

    auto roles = Get(kRolesPath, session);
    if (!roles) return Fail(std::move(roles.error()));
    if (roles->status == 404) {
      return Fail(Error("no IAM role is attached to this instance (" + std::string(kRolesPath) +
                        " returned 404)"));
    }
    if (!roles->IsSuccess()) {
      return Fail(
          Error(std::string(kRolesPath) + " returned HTTP " + std::to_string(roles->status)));
    }
    std::string_view listing = Trim(roles->body);
    std::string role(Trim(listing.substr(0, listing.find('\n'))));
    if (role.empty()) return Fail(Error("no IAM role is attached to this instance"));
    if (role.find_first_of("/?#% ") != std::string::npos) {
      return Fail(Error("IMDS returned an unexpected role name \"" + Printable(role, 100) + "\""));
    }

    auto document = Get(kRolesPath + role, session);
    if (!document) return Fail(std::move(document.error()));
    if (!document->IsSuccess()) {
      return Fail(Error("the credentials of role " + role + " returned HTTP " +
                        std::to_string(document->status)));
    }
    auto parsed = ParseCredentialsJson(
        document->body, CredentialsJsonShape{.what = "EC2 instance metadata (role " + role + ")",
                                             .token_field = "Token",
                                             .token_required = true,
                                             .expiration_required = true,
                                             .check_code = true});
    if (!parsed) return Fail(CredentialsError{parsed.error()});
    auto credentials = std::make_shared<Credentials>(std::move(*parsed));
    credentials->source = "EC2 instance metadata (role " + role + ")";
    return std::shared_ptr<const Credentials>(std::move(credentials));
  }

 private:
  CredentialsError Error(const std::string& what) const {
    return CredentialsError{"EC2 instance metadata at " + settings_.endpoint + ": " + what};
  }

  // nullopt inside = use IMDSv1.
  Result<std::optional<SecretString>, CredentialsError> FetchToken() {
    http::Request request(http::Method::kPut, settings_.endpoint + kTokenPath);
    request.idempotent = true;
    request.timeout = settings_.timeout;
    request.AddHeader(kTokenTtlHeader, "21600");
    http::HttpResult response = http_.Send(request);
    bool v2_unavailable = false;
    std::string why;
    if (!response) {
      if (response.error().kind != http::ErrorKind::kTimeout) {
        return Fail(Error("not reachable (" + DescribeTransport(response.error()) + ")"));
      }
      v2_unavailable = true;
      why = "the IMDSv2 token request timed out";
    } else if (response->status == 403 || response->status == 404 || response->status == 405) {
      v2_unavailable = true;
      why = "the IMDSv2 token request returned HTTP " + std::to_string(response->status);
    } else if (!response->IsSuccess()) {
      return Fail(
          Error("the IMDSv2 token request returned HTTP " + std::to_string(response->status)));
    }
    if (v2_unavailable) {
      if (!settings_.v1_fallback_allowed) {
        return Fail(Error(why + " and IMDSv1 fallback is disabled (AWS_EC2_METADATA_V1_DISABLED)"));
      }
      return std::optional<SecretString>();
    }
    std::string body = std::move(response->body);
    SecretString token = SecretString::CopyOf(Trim(body));
    WipeString(body);
    if (token.empty()) return Fail(Error("the IMDSv2 token request returned an empty token"));
    return std::optional<SecretString>(std::move(token));
  }

  // GET with the session token; a 401 means the token expired: fetch a new one and retry once.
  Result<http::Response, CredentialsError> Get(const std::string& path,
                                               std::optional<SecretString>& token) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      http::Request request(http::Method::kGet, settings_.endpoint + path);
      request.idempotent = true;
      request.timeout = settings_.timeout;
      if (token) request.AddHeader(kTokenHeader, std::string(token->expose()));
      http::HttpResult response = http_.Send(request);
      if (!response) {
        return Fail(Error("GET " + path + " failed (" + DescribeTransport(response.error()) + ")"));
      }
      if (response->status == 401 && token && attempt == 0) {
        auto renewed = FetchToken();
        if (!renewed) return Fail(std::move(renewed.error()));
        token = std::move(*renewed);
        continue;
      }
      return std::move(*response);
    }
    return Fail(Error("GET " + path + " was refused (HTTP 401) with a fresh token"));
  }

  ImdsSettings settings_;
  http::Client& http_;
};

const std::string* ProfileValue(const Profile* profile, std::string_view key) {
  return profile != nullptr ? profile->Get(key) : nullptr;
}

}  // namespace

Result<std::optional<ImdsSettings>, CredentialsError> ImdsSettingsFrom(const Environment& env,
                                                                       const Profile* profile,
                                                                       std::string* skip_reason) {
  if (auto disabled = env.Get("AWS_EC2_METADATA_DISABLED")) {
    auto value = ParseBoolSetting("AWS_EC2_METADATA_DISABLED", *disabled);
    if (!value) return Fail(CredentialsError{value.error()});
    if (*value) {
      if (skip_reason != nullptr) *skip_reason = "disabled by AWS_EC2_METADATA_DISABLED=true";
      return std::optional<ImdsSettings>();
    }
  }
  ImdsSettings settings;
  std::optional<std::string> endpoint = env.Get("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  std::string endpoint_source = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
  if (!endpoint) {
    if (const std::string* value = ProfileValue(profile, "ec2_metadata_service_endpoint")) {
      endpoint = *value;
      endpoint_source = "ec2_metadata_service_endpoint in profile " + profile->name;
    }
  }
  if (endpoint) {
    auto valid = ValidateEndpointUrl(*endpoint, endpoint_source);
    if (!valid) return Fail(CredentialsError{valid.error()});
    while (!endpoint->empty() && endpoint->back() == '/') endpoint->pop_back();
    settings.endpoint = *endpoint;
  } else {
    std::optional<std::string> mode = env.Get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
    if (!mode) {
      if (const std::string* value = ProfileValue(profile, "ec2_metadata_service_endpoint_mode")) {
        mode = *value;
      }
    }
    if (mode && AsciiEqualsIgnoreCase(*mode, "IPv6")) {
      settings.endpoint = kImdsIpv6Endpoint;
    } else if (mode && !AsciiEqualsIgnoreCase(*mode, "IPv4")) {
      return Fail(CredentialsError{"the EC2 metadata endpoint mode must be IPv4 or IPv6, not \"" +
                                   Printable(*mode, 40) + "\""});
    }
  }
  std::optional<std::string> v1_disabled = env.Get("AWS_EC2_METADATA_V1_DISABLED");
  std::string v1_source = "AWS_EC2_METADATA_V1_DISABLED";
  if (!v1_disabled) {
    if (const std::string* value = ProfileValue(profile, "ec2_metadata_v1_disabled")) {
      v1_disabled = *value;
      v1_source = "ec2_metadata_v1_disabled in profile " + profile->name;
    }
  }
  if (v1_disabled) {
    auto value = ParseBoolSetting(v1_source, *v1_disabled);
    if (!value) return Fail(CredentialsError{value.error()});
    settings.v1_fallback_allowed = !*value;
  }
  return std::optional<ImdsSettings>(std::move(settings));
}

std::unique_ptr<CredentialsProvider> MakeImdsProvider(ImdsSettings settings, http::Client& http,
                                                      Clock& clock) {
  RefreshPolicy policy = settings.refresh;
  auto fetcher = std::make_shared<ImdsFetcher>(std::move(settings), http);
  return std::make_unique<RefreshingProvider>([fetcher] { return fetcher->Fetch(); }, clock,
                                              policy);
}

}  // namespace dbtrotate::aws
