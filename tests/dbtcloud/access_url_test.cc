#include "dbtcloud/access_url.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace dbtrotate::dbtcloud {
namespace {

std::string BaseOf(std::string_view text) {
  auto url = ParseAccessUrl(text);
  EXPECT_TRUE(url.has_value()) << text << ": " << (url ? "" : url.error().message);
  return url ? url->base : "";
}

TEST(AccessUrlTest, AcceptsTheShapesUsersPaste) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"cloud.getdbt.com", "https://cloud.getdbt.com"},
      {"https://cloud.getdbt.com", "https://cloud.getdbt.com"},
      {"https://ab123.us1.dbt.com", "https://ab123.us1.dbt.com"},
      {"https://emea.dbt.com/", "https://emea.dbt.com"},
      {"https://cloud.getdbt.com/api", "https://cloud.getdbt.com"},
      {"https://cloud.getdbt.com/api/", "https://cloud.getdbt.com"},
      {"https://ab123.us1.dbt.com/api/v3", "https://ab123.us1.dbt.com"},
      {"https://ab123.us1.dbt.com/api/v3/", "https://ab123.us1.dbt.com"},
      {"ab123.eu2.dbt.com/api", "https://ab123.eu2.dbt.com"},
      {"cloud.acme.getdbt.com", "https://cloud.acme.getdbt.com"},
      {"https://dbt.internal.example-corp.io", "https://dbt.internal.example-corp.io"},
      {"HTTPS://AB123.US1.DBT.COM", "https://ab123.us1.dbt.com"},
      {"https://cloud.getdbt.com:443/", "https://cloud.getdbt.com"},
      {"https://dbt.example.com:8443", "https://dbt.example.com:8443"},
      {"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
      {"http://127.0.0.1:8080/api/v3/", "http://127.0.0.1:8080"},
      {"http://[::1]:9000", "http://[::1]:9000"},
      {"http://localhost:3000/", "http://localhost:3000"},
      {"http://127.1.2.3:80", "http://127.1.2.3"},
      {"https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443"},
  };
  for (const auto& [input, base] : cases) EXPECT_EQ(BaseOf(input), base) << input;
}

TEST(AccessUrlTest, KeepsHostAndPortApart) {
  auto url = ParseAccessUrl("http://[::1]:9000/api");
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 9000);
  EXPECT_FALSE(url->https);
  auto plain = ParseAccessUrl("emea.dbt.com");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->host, "emea.dbt.com");
  EXPECT_FALSE(plain->port.has_value());
  EXPECT_TRUE(plain->https);
}

TEST(AccessUrlTest, RejectsGarbageWithAClearMessage) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"", "empty"},
      {" https://cloud.getdbt.com", "whitespace"},
      {"https://cloud.getdbt.com\n", "whitespace"},
      {"https://cloud getdbt.com", "whitespace"},
      {"ftp://cloud.getdbt.com", "scheme"},
      {"file:///etc/passwd", "scheme"},
      {"https://user:pass@cloud.getdbt.com", "user information"},
      {"https://dbtc_secret@cloud.getdbt.com", "user information"},
      {"https://cloud.getdbt.com/?token=abc", "query"},
      {"https://cloud.getdbt.com/#frag", "query"},
      {"https://cloud_getdbt.com", "not a valid DNS name"},
      {"https://-bad.getdbt.com", "not a valid DNS name"},
      {"https://cloud..getdbt.com", "not a valid DNS name"},
      {"https://cloud.getdbt.com./", "not a valid DNS name"},
      {"https://", "no host"},
      {"https:///api", "no host"},
      {"https://cloud.getdbt.com:", "port"},
      {"https://cloud.getdbt.com:0", "port"},
      {"https://cloud.getdbt.com:70000", "port"},
      {"https://cloud.getdbt.com:http", "port"},
      {"https://[::1", "IPv6"},
      {"https://[zz::1]", "IPv6"},
      {"https://cloud.getdbt.com/api/v2", "path"},
      {"https://cloud.getdbt.com/accounts/1", "path"},
      {"https://cloud.getdbt.com/api//", "path"},
      {"http://cloud.getdbt.com", "loopback"},
      {"http://10.0.0.1:8080", "loopback"},
      {"http://[2001:db8::1]:80", "loopback"},
      {"https://clöud.getdbt.com", "non-ASCII"},
  };
  for (const auto& [input, expected] : cases) {
    auto url = ParseAccessUrl(input);
    ASSERT_FALSE(url.has_value()) << "accepted: " << input;
    EXPECT_EQ(url.error().code, ErrorCode::kInvalidConfig) << input;
    EXPECT_NE(url.error().message.find(expected), std::string::npos)
        << input << " → " << url.error().message;
    EXPECT_NE(url.error().message.find("invalid dbt Cloud access URL"), std::string::npos);
  }
}

TEST(AccessUrlTest, NeverEchoesTheInputWhichMayHoldASecret) {
  for (std::string_view input : {"https://dbtc_abcdefghijkl@cloud.getdbt.com",
                                 "https://cloud.getdbt.com/?token=dbtc_abcdefghijkl"}) {
    auto url = ParseAccessUrl(input);
    ASSERT_FALSE(url.has_value());
    EXPECT_EQ(url.error().message.find("abcdefghijkl"), std::string::npos);
  }
}

}  // namespace
}  // namespace dbtrotate::dbtcloud

namespace dbtrotate::dbtcloud {
namespace {

TEST(RedactedUrlTest, UserInfoNeverReachesAMessage) {
  EXPECT_EQ(RedactedUrl("https://user:pass@h.example.com/api"),
            "https://<redacted>@h.example.com/api");
  EXPECT_EQ(RedactedUrl("ftp://a@b@host"), "ftp://<redacted>@host");
  EXPECT_EQ(RedactedUrl("user:pass@host"), "<redacted>@host");
  EXPECT_EQ(RedactedUrl("https://cloud.getdbt.com/x@y"), "https://cloud.getdbt.com/x@y");
  EXPECT_EQ(RedactedUrl("https://ab123.us1.dbt.com"), "https://ab123.us1.dbt.com");
}

}  // namespace
}  // namespace dbtrotate::dbtcloud
