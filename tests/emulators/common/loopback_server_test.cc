#include "emulators/common/loopback_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <string>

#include "support/test_cert.h"

namespace dbtrotate::emulators {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

LoopbackServer::Setup Hello() {
  return [](httplib::Server& server) {
    server.Get("/hello", [](const httplib::Request&, httplib::Response& response) {
      response.set_content("hi", "text/plain");
    });
  };
}

TEST(LoopbackServerTest, ServesOnARandomFreePort) {
  auto server = LoopbackServer::Start(ServerOptions{}, Hello());
  ASSERT_TRUE(server.has_value()) << server.error();
  EXPECT_GT((*server)->port(), 0);
  EXPECT_EQ((*server)->base_url(), "http://127.0.0.1:" + std::to_string((*server)->port()));

  httplib::Client client((*server)->base_url());
  auto response = client.Get("/hello");
  ASSERT_TRUE(response) << httplib::to_string(response.error());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hi");
}

TEST(LoopbackServerTest, ServesOnIpv6Loopback) {
  ServerOptions options;
  options.host = "::1";
  auto server = LoopbackServer::Start(options, Hello());
  if (!server.has_value()) GTEST_SKIP() << "no IPv6 loopback here: " << server.error();
  EXPECT_EQ((*server)->base_url(), "http://[::1]:" + std::to_string((*server)->port()));
  httplib::Client client("::1", (*server)->port());
  auto response = client.Get("/hello");
  ASSERT_TRUE(response) << httplib::to_string(response.error());
  EXPECT_EQ(response->body, "hi");
}

TEST(LoopbackServerTest, ChosenPortInUseIsAClearError) {
  auto first = LoopbackServer::Start(ServerOptions{}, Hello());
  ASSERT_TRUE(first.has_value()) << first.error();
  ServerOptions options;
  options.port = (*first)->port();
  auto second = LoopbackServer::Start(options, Hello());
  ASSERT_FALSE(second.has_value());
  EXPECT_NE(second.error().find(std::to_string(options.port)), std::string::npos);
}

TEST(LoopbackServerTest, ServesOnAChosenPort) {
  int port = 0;
  {
    auto probe = LoopbackServer::Start(ServerOptions{}, Hello());
    ASSERT_TRUE(probe.has_value()) << probe.error();
    port = (*probe)->port();
  }
  ServerOptions options;
  options.port = port;
  auto server = LoopbackServer::Start(options, Hello());
  ASSERT_TRUE(server.has_value()) << server.error();
  EXPECT_EQ((*server)->port(), port);
  httplib::Client client((*server)->base_url());
  EXPECT_TRUE(client.Get("/hello"));
}

TEST(LoopbackServerTest, RefusesNonLoopbackHostsAndBadInput) {
  ServerOptions options;
  options.host = "0.0.0.0";
  EXPECT_FALSE(LoopbackServer::Start(options, Hello()).has_value());
  options.host = "127.0.0.1";
  options.port = 70000;
  EXPECT_FALSE(LoopbackServer::Start(options, Hello()).has_value());
  options.port = 0;
  options.cert_path = "/nonexistent/cert.pem";
  EXPECT_FALSE(LoopbackServer::Start(options, Hello()).has_value());  // no key
  options.key_path = "/nonexistent/key.pem";
  auto missing = LoopbackServer::Start(options, Hello());
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().find("certificate"), std::string::npos);
}

TEST(LoopbackServerTest, ServesHttpsWithAGivenCertificate) {
  testing::CertFiles cert = testing::MakeSelfSignedCert();
  ASSERT_FALSE(cert.cert_path.empty());
  ServerOptions options;
  options.cert_path = cert.cert_path;
  options.key_path = cert.key_path;
  auto server = LoopbackServer::Start(options, Hello());
  ASSERT_TRUE(server.has_value()) << server.error();
  EXPECT_TRUE((*server)->tls());
  EXPECT_EQ((*server)->base_url().rfind("https://127.0.0.1:", 0), 0u);

  httplib::SSLClient client("127.0.0.1", (*server)->port());
  client.set_ca_cert_path(cert.cert_path);
  client.enable_server_certificate_verification(true);
  auto response = client.Get("/hello");
  ASSERT_TRUE(response) << httplib::to_string(response.error());
  EXPECT_EQ(response->body, "hi");

  // Plain HTTP against the TLS port is not answered.
  httplib::Client plain("127.0.0.1", (*server)->port());
  plain.set_read_timeout(1, 0);
  auto plain_response = plain.Get("/hello");
  EXPECT_TRUE(!plain_response || plain_response->status != 200);
}

TEST(LoopbackServerTest, StopIsIdempotentAndRefusesLaterConnections) {
  auto server = LoopbackServer::Start(ServerOptions{}, Hello());
  ASSERT_TRUE(server.has_value());
  const std::string url = (*server)->base_url();
  (*server)->Stop();
  (*server)->Stop();
  httplib::Client client(url);
  client.set_connection_timeout(1, 0);
  auto response = client.Get("/hello");
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error(), httplib::Error::Connection);
}

TEST(LoopbackServerTest, StopDoesNotWaitForIdleKeepAliveConnections) {
  auto server = LoopbackServer::Start(ServerOptions{}, Hello());
  ASSERT_TRUE(server.has_value());
  httplib::Client client((*server)->base_url());
  client.set_keep_alive(true);
  ASSERT_TRUE(client.Get("/hello"));  // the connection now idles in the server's keep-alive
  const auto start = steady_clock::now();
  (*server)->Stop();
  EXPECT_LT(steady_clock::now() - start, milliseconds(500));
}

TEST(LoopbackServerTest, StopHooksRunOnceBeforeStopping) {
  auto server = LoopbackServer::Start(ServerOptions{}, Hello());
  ASSERT_TRUE(server.has_value());
  int calls = 0;
  (*server)->AddStopHook([&] { ++calls; });
  (*server)->Stop();
  (*server)->Stop();
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace dbtrotate::emulators
