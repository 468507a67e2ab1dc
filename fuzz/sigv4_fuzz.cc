// SigV4 canonicalisation (aws/sigv4/canonical.h, uri.h, authorization.h): paths, queries,
// header values, URLs, X-Amz-Date and Authorization headers as a server receives them.
// Invariants: encoding round-trips, canonical forms are fixed points, a parsed Authorization
// header formats back to one that parses the same.

#include <fuzzer/FuzzedDataProvider.h>

#include "aws/sigv4/authorization.h"
#include "aws/sigv4/canonical.h"
#include "aws/sigv4/uri.h"
#include "fuzz/fuzz_check.h"

namespace dbtrotate::aws::sigv4 {
namespace {

void CheckEncoding(std::string_view bytes) {
  const std::string encoded = UriEncode(bytes, false);
  FUZZ_CHECK(encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789-_.~%") == std::string::npos);
  FUZZ_CHECK(PercentDecode(encoded) == bytes);
}

void CheckCanonicalForms(std::string_view path, std::string_view query) {
  const std::string normalized = NormalizePath(path);
  FUZZ_CHECK(NormalizePath(normalized) == normalized);
  (void)CanonicalUri(path);
  const std::string canonical_query = CanonicalQueryString(query);
  FUZZ_CHECK(CanonicalQueryString(canonical_query) == canonical_query);
  const std::string collapsed = TrimAndCollapse(query);
  FUZZ_CHECK(TrimAndCollapse(collapsed) == collapsed);
}

void CheckAuthorization(std::string_view header) {
  auto parsed = ParseAuthorization(header);
  if (!parsed) return;
  std::string signed_headers;
  for (const std::string& name : parsed->signed_headers) {
    if (!signed_headers.empty()) signed_headers += ';';
    signed_headers += name;
  }
  auto again = ParseAuthorization(FormatAuthorization(parsed->access_key_id, parsed->Scope(),
                                                      signed_headers, parsed->signature));
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->access_key_id == parsed->access_key_id);
  FUZZ_CHECK(again->Scope() == parsed->Scope());
  FUZZ_CHECK(again->signed_headers == parsed->signed_headers);
  FUZZ_CHECK(again->signature == parsed->signature);
}

void CheckRequest(FuzzedDataProvider& input, std::string_view path, std::string_view query) {
  std::vector<http::Header> headers;
  const int header_count = input.ConsumeIntegralInRange(0, 6);
  for (int i = 0; i < header_count; ++i) {
    std::string name = input.ConsumeRandomLengthString(32);
    std::string value = input.ConsumeRandomLengthString(64);
    headers.push_back({std::move(name), std::move(value)});
  }
  const std::string body = input.ConsumeRandomLengthString(64);
  const std::vector<std::string> names = HeadersToSign(headers);
  const RequestView request{"POST", path, query, &headers, body};
  auto canonical = CanonicalRequest(request, names);
  FUZZ_CHECK(canonical.has_value());  // every name HeadersToSign picks is in the request
}

}  // namespace
}  // namespace dbtrotate::aws::sigv4

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dbtrotate::aws::sigv4;
  FuzzedDataProvider input(data, size);
  const std::string path = input.ConsumeRandomLengthString(256);
  const std::string query = input.ConsumeRandomLengthString(256);
  const std::string header = input.ConsumeRandomLengthString(512);
  CheckEncoding(path);
  CheckCanonicalForms(path, query);
  CheckAuthorization(header);
  if (auto time = ParseAmzDate(header)) FUZZ_CHECK(ParseAmzDate(FormatAmzDate(*time)) == time);
  if (auto url = SplitUrl(header)) (void)url->HostHeader();
  CheckRequest(input, path, query);
  return 0;
}
