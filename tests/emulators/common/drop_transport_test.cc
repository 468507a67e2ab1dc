// Drops must work whatever the transport: IPv6 loopback and TLS.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>

#include "emulators/common/connection_control.h"
#include "emulators/common/emulator_server.h"
#include "support/test_cert.h"

namespace dbtrotate::emulators {
namespace {

void AddCountingRoute(EmulatorServer& server, std::atomic<int>& applied) {
  server.Route(Method::kPost, "/items", "create_item",
               [&applied](const httplib::Request&, httplib::Response& response) {
                 applied.fetch_add(1);
                 SetJsonBody(response, 200, "{}");
               });
}

TEST(DropTransportTest, DropOverIpv6) {
  EmulatorServer server;
  std::atomic<int> applied{0};
  AddCountingRoute(server, applied);
  ServerOptions options;
  options.host = "::1";
  auto started = server.Start(options);
  if (!started.has_value()) GTEST_SKIP() << "no IPv6 loopback: " << started.error();
  server.faults().AddRule(FaultRule::ForOperation("create_item", Fault::ApplyThenDrop()));
  httplib::Client client("::1", server.port());
  client.set_read_timeout(2, 0);
  auto response = client.Post("/items", "{}", "application/json");
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error(), httplib::Error::Read);
  EXPECT_EQ(applied.load(), 1);
  auto next = client.Post("/items", "{}", "application/json");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST(DropTransportTest, DropOverTls) {
  testing::CertFiles cert = testing::MakeSelfSignedCert();
  ASSERT_FALSE(cert.cert_path.empty());
  EmulatorServer server;
  std::atomic<int> applied{0};
  AddCountingRoute(server, applied);
  ServerOptions options;
  options.cert_path = cert.cert_path;
  options.key_path = cert.key_path;
  ASSERT_TRUE(server.Start(options).has_value());
  server.faults().AddRule(FaultRule::ForOperation("create_item", Fault::Drop()));
  httplib::SSLClient client("127.0.0.1", server.port());
  client.set_ca_cert_path(cert.cert_path);
  client.set_read_timeout(2, 0);
  auto response = client.Post("/items", "{}", "application/json");
  ASSERT_FALSE(response);
  EXPECT_EQ(applied.load(), 0);
  auto next = client.Post("/items", "{}", "application/json");
  ASSERT_TRUE(next) << httplib::to_string(next.error());
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(applied.load(), 1);
}

}  // namespace
}  // namespace dbtrotate::emulators

namespace dbtrotate::emulators {
namespace {

// Without a matching socket the fallback still refuses a complete reply: a declared length
// that the provider never delivers.
TEST(DropTransportTest, FallbackWhenTheSocketIsUnknown) {
  httplib::Request request;
  request.local_port = 1;
  request.remote_port = 1;
  request.remote_addr = "127.0.0.1";
  httplib::Response response;
  EXPECT_FALSE(DropConnection(request, response));
  EXPECT_EQ(response.content_length_, 64u);
  ASSERT_TRUE(static_cast<bool>(response.content_provider_));
}

}  // namespace
}  // namespace dbtrotate::emulators
