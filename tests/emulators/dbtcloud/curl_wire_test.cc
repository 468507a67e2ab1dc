// What libcurl (the project's HTTP client) sees on the wire for the bodiless DELETE replies:
// they must be complete responses that keep the connection reusable.

#include <curl/curl.h>

#include "emulators/dbtcloud/dbt_fixture.h"

namespace dbtrotate::emulators::testing {
namespace {

size_t Collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

class CurlWireTest : public DbtEmulatorTest {
 protected:
  // Sends a DELETE on a reused easy handle; returns the status (0 on transport error).
  long CurlDelete(CURL* curl, std::int64_t id, std::string& headers, std::string& body) {
    const std::string url = emulator_.base_url() + TokenPath(id);
    const std::string auth = "Authorization: Token " + admin_;
    curl_slist* list = curl_slist_append(nullptr, auth.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "DELETE");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 2000L);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, Collect);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    const CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(list);
    long status = 0;
    if (code == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    return status;
  }
};

TEST_F(CurlWireTest, BodilessDeleteRepliesAreCompleteAndReuseTheConnection) {
  CURL* curl = curl_easy_init();
  ASSERT_NE(curl, nullptr);
  for (DbtDeleteReply variant :
       {DbtDeleteReply::kNoContent, DbtDeleteReply::kOkEmpty, DbtDeleteReply::kOkEnvelope}) {
    DbtBehavior behavior;
    behavior.delete_reply = variant;
    emulator_.SetBehavior(behavior);
    auto token = emulator_.AddServiceToken(account_, {"x", {}});
    ASSERT_TRUE(token.has_value());
    std::string headers;
    std::string body;
    const auto start = std::chrono::steady_clock::now();
    const long status = CurlDelete(curl, token->id, headers, body);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
    EXPECT_EQ(status, variant == DbtDeleteReply::kNoContent ? 204 : 200) << headers;
    EXPECT_EQ(body.empty(), variant != DbtDeleteReply::kOkEnvelope) << body;
    EXPECT_EQ(emulator_.Token(token->id)->state, 2);
  }
  long connections = -1;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connections);
  EXPECT_EQ(connections, 0);  // the last request reused the connection
  curl_easy_cleanup(curl);
}

}  // namespace
}  // namespace dbtrotate::emulators::testing
