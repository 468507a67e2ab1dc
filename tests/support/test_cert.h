#ifndef DBTROTATE_TESTS_SUPPORT_TEST_CERT_H_
#define DBTROTATE_TESTS_SUPPORT_TEST_CERT_H_

// A throwaway self-signed certificate for HTTPS loopback tests, made with OpenSSL at run
// time so no key material is checked in.

#include <filesystem>
#include <string>

namespace dbtrotate::testing {

struct CertFiles {
  std::filesystem::path dir;
  std::string cert_path;
  std::string key_path;
  ~CertFiles();  // removes dir
};

/// Writes cert.pem / key.pem (P-256, CN=localhost, SAN 127.0.0.1 and ::1) into a new temp
/// directory; empty paths on failure.
CertFiles MakeSelfSignedCert();

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_SUPPORT_TEST_CERT_H_
