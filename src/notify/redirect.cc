#include "notify/redirect.h"

#include <curl/curl.h>

#include <memory>

#include "core/ascii.h"
#include "http/url_policy.h"

namespace dbtrotate::notify {

namespace {

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

}  // namespace

Result<std::string, std::string> ResolveLocation(const std::string& base,
                                                 const std::string& location) {
  std::unique_ptr<CURLU, UrlDeleter> url(curl_url());
  if (!url) return Fail(std::string("out of memory"));
  // Setting a URL on a handle that holds one resolves it as a reference (RFC 3986 §5).
  if (curl_url_set(url.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK ||
      curl_url_set(url.get(), CURLUPART_URL, location.c_str(), 0) != CURLUE_OK) {
    return Fail(std::string("the redirect's Location is not a URL"));
  }
  char* text = nullptr;
  if (curl_url_get(url.get(), CURLUPART_URL, &text, 0) != CURLUE_OK || text == nullptr) {
    return Fail(std::string("the redirect's Location is not a URL"));
  }
  std::string resolved(text);
  curl_free(text);
  return resolved;
}

std::string RedirectRefusal(const std::string& from, const std::string& to) {
  auto source = http::ParseUrl(from);
  auto target = http::ParseUrl(to);
  if (!source || !target) return "the redirect's target is not an http(s) URL";
  if (!AsciiEqualsIgnoreCase(source->host, target->host)) {
    return "it points to another host, and the notification goes only to the host of the "
           "notify URL";
  }
  if (source->scheme == "https" && target->scheme != "https") {
    return "it points from https to plain http";
  }
  return "";
}

}  // namespace dbtrotate::notify
