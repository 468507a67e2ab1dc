// Unit tests of the individual SigV4 steps and of SignRequest's edge cases.

#include <gtest/gtest.h>

#include <chrono>

#include "aws/sigv4/authorization.h"
#include "aws/sigv4/canonical.h"
#include "aws/sigv4/crypto.h"
#include "aws/sigv4/signer.h"
#include "aws/sigv4/uri.h"

namespace dbtrotate::aws::sigv4 {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(UriEncode, KeepsUnreservedAndEncodesEverythingElseUppercase) {
  EXPECT_EQ(UriEncode("AZaz09-_.~", false), "AZaz09-_.~");
  EXPECT_EQ(UriEncode("a b+c/d=e&f%", false), "a%20b%2Bc%2Fd%3De%26f%25");
  EXPECT_EQ(UriEncode("a b/c", true), "a%20b/c");
  EXPECT_EQ(UriEncode("\xe1\x88\xb4", false), "%E1%88%B4");
  EXPECT_EQ(UriEncode(std::string_view("\0\xff", 2), false), "%00%FF");
}

TEST(PercentDecode, DecodesValidEscapesOnly) {
  EXPECT_EQ(PercentDecode("%E1%88%b4"), "\xe1\x88\xb4");
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(PercentDecode("a+b"), "a+b");  // '+' is not a space in SigV4
}

TEST(NormalizePath, RemovesDotSegmentsAndDuplicateSlashes) {
  EXPECT_EQ(NormalizePath(""), "/");
  EXPECT_EQ(NormalizePath("/"), "/");
  EXPECT_EQ(NormalizePath("//"), "/");
  EXPECT_EQ(NormalizePath("//example//"), "/example/");
  EXPECT_EQ(NormalizePath("/example1/example2/../.."), "/");
  EXPECT_EQ(NormalizePath("/../../a"), "/a");
  EXPECT_EQ(NormalizePath("/./a/./b/"), "/a/b/");
  EXPECT_EQ(NormalizePath("/a/b/.."), "/a");
}

TEST(CanonicalUri, EncodesSegmentsAndDoubleEncodesEscapes) {
  EXPECT_EQ(CanonicalUri("/example space/"), "/example%20space/");
  EXPECT_EQ(CanonicalUri("/example%20space/"), "/example%2520space/");
  EXPECT_EQ(CanonicalUri("/$delete"), "/%24delete");
}

TEST(CanonicalQueryString, SortsEncodesAndHandlesEmptyValues) {
  EXPECT_EQ(CanonicalQueryString(""), "");
  EXPECT_EQ(CanonicalQueryString("b=2&a=1&a=0"), "a=0&a=1&b=2");
  EXPECT_EQ(CanonicalQueryString("Param1=value1&param1=value0"), "Param1=value1&param1=value0");
  EXPECT_EQ(CanonicalQueryString("flag&x="), "flag=&x=");
  EXPECT_EQ(CanonicalQueryString("k=a b/c&&"), "k=a%20b%2Fc");
  EXPECT_EQ(CanonicalQueryString("k=%41%2f"), "k=A%2F");
}

TEST(CanonicalHeaders, TrimsCollapsesJoinsAndFailsOnMissing) {
  const std::vector<http::Header> headers = {
      {"My-Header", "  a   b \t c  "}, {"my-header", "second"}, {"Host", "h"}};
  auto block = CanonicalHeaders(headers, {"host", "my-header"});
  ASSERT_TRUE(block.has_value());
  EXPECT_EQ(*block, "host:h\nmy-header:a b c,second\n");
  auto missing = CanonicalHeaders(headers, {"host", "x-amz-date"});
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().find("x-amz-date"), std::string::npos);
}

TEST(HeadersToSign, SkipsTransportAndHopByHopHeaders) {
  const std::vector<http::Header> headers = {{"User-Agent", "x"},    {"Content-Length", "3"},
                                             {"Authorization", "x"}, {"Connection", "x"},
                                             {"X-Amz-Target", "t"},  {"Content-Type", "c"},
                                             {"Host", "h"},          {"x-amz-target", "again"}};
  EXPECT_EQ(HeadersToSign(headers),
            (std::vector<std::string>{"content-type", "host", "x-amz-target"}));
}

