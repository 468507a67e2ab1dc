#include "support/test_cert.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <random>
#include <system_error>

namespace dbtrotate::testing {
namespace {

bool WritePem(const std::string& path, X509* cert, EVP_PKEY* key) {
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) return false;
  const bool ok = cert != nullptr
                      ? PEM_write_X509(file, cert) == 1
                      : PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  std::fclose(file);
  return ok;
}

}  // namespace

CertFiles::~CertFiles() {
  std::error_code ignored;
  if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
}

CertFiles MakeSelfSignedCert() {
  CertFiles files;
  std::random_device seed;
  files.dir = std::filesystem::temp_directory_path() /
              ("dbtrotate-cert-" + std::to_string(seed()) + std::to_string(seed()));
  std::error_code error;
  if (!std::filesystem::create_directories(files.dir, error)) return files;

  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  bool ok = key != nullptr && cert != nullptr;
  if (ok) {
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name,
                                              "DNS:localhost,IP:127.0.0.1,IP:::1");
    ok = san != nullptr && X509_add_ext(cert, san, -1) == 1;
    X509_EXTENSION_free(san);
    ok = ok && X509_sign(cert, key, EVP_sha256()) > 0;
  }
  const std::string cert_path = (files.dir / "cert.pem").string();
  const std::string key_path = (files.dir / "key.pem").string();
  ok = ok && WritePem(cert_path, cert, nullptr) && WritePem(key_path, nullptr, key);
  X509_free(cert);
  EVP_PKEY_free(key);
  if (ok) {
    files.cert_path = cert_path;
    files.key_path = key_path;
  }
  return files;
}

}  // namespace dbtrotate::testing
