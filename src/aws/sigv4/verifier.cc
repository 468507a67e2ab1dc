#include "aws/sigv4/verifier.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

#include "aws/sigv4/crypto.h"
#include "aws/sigv4/signer.h"
#include "core/ascii.h"

namespace dbtrotate::aws::sigv4 {

namespace {

std::optional<std::string> FindHeader(const RequestView& request, std::string_view lower_name) {
  if (request.headers == nullptr) return std::nullopt;
  for (const auto& header : *request.headers) {
    if (AsciiLower(header.name) == lower_name) return header.value;
  }
  return std::nullopt;
}

bool IsSigned(const ParsedAuthorization& authorization, std::string_view lower_name) {
  return std::find(authorization.signed_headers.begin(), authorization.signed_headers.end(),
                   lower_name) != authorization.signed_headers.end();
}

Unexpected<VerifyError> Failure(VerifyFailure failure, std::string message) {
  return Fail(VerifyError{failure, std::move(message)});
}

}  // namespace

std::string_view VerifyFailureName(VerifyFailure failure) {
  switch (failure) {
    case VerifyFailure::kMissingAuthorization:
      return "missing authorization";
    case VerifyFailure::kMalformed:
      return "malformed signature";
    case VerifyFailure::kUnknownAccessKey:
      return "unknown access key";
    case VerifyFailure::kWrongScope:
      return "wrong credential scope";
    case VerifyFailure::kRequestExpired:
      return "request expired";
    case VerifyFailure::kHeaderNotSigned:
      return "header not signed";
    case VerifyFailure::kSignatureMismatch:
      return "signature mismatch";
  }
  return "signature error";
}

Result<ParsedAuthorization, VerifyError> ParseRequestAuthorization(const RequestView& request) {
  const auto header = FindHeader(request, "authorization");
  if (!header) return Failure(VerifyFailure::kMissingAuthorization, "no Authorization header");
  auto parsed = ParseAuthorization(*header);
  if (!parsed) return Failure(VerifyFailure::kMalformed, parsed.error());
  return std::move(parsed).value();
}

Result<void, VerifyError> VerifySignature(const RequestView& request,
                                          const ParsedAuthorization& authorization,
                                          std::string_view secret_access_key,
                                          const VerifyOptions& options) {
  const auto amz_date = FindHeader(request, "x-amz-date");
  if (!amz_date) return Failure(VerifyFailure::kMalformed, "no X-Amz-Date header");
  const auto when = ParseAmzDate(*amz_date);
  if (!when) {
    return Failure(VerifyFailure::kMalformed,
                   "X-Amz-Date '" + *amz_date + "' is not YYYYMMDDTHHMMSSZ");
  }
  if (amz_date->substr(0, 8) != authorization.date) {
    return Failure(VerifyFailure::kWrongScope, "credential scope date " + authorization.date +
                                                   " does not match X-Amz-Date " + *amz_date);
  }
  if (!options.region.empty() && authorization.region != options.region) {
    return Failure(VerifyFailure::kWrongScope, "credential scope region '" + authorization.region +
                                                   "' should be '" + options.region + "'");
  }
  if (!options.service.empty() && authorization.service != options.service) {
    return Failure(VerifyFailure::kWrongScope, "credential scope service '" +
                                                   authorization.service + "' should be '" +
                                                   options.service + "'");
  }
  const auto skew = *when > options.now ? *when - options.now : options.now - *when;
  if (skew > options.max_skew) {
    return Failure(VerifyFailure::kRequestExpired,
                   "signature expired: X-Amz-Date " + *amz_date + " is more than " +
                       std::to_string(options.max_skew.count()) + " s from the server time " +
                       FormatAmzDate(options.now));
  }
  for (std::string_view required : {"host", "x-amz-date"}) {
    if (!IsSigned(authorization, required)) {
      return Failure(VerifyFailure::kHeaderNotSigned,
                     "'" + std::string(required) + "' must be in SignedHeaders");
    }
  }
  if (options.require_amz_headers_signed && request.headers != nullptr) {
    for (const auto& header : *request.headers) {
      const std::string name = AsciiLower(header.name);
      if (name.rfind("x-amz-", 0) == 0 && !IsSigned(authorization, name)) {
        return Failure(VerifyFailure::kHeaderNotSigned,
                       "header '" + name + "' is sent but not in SignedHeaders");
      }
    }
  }

  auto canonical = CanonicalRequest(request, authorization.signed_headers);
  if (!canonical) return Failure(VerifyFailure::kMalformed, canonical.error());
  const std::string scope = authorization.Scope();
  const std::string string_to_sign = StringToSign(*amz_date, scope, *canonical);
  const std::string expected =
      ComputeSignature(secret_access_key, authorization.date, authorization.region,
                       authorization.service, string_to_sign);
  if (!ConstantTimeEquals(expected, authorization.signature)) {
    return Failure(VerifyFailure::kSignatureMismatch,
                   "the request signature we calculated does not match the signature you "
                   "provided; check your AWS secret access key and signing method");
  }
  return {};
}

Result<ParsedAuthorization, VerifyError> VerifyRequest(const RequestView& request,
                                                       const SecretKeyLookup& lookup,
                                                       const VerifyOptions& options) {
  auto parsed = ParseRequestAuthorization(request);
  if (!parsed) return Fail(std::move(parsed).error());
  const SecretString* secret = lookup ? lookup(parsed->access_key_id) : nullptr;
  if (secret == nullptr) {
    return Failure(VerifyFailure::kUnknownAccessKey,
                   "the access key id '" + parsed->access_key_id + "' is not known");
  }
  auto verified = VerifySignature(request, *parsed, secret->expose(), options);
  if (!verified) return Fail(std::move(verified).error());
  return std::move(parsed).value();
}

}  // namespace dbtrotate::aws::sigv4
