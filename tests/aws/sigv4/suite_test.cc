// Runs every case of the AWS SigV4 test suite (shared/reference/sigv4-testsuite, reference §4.7):
// each raw `.req` is parsed byte-exactly, signed, and the canonical request, string to sign and
// Authorization value are compared with the `.creq`, `.sts` and `.authz` files.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "aws/sigv4/canonical.h"
#include "aws/sigv4/signer.h"
#include "aws/sigv4/uri.h"
#include "aws/sigv4/verifier.h"

namespace dbtrotate::aws::sigv4 {
namespace {

namespace fs = std::filesystem;

// In the repository (Apache-2.0, with its LICENSE and NOTICE), so a clean clone runs it.
const fs::path kSuiteDir = fs::path(DBTROTATE_SOURCE_DIR) / "tests" / "data" / "sigv4-testsuite";
constexpr char kAccessKey[] = "AKIDEXAMPLE";
constexpr char kSecretKey[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

SystemTime SuiteTime() {
  using namespace std::chrono;
  return sys_days{year{2015} / 8 / 30} + hours{12} + minutes{36};
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct SuiteCase {
  std::string name;  // relative path, e.g. "normalize-path/get-slash"
  fs::path dir;
};

std::vector<SuiteCase> DiscoverCases() {
  std::vector<SuiteCase> cases;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(kSuiteDir, ec), end; it != end; it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file() && it->path().extension() == ".req") {
      cases.push_back({fs::relative(it->path().parent_path(), kSuiteDir).generic_string(),
                       it->path().parent_path()});
    }
  }
  std::sort(cases.begin(), cases.end(),
            [](const SuiteCase& a, const SuiteCase& b) { return a.name < b.name; });
  return cases;
}

// A `.req` file: request line, header lines (an indented line continues the previous value), a
// blank line, the body. No trailing newline is added or removed.
struct RawRequest {
  std::string method;
  std::string target;
  std::vector<http::Header> headers;
  std::string body;
};

RawRequest ParseReq(const std::string& text) {
  RawRequest raw;
  const auto blank = text.find("\n\n");
  std::string head = text.substr(0, blank);
  if (blank != std::string::npos) raw.body = text.substr(blank + 2);
  if (!head.empty() && head.back() == '\n') head.pop_back();

  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    const auto end = head.find('\n', start);
    lines.push_back(head.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  const std::string& first = lines.front();
  raw.method = first.substr(0, first.find(' '));
  const auto version = first.rfind(' ');
  raw.target = first.substr(raw.method.size() + 1, version - raw.method.size() - 1);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      raw.headers.back().value.append("\n").append(line);  // folded; canonicalisation joins it
      continue;
    }
    const auto colon = line.find(':');
    raw.headers.push_back({line.substr(0, colon), line.substr(colon + 1)});
  }
  return raw;
}

http::Method ToMethod(const std::string& name) {
  if (name == "POST") return http::Method::kPost;
  if (name == "PUT") return http::Method::kPut;
  return http::Method::kGet;
}

// The token a case expects in its canonical request. get-vanilla-with-session-token's `.req`
// lacks the header (a suite quirk, reference §4.7), so the `.creq` is the source of truth.
std::string SessionTokenFromCreq(const std::string& creq) {
  constexpr std::string_view kPrefix = "\nx-amz-security-token:";
  const auto pos = creq.find(kPrefix);
  if (pos == std::string::npos) return "";
  const auto start = pos + kPrefix.size();
  return creq.substr(start, creq.find('\n', start) - start);
}

std::string CaseFile(const SuiteCase& c, const char* extension) {
  return ReadFile(c.dir / (c.dir.filename().string() + extension));
}

TEST(SigV4Suite, HasAll34Cases) {
  const auto cases = DiscoverCases();
  EXPECT_EQ(cases.size(), 34u) << "suite directory: " << kSuiteDir;
  EXPECT_TRUE(std::any_of(cases.begin(), cases.end(),
                          [](const SuiteCase& c) { return c.name == "normalize-path/get-space"; }));
  EXPECT_TRUE(std::any_of(cases.begin(), cases.end(), [](const SuiteCase& c) {
    return c.name == "post-sts-token/post-sts-header-before";
  }));
}

class SigV4SuiteCase : public testing::TestWithParam<SuiteCase> {};

TEST_P(SigV4SuiteCase, MatchesCanonicalRequestStringToSignAndAuthorization) {
  const SuiteCase& c = GetParam();
  const std::string expected_creq = CaseFile(c, ".creq");
  const std::string expected_sts = CaseFile(c, ".sts");
  const std::string expected_authz = CaseFile(c, ".authz");
  ASSERT_FALSE(expected_creq.empty());
  const RawRequest raw = ParseReq(CaseFile(c, ".req"));

  http::Request request(ToMethod(raw.method), "https://example.amazonaws.com" + raw.target);
  request.headers = raw.headers;
  request.body = raw.body;
  Credentials credentials;
  credentials.access_key_id = kAccessKey;
  credentials.secret_access_key = SecretString::CopyOf(kSecretKey);
  credentials.session_token = SecretString::CopyOf(SessionTokenFromCreq(expected_creq));
  const SigningParams params{"us-east-1", "service", SuiteTime()};

  ASSERT_TRUE(SignRequest(request, credentials, params).has_value());

  // Rebuild the intermediate steps from the signed request with the exposed pieces.
  auto url = SplitUrl(request.url);
  ASSERT_TRUE(url.has_value());
  std::vector<http::Header> without_authz;
  std::string authorization;
  for (const auto& header : request.headers) {
    if (header.name == "Authorization") {
      authorization = header.value;
    } else {
      without_authz.push_back(header);
    }
  }
  const RequestView view{raw.method, url->path, url->query, &without_authz, request.body};
  auto creq = CanonicalRequest(view, HeadersToSign(without_authz));
  ASSERT_TRUE(creq.has_value()) << creq.error();
  EXPECT_EQ(*creq, expected_creq);
  EXPECT_EQ(
      StringToSign(FormatAmzDate(SuiteTime()), "20150830/us-east-1/service/aws4_request", *creq),
      expected_sts);
  EXPECT_EQ(authorization, expected_authz);

  // And a server rebuilding it from the wire accepts it.
  const RequestView received{raw.method, url->path, url->query, &request.headers, request.body};
  const SecretString secret = SecretString::CopyOf(kSecretKey);
  VerifyOptions options{"us-east-1", "service", SuiteTime()};
  auto verified = VerifyRequest(
      received, [&](std::string_view akid) { return akid == kAccessKey ? &secret : nullptr; },
      options);
  EXPECT_TRUE(verified.has_value()) << verified.error().message;
}

std::string CaseName(const testing::TestParamInfo<SuiteCase>& info) {
  std::string name = info.param.name;
  for (char& ch : name) {
    if (std::isalnum(static_cast<unsigned char>(ch)) == 0) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(All, SigV4SuiteCase, testing::ValuesIn(DiscoverCases()), CaseName);

}  // namespace
}  // namespace dbtrotate::aws::sigv4
