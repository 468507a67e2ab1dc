#include "aws/secretsmanager/client_fixture.h"

#include "aws/sigv4/uri.h"
#include "aws/sigv4/verifier.h"

namespace dbtrotate::aws::testing {

::testing::AssertionResult ClientTest::SignedWith(const http::Request& request,
                                                  std::string_view secret_key, SystemTime now) {
  auto url = sigv4::SplitUrl(request.url);
  if (!url) return ::testing::AssertionFailure() << "bad URL " << request.url;
  const sigv4::RequestView view{http::MethodName(request.method), url->path, url->query,
                                &request.headers, request.body};
  const SecretString secret = SecretString::CopyOf(secret_key);
  auto verified = sigv4::VerifyRequest(view, [&](std::string_view) { return &secret; },
                                       {"us-east-1", "secretsmanager", now});
  if (!verified) return ::testing::AssertionFailure() << verified.error().message;
  return ::testing::AssertionSuccess();
}

}  // namespace dbtrotate::aws::testing
