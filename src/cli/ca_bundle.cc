#include "cli/ca_bundle.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "cli/terminal_text.h"
#include "core/bounded_file.h"

namespace dbtrotate::cli {

namespace {

// Debian's whole bundle is ~200 KiB; a hundred times that is no CA bundle.
constexpr std::size_t kMaxCaBundleBytes = 16U << 20;

bool HasPemCertificate(const std::string& text) {
  const std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), &BIO_free);
  if (!bio) return false;
  X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  ERR_clear_error();  // a failed read leaves errors that would confuse libcurl's reports
  if (certificate == nullptr) return false;
  X509_free(certificate);
  return true;
}

}  // namespace

Result<void, std::string> CheckCaBundle(const std::string& path, std::string_view source) {
  const std::string where =
      "CA bundle '" + TerminalSafe(path) + "' (from " + std::string(source) + ")";
  auto text = ReadBoundedFile(path, kMaxCaBundleBytes);
  if (!text) return Fail(where + " " + text.error().reason);
  if (!HasPemCertificate(*text)) {
    return Fail(where +
                " holds no PEM certificate (-----BEGIN CERTIFICATE-----); give a PEM CA bundle");
  }
  return {};
}

}  // namespace dbtrotate::cli
