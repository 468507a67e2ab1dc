#include "aws/credentials/sts_client.h"

#include <memory>

#include "aws/credentials/text_util.h"
#include "aws/credentials/xml.h"
#include "aws/sigv4/signer.h"
#include "core/iso8601.h"

namespace dbtrotate::aws {

namespace {

constexpr char kFormContentType[] = "application/x-www-form-urlencoded; charset=utf-8";

// "https://host" → "https://host/": the query protocol posts to the root path.
std::string PostUrl(const std::string& endpoint) {
  std::size_t scheme_end = endpoint.find("://");
  std::size_t path_start = endpoint.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  return path_start == std::string::npos ? endpoint + "/" : endpoint;
}

void AddParam(std::string& body, std::string_view name, std::string_view value) {
  body.push_back('&');
  body.append(name);
  body.push_back('=');
  body.append(FormEncode(value));
}

std::string_view HintFor(std::string_view code) {
  if (code == "AccessDenied") {
    return " (check the role's trust policy and that the calling identity may use "
           "sts:AssumeRole on it)";
  }
  if (code == "ExpiredToken" || code == "ExpiredTokenException") {
    return " (the credentials used to call STS have expired)";
  }
  if (code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch") {
    return " (the source credentials are not valid)";
  }
  if (code == "InvalidIdentityToken") return " (STS rejected the web identity token)";
  if (code == "RegionDisabledException") return " (STS is not activated in this region)";
  return "";
}

}  // namespace

StsClient::StsClient(http::Client& http, Clock& clock, StsEndpoint endpoint)
    : http_(http), clock_(clock), endpoint_(std::move(endpoint)) {}

CredentialsResult StsClient::AssumeRole(const Credentials& source, const AssumeRoleParams& params) {
  http::Request request(http::Method::kPost, PostUrl(endpoint_.url));
  request.idempotent = true;  // AssumeRole has no side effect beyond issuing credentials
  request.AddHeader("Content-Type", kFormContentType);
  request.body = "Action=AssumeRole&Version=2011-06-15";
  AddParam(request.body, "RoleArn", params.role_arn);
  AddParam(request.body, "RoleSessionName", params.session_name);
  if (params.duration_seconds) {
    AddParam(request.body, "DurationSeconds", std::to_string(*params.duration_seconds));
  }
  if (params.external_id) AddParam(request.body, "ExternalId", *params.external_id);

  auto signed_ok = sigv4::SignRequest(
      request, source, sigv4::SigningParams{endpoint_.signing_region, "sts", clock_.Now()});
  if (!signed_ok) {
    return Fail(CredentialsError{"could not sign the STS AssumeRole request for " +
                                 params.role_arn + ": " + signed_ok.error()});
  }
  return Send("AssumeRole", request, params.role_arn);
}

CredentialsResult StsClient::AssumeRoleWithWebIdentity(const std::string& role_arn,
                                                       const std::string& session_name,
                                                       const SecretString& web_identity_token) {
  http::Request request(http::Method::kPost, PostUrl(endpoint_.url));
  request.idempotent = true;
  request.AddHeader("Content-Type", kFormContentType);
  request.body = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15";
  AddParam(request.body, "RoleArn", role_arn);
  AddParam(request.body, "RoleSessionName", session_name);
  std::string encoded_token = FormEncode(web_identity_token.expose());
  request.body.append("&WebIdentityToken=").append(encoded_token);
  WipeString(encoded_token);
  return Send("AssumeRoleWithWebIdentity", request, role_arn);
}

CredentialsResult StsClient::Send(std::string_view action, http::Request& request,
                                  const std::string& role_arn) {
  const std::string what = "STS " + std::string(action) + " for " + role_arn;
  http::HttpResult response = http_.Send(request);
  if (!response) {
    return Fail(CredentialsError{what + " could not reach " + endpoint_.url + ": " +
                                 std::string(http::ErrorKindName(response.error().kind)) + ": " +
                                 response.error().message});
  }
  if (!response->IsSuccess()) {
    return Fail(
        CredentialsError{what + " failed: " + DescribeStsError(response->status, response->body)});
  }
  auto parsed = ParseStsCredentials(action, response->body);
  if (!parsed) return Fail(CredentialsError{what + ": " + parsed.error()});
  auto credentials = std::make_shared<Credentials>(std::move(*parsed));
  credentials->source = "STS " + std::string(action) + " (" + role_arn + ")";
  return std::shared_ptr<const Credentials>(std::move(credentials));
}

Result<Credentials, std::string> ParseStsCredentials(std::string_view action,
                                                     std::string_view body) {
  auto doc = ParseXml(body);
  if (!doc) return Fail("the response is not valid XML (" + doc.error() + ")");
  const std::string response_name = std::string(action) + "Response";
  const std::string result_name = std::string(action) + "Result";
  if (doc->name != response_name) {
    return Fail("expected a <" + response_name + "> document, got <" + Printable(doc->name, 64) +
                ">");
  }
  const XmlElement* creds = doc->Find({result_name, "Credentials"});
  if (creds == nullptr) return Fail("the response has no " + result_name + "/Credentials");

  auto field = [&](std::string_view name) -> const XmlElement* {
    const XmlElement* element = creds->Child(name);
    return element != nullptr && !Trim(element->text).empty() ? element : nullptr;
  };
  for (std::string_view name : {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}) {
    if (field(name) == nullptr) return Fail("the response has no Credentials/" + std::string(name));
  }
  Credentials credentials;
  credentials.access_key_id = std::string(Trim(field("AccessKeyId")->text));
  credentials.secret_access_key = SecretString::CopyOf(Trim(field("SecretAccessKey")->text));
  credentials.session_token = SecretString::CopyOf(Trim(field("SessionToken")->text));
  std::string_view expiration = Trim(field("Expiration")->text);
  auto expires = ParseIso8601(expiration);
  if (!expires) {
    return Fail("the response's Expiration is not an ISO 8601 timestamp (\"" +
                Printable(expiration, 40) + "\")");
  }
  credentials.expiration = *expires;
  return credentials;
}

std::string DescribeStsError(int status, std::string_view body) {
  std::string prefix = "HTTP " + std::to_string(status);
  auto doc = ParseXml(body);
  const XmlElement* error = doc ? doc->Find({"Error"}) : nullptr;
  if (doc && error == nullptr && doc->name == "Error") error = &*doc;
  if (error == nullptr) {
    return prefix + " (the response is not an STS error document)";
  }
  std::string code;
  if (const XmlElement* c = error->Child("Code")) code = std::string(Trim(c->text));
  std::string message;
  if (const XmlElement* m = error->Child("Message")) message = std::string(Trim(m->text));
  std::string out = prefix;
  if (!code.empty()) out += " " + Printable(code, 100);
  if (!message.empty()) out += ": " + Printable(message, 500);
  out += HintFor(code);
  return out;
}

}  // namespace dbtrotate::aws
