#include "http/url_policy.h"

#include <gtest/gtest.h>

namespace dbtrotate::http {
namespace {

TEST(UrlPolicy, LoopbackHosts) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "localhost"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host :
       {"128.0.0.1", "10.0.0.1", "example.com", "::2", "localhost.evil.com", ""}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

TEST(UrlPolicy, HttpsAnywhereHttpOnlyLoopback) {
  EXPECT_TRUE(CheckUrlPolicy("https://cloud.getdbt.com/api/v3/"));
  EXPECT_TRUE(CheckUrlPolicy("http://127.0.0.1:8080/x"));
  EXPECT_TRUE(CheckUrlPolicy("http://[::1]:8080/x"));
  EXPECT_TRUE(CheckUrlPolicy("http://localhost:1/"));
  auto insecure = CheckUrlPolicy("http://cloud.getdbt.com/api/");
  ASSERT_FALSE(insecure);
  EXPECT_EQ(insecure.error().kind, ErrorKind::kInsecureUrl);
  EXPECT_FALSE(insecure.error().maybe_sent);
}

TEST(UrlPolicy, ParseExtractsParts) {
  auto parsed = ParseUrl("https://Ab123.us1.dbt.com:8443/api/v3/?x=1");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->scheme, "https");
  EXPECT_EQ(parsed->host, "ab123.us1.dbt.com");
  EXPECT_EQ(parsed->port, "8443");
  EXPECT_EQ(parsed->path, "/api/v3/");
  auto v6 = ParseUrl("http://[::1]:9/");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
}

TEST(UrlPolicy, DescribeRequestDropsQueryAndUserInfo) {
  EXPECT_EQ(DescribeRequest(Method::kGet, "https://h.example/a/b/?token=zzz"),
            "GET https://h.example/a/b/");
  EXPECT_EQ(DescribeRequest(Method::kPost, "http://[::1]:80/"), "POST http://[::1]:80/");
}

}  // namespace
}  // namespace dbtrotate::http
