#include "aws/sigv4/signer.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "aws/sigv4/authorization.h"
#include "aws/sigv4/canonical.h"
#include "aws/sigv4/crypto.h"
#include "aws/sigv4/uri.h"
#include "core/secret_string.h"

namespace dbtrotate::aws::sigv4 {

namespace {

bool NameIs(const http::Header& header, std::string_view lower_name) {
  return std::equal(
      header.name.begin(), header.name.end(), lower_name.begin(), lower_name.end(),
      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

void RemoveHeader(std::vector<http::Header>& headers, std::string_view lower_name) {
  for (auto it = headers.begin(); it != headers.end();) {
    if (NameIs(*it, lower_name)) {
      WipeString(it->value);
      it = headers.erase(it);
    } else {
      ++it;
    }
  }
}

bool HasHeader(const std::vector<http::Header>& headers, std::string_view lower_name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const http::Header& header) { return NameIs(header, lower_name); });
}

}  // namespace

std::string ComputeSignature(std::string_view secret_access_key, std::string_view date,
                             std::string_view region, std::string_view service,
                             std::string_view string_to_sign) {
  std::string key = DeriveSigningKey(secret_access_key, date, region, service);
  std::string signature = HexEncode(HmacSha256(key, string_to_sign));
  WipeString(key);
  return signature;
}

Result<void, std::string> SignRequest(http::Request& request, const Credentials& credentials,
                                      const SigningParams& params) {
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Fail("cannot sign: credentials from '" + credentials.source +
                "' have an empty access key id or secret access key");
  }
  if (params.region.empty()) return Fail(std::string("cannot sign: the signing region is empty"));
  if (params.service.empty()) return Fail(std::string("cannot sign: the signing service is empty"));
  auto url = SplitUrl(request.url);
  if (!url) return Fail("cannot sign: " + url.error());

  RemoveHeader(request.headers, "authorization");
  RemoveHeader(request.headers, "x-amz-date");
  RemoveHeader(request.headers, "x-amz-security-token");
  if (!HasHeader(request.headers, "host")) request.AddHeader("Host", url->HostHeader());
  const std::string amz_date = FormatAmzDate(params.time);
  request.AddHeader("X-Amz-Date", amz_date);
  if (!credentials.session_token.empty()) {
    request.AddHeader("X-Amz-Security-Token", std::string(credentials.session_token.expose()));
  }

  const std::vector<std::string> signed_names = HeadersToSign(request.headers);
  const RequestView view{http::MethodName(request.method), url->path, url->query, &request.headers,
                         request.body};
  auto canonical = CanonicalRequest(view, signed_names);
  if (!canonical) return Fail("cannot sign: " + canonical.error());
  const std::string date = amz_date.substr(0, 8);
  const std::string scope = CredentialScope(date, params.region, params.service);
  const std::string string_to_sign = StringToSign(amz_date, scope, *canonical);
  WipeString(*canonical);  // it holds the session token
  const std::string signature = ComputeSignature(credentials.secret_access_key.expose(), date,
                                                 params.region, params.service, string_to_sign);
  request.AddHeader("Authorization",
                    FormatAuthorization(credentials.access_key_id, scope,
                                        JoinSignedHeaders(signed_names), signature));
  return {};
}

}  // namespace dbtrotate::aws::sigv4