TEST(AmzDate, FormatsAndParses) {
  using namespace std::chrono;
  const SystemTime t =
      sys_days{year{2026} / 2 / 28} + hours{23} + minutes{59} + seconds{58} + milliseconds{999};
  EXPECT_EQ(FormatAmzDate(t), "20260228T235958Z");
  EXPECT_EQ(ParseAmzDate("20260228T235958Z"), floor<seconds>(t));
  EXPECT_FALSE(ParseAmzDate("20260230T000000Z").has_value());
  EXPECT_FALSE(ParseAmzDate("20260228T245958Z").has_value());
  EXPECT_FALSE(ParseAmzDate("2026-02-28T23:59:58Z").has_value());
  EXPECT_FALSE(ParseAmzDate("").has_value());
}

// Found by fuzz/sigv4 (UBSan: signed overflow converting to nanoseconds): an X-Amz-Date whose
// year the clock cannot hold is not a date we can check a request against.
TEST(AmzDate, RejectsYearsOutsideTheClockRange) {
  EXPECT_FALSE(ParseAmzDate("40300412T123600Z").has_value());
  EXPECT_FALSE(ParseAmzDate("99991231T235959Z").has_value());
  EXPECT_FALSE(ParseAmzDate("00010101T000000Z").has_value());
  EXPECT_TRUE(ParseAmzDate("22611231T235959Z").has_value());
  EXPECT_TRUE(ParseAmzDate("16780101T000000Z").has_value());
}

TEST(SplitUrl, SplitsHostPortPathQuery) {
  auto url = SplitUrl("HTTP://user:pw@127.0.0.1:4566/base/path?a=1#frag");
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->scheme, "http");
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, "4566");
  EXPECT_EQ(url->path, "/base/path");
  EXPECT_EQ(url->query, "a=1");
  EXPECT_EQ(url->HostHeader(), "127.0.0.1:4566");

  auto v6 = SplitUrl("https://[::1]:443");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->host, "[::1]");
  EXPECT_EQ(v6->path, "/");
  EXPECT_EQ(v6->HostHeader(), "[::1]");
  EXPECT_EQ(SplitUrl("http://h:80/")->HostHeader(), "h");
  EXPECT_EQ(SplitUrl("https://h:80/")->HostHeader(), "h:80");
  EXPECT_EQ(SplitUrl("https://h?x")->path, "/");

  EXPECT_FALSE(SplitUrl("example.com/x").has_value());
  EXPECT_FALSE(SplitUrl("ftp://example.com/").has_value());
  EXPECT_FALSE(SplitUrl("https:///path").has_value());
  EXPECT_FALSE(SplitUrl("https://[::1/").has_value());
  EXPECT_FALSE(SplitUrl("https://h:8x/").has_value());
}

