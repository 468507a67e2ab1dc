#ifndef DBTROTATE_TESTS_HTTP_TEST_TLS_H_
#define DBTROTATE_TESTS_HTTP_TEST_TLS_H_

// A throw-away self-signed certificate for 127.0.0.1/localhost, written to a temp dir, so TLS
// tests run against a real handshake with verification on.

#include <string>

namespace dbtrotate::testing {

struct TestCertificate {
  std::string dir;
  std::string cert_path;  // PEM; also usable as the CA bundle (it is self-signed)
  std::string key_path;
};

TestCertificate MakeSelfSignedCertificate(const std::string& common_name = "localhost");

}  // namespace dbtrotate::testing

#endif  // DBTROTATE_TESTS_HTTP_TEST_TLS_H_
