#include "cli/version.h"

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "core/version.h"

namespace dbtrotate::cli {

std::string VersionText() {
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  std::string text = std::string("dbt-rotate ") + kVersion + "\n";
  text += std::string("commit ") + build_info::kGitCommit + "\n";
  text += std::string("built ") + build_info::kBuildDate + "\n";
  text += std::string("libcurl ") + (curl->version != nullptr ? curl->version : "unknown");
  if (curl->ssl_version != nullptr) text += std::string(" (") + curl->ssl_version + ")";
  text += std::string("\n") + OpenSSL_version(OPENSSL_VERSION);
  return text;
}

}  // namespace dbtrotate::cli