TEST(ParseAuthorization, ParsesAnyOrderAndSpacing) {
  auto parsed = ParseAuthorization(
      "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date,Signature="
      "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31,  "
      "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request");
  ASSERT_TRUE(parsed.has_value()) << parsed.error();
  EXPECT_EQ(parsed->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(parsed->date, "20150830");
  EXPECT_EQ(parsed->region, "us-east-1");
  EXPECT_EQ(parsed->service, "service");
  EXPECT_EQ(parsed->signed_headers, (std::vector<std::string>{"host", "x-amz-date"}));
  EXPECT_EQ(parsed->Scope(), "20150830/us-east-1/service/aws4_request");
  EXPECT_EQ(FormatAuthorization(parsed->access_key_id, parsed->Scope(), "host;x-amz-date",
                                parsed->signature),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(ParseAuthorization, RejectsEveryMalformedShape) {
  const std::string sig = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
  const std::string cred = "Credential=AKID/20150830/us-east-1/service/aws4_request";
  const std::vector<std::string> bad = {
      "",
      "Bearer abc",
      "AWS4-HMAC-SHA256X " + cred + ", SignedHeaders=host, Signature=" + sig,
      "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=" + sig,
      "AWS4-HMAC-SHA256 " + cred + ", Signature=" + sig,
      "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host",
      "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature=" + sig + ", Signature=" + sig,
      "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature=" + sig + ", Extra=1",
      "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature",
      "AWS4-HMAC-SHA256 Credential=AKID/2015083/us-east-1/service/aws4_request, "
      "SignedHeaders=host, Signature=" +
          sig,
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws5_request, "
      "SignedHeaders=host, Signature=" +
          sig,
      "AWS4-HMAC-SHA256 Credential=/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host, Signature=" +
          sig,
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/aws4_request, SignedHeaders=host, "
      "Signature=" +
          sig,
      "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;;x-amz-date, Signature=" + sig,
      "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature=" + sig.substr(1),
      "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature=" + sig.substr(1) + "G",
  };
  for (const auto& value : bad) {
    auto parsed = ParseAuthorization(value);
    EXPECT_FALSE(parsed.has_value()) << value;
    if (!parsed) {
      EXPECT_FALSE(parsed.error().empty());
    }
  }
}

Credentials TestCredentials() {
  Credentials credentials;
  credentials.access_key_id = "AKIDEXAMPLE";
  credentials.secret_access_key = SecretString::CopyOf("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  credentials.source = "test";
  return credentials;
}

std::string HeaderOf(const http::Request& request, std::string_view name) {
  for (const auto& header : request.headers) {
    if (header.name == name) return header.value;
  }
  return "<absent>";
}

TEST(SignRequest, AddsHostWithNonDefaultPortAndKeepsExistingHost) {
  const SigningParams params{"us-east-1", "secretsmanager", SystemTime{} + hours(24 * 365 * 50)};
  http::Request request(http::Method::kPost, "http://127.0.0.1:4566/");
  ASSERT_TRUE(SignRequest(request, TestCredentials(), params).has_value());
  EXPECT_EQ(HeaderOf(request, "Host"), "127.0.0.1:4566");

  http::Request with_host(http::Method::kPost, "http://127.0.0.1:4566/");
  with_host.AddHeader("host", "proxy.example:4566");
  ASSERT_TRUE(SignRequest(with_host, TestCredentials(), params).has_value());
  EXPECT_EQ(HeaderOf(with_host, "Host"), "<absent>");
  EXPECT_EQ(HeaderOf(with_host, "host"), "proxy.example:4566");
}

TEST(SignRequest, FailsClearlyWithoutLeakingTheKey) {
  const SigningParams params{"us-east-1", "sts", SystemTime{}};
  Credentials no_secret = TestCredentials();
  no_secret.secret_access_key = SecretString();
  http::Request request(http::Method::kPost, "https://sts.us-east-1.amazonaws.com/");
  auto result = SignRequest(request, no_secret, params);
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().find("'test'"), std::string::npos);

  auto no_region = SignRequest(request, TestCredentials(), {"", "sts", SystemTime{}});
  ASSERT_FALSE(no_region.has_value());
  EXPECT_NE(no_region.error().find("region"), std::string::npos);
  auto no_service = SignRequest(request, TestCredentials(), {"us-east-1", "", SystemTime{}});
  ASSERT_FALSE(no_service.has_value());
  EXPECT_NE(no_service.error().find("service"), std::string::npos);

  http::Request bad_url(http::Method::kPost, "not a url");
  auto url_error = SignRequest(bad_url, TestCredentials(), params);
  ASSERT_FALSE(url_error.has_value());
  EXPECT_NE(url_error.error().find("scheme"), std::string::npos);
  EXPECT_EQ(url_error.error().find("wJalrXUtnFEMI"), std::string::npos);
  EXPECT_EQ(HeaderOf(bad_url, "Authorization"), "<absent>");
}

TEST(SignRequest, QueryAndPathOfTheUrlAreSigned) {
  const SigningParams params{"us-east-1", "service", SystemTime{}};
  http::Request a(http::Method::kGet, "https://example.amazonaws.com/base?b=2&a=1");
  http::Request b(http::Method::kGet, "https://example.amazonaws.com/base?a=1&b=2");
  http::Request c(http::Method::kGet, "https://example.amazonaws.com/other?a=1&b=2");
  ASSERT_TRUE(SignRequest(a, TestCredentials(), params).has_value());
  ASSERT_TRUE(SignRequest(b, TestCredentials(), params).has_value());
  ASSERT_TRUE(SignRequest(c, TestCredentials(), params).has_value());
  EXPECT_EQ(HeaderOf(a, "Authorization"), HeaderOf(b, "Authorization"));
  EXPECT_NE(HeaderOf(b, "Authorization"), HeaderOf(c, "Authorization"));
}

}  // namespace
}  // namespace dbtrotate::aws::sigv4
