#include "http/curl_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "support/test_cert.h"

namespace dbtrotate::http {
namespace {

using namespace std::chrono_literals;

// A loopback server that is always stopped by the test that started it.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::unique_ptr<httplib::Server> server) : server_(std::move(server)) {}
  void Start() {
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
  }
  ~LoopbackServer() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  httplib::Server& server() { return *server_; }
  int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

class CurlClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& server = loopback_.server();
    server.set_tcp_nodelay(true);
    server.Get("/hello", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-Echo-Auth", req.get_header_value("Authorization"));
      res.set_header("X-Echo-UA", req.get_header_value("User-Agent"));
      res.set_content("hi", "text/plain");
    });
    server.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.status = 201;
      res.set_content(req.body, "application/json");
    });
    server.Put("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content("put:" + req.body, "text/plain");
    });
    server.Delete("/item",
                  [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
    server.Get("/status/503", [](const httplib::Request&, httplib::Response& res) {
      res.status = 503;
      res.set_header("Retry-After", "7");
      res.set_content("busy", "text/plain");
    });
    server.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(600ms);
      res.set_content("late", "text/plain");
    });
    server.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(64 * 1024, 'x'), "text/plain");
    });
    loopback_.Start();
    base_ = "http://127.0.0.1:" + std::to_string(loopback_.port());
  }

  LoopbackServer loopback_{std::make_unique<httplib::Server>()};
  std::string base_;
};

TEST_F(CurlClientTest, GetSendsHeadersAndUserAgent) {
  CurlClient client;
  Request request(Method::kGet, base_ + "/hello");
  request.AddHeader("Authorization", "Bearer abc");
  auto result = client.Send(request);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "hi");
  EXPECT_EQ(result->HeaderValue("x-echo-auth"), "Bearer abc");
  EXPECT_EQ(result->HeaderValue("X-ECHO-UA"), std::string("dbt-rotate/") + "0.1.0");
}

TEST_F(CurlClientTest, PostPutDeleteCarryBodiesAndStatuses) {
  CurlClient client;
  Request post(Method::kPost, base_ + "/echo");
  post.body = R"({"name":"x"})";
  post.AddHeader("Content-Type", "application/json");
  auto posted = client.Send(post);
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 201);
  EXPECT_EQ(posted->body, R"({"name":"x"})");

  Request put(Method::kPut, base_ + "/echo");
  put.body = "abc";
  auto putted = client.Send(put);
  ASSERT_TRUE(putted);
  EXPECT_EQ(putted->body, "put:abc");

  auto deleted = client.Send(Request(Method::kDelete, base_ + "/item"));
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 204);
  EXPECT_TRUE(deleted->body.empty());
}

TEST_F(CurlClientTest, ServerErrorsAreResponsesNotErrors) {
  CurlClient client;
  auto result = client.Send(Request(Method::kGet, base_ + "/status/503"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 503);
  EXPECT_EQ(result->HeaderValue("retry-after"), "7");
}

TEST_F(CurlClientTest, ReusesOneConnectionForSequentialRequests) {
  CurlClient client;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.Send(Request(Method::kGet, base_ + "/hello")));
  EXPECT_EQ(client.Stats().requests, 5u);
  EXPECT_EQ(client.Stats().new_connections, 1u);
}

TEST_F(CurlClientTest, NonIdempotentRequestRidesAPooledConnectionOnlyWithABody) {
  // A create rides the warm connection (its body cannot be rewound, so libcurl cannot re-send
  // it: see SentOnceEvenWhenTheReusedConnectionDiesUnderIt); a bodiless one that must not be
  // sent twice gets a connection of its own.
  CurlClient client;
  ASSERT_TRUE(client.Send(Request(Method::kGet, base_ + "/hello")));
  EXPECT_EQ(client.Stats().new_connections, 1u);
  Request create(Method::kPost, base_ + "/echo");
  create.body = R"({"name":"x"})";
  auto created = client.Send(create);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->body, create.body) << "the body sent through the read callback";
  EXPECT_EQ(client.Stats().new_connections, 1u);
  ASSERT_TRUE(client.Send(Request(Method::kPost, base_ + "/echo")));
  EXPECT_EQ(client.Stats().new_connections, 2u);
  Request once_get(Method::kGet, base_ + "/hello");
  once_get.idempotent = false;  // bodiless, whatever the method: a connection of its own
  ASSERT_TRUE(client.Send(once_get));
  EXPECT_EQ(client.Stats().new_connections, 3u);
  Request idempotent_post(Method::kPost, base_ + "/echo");
  idempotent_post.idempotent = true;  // e.g. carries an idempotency key
  ASSERT_TRUE(client.Send(idempotent_post));
  ASSERT_TRUE(client.Send(Request(Method::kGet, base_ + "/hello")));
  EXPECT_EQ(client.Stats().new_connections, 3u);
}

TEST_F(CurlClientTest, ConcurrentRequestsAllSucceed) {
  CurlClient client;
  std::vector<std::future<bool>> results;
  for (int i = 0; i < 8; ++i) {
    results.push_back(std::async(std::launch::async, [&] {
      auto r = client.Send(Request(Method::kGet, base_ + "/hello"));
      return r && r->status == 200;
    }));
  }
  for (auto& r : results) EXPECT_TRUE(r.get());
  // Connections opened for the burst are kept: a later request needs no new one.
  const auto before = client.Stats().new_connections;
  ASSERT_TRUE(client.Send(Request(Method::kGet, base_ + "/hello")));
  EXPECT_EQ(client.Stats().new_connections, before);
}

TEST_F(CurlClientTest, TimeoutIsATransportError) {
  CurlClientOptions options;
  options.total_timeout = 150ms;
  CurlClient client(options);
  auto result = client.Send(Request(Method::kGet, base_ + "/slow"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kTimeout);
  EXPECT_TRUE(result.error().maybe_sent);
  EXPECT_NE(result.error().message.find("GET http://127.0.0.1"), std::string::npos);
}

TEST_F(CurlClientTest, PerRequestTimeoutOverridesDefault) {
  CurlClient client;
  Request request(Method::kGet, base_ + "/slow");
  request.timeout = 100ms;
  auto result = client.Send(request);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kTimeout);
}

TEST_F(CurlClientTest, OversizedResponseIsRefused) {
  CurlClientOptions options;
  options.max_response_bytes = 1024;
  CurlClient client(options);
  auto result = client.Send(Request(Method::kGet, base_ + "/big"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kResponseTooLarge);
}

TEST(CurlClientNoServer, ConnectionRefusedWasNeverSent) {
  // Bind a port and close it again, so nothing listens there.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const int port = ntohs(address.sin_port);
  ::close(fd);
  CurlClient client;
  auto result =
      client.Send(Request(Method::kPost, "http://127.0.0.1:" + std::to_string(port) + "/x"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kConnect);
  EXPECT_FALSE(result.error().maybe_sent);
}

// A keep-alive HTTP/1.1 server on a raw socket that answers GETs and, for every POST, reads
// the whole request, counts it (as applied) and closes the connection without a reply: a
// server or proxy that dies right after applying a create.
class ApplyThenCloseServer {
 public:
  ApplyThenCloseServer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    socklen_t length = sizeof(address);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    ::listen(listener_, 8);
    thread_ = std::thread([this] { AcceptLoop(); });
  }
  ~ApplyThenCloseServer() {
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int posts() const { return posts_.load(); }
  /// Which accepted connection (1, 2, …) the last POST arrived on.
  int post_connection() const { return post_connection_.load(); }

 private:
  void AcceptLoop() {
    for (;;) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      ++accepted_;
      Serve(fd);  // one connection at a time is enough for these tests
      ::close(fd);
    }
  }
  void Serve(int fd) {
    std::string buffer;
    for (;;) {
      std::size_t head_end;
      while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!Read(fd, buffer)) return;
      }
      const std::string head = buffer.substr(0, head_end);
      std::size_t length = 0;
      if (auto at = head.find("Content-Length: "); at != std::string::npos) {
        length = std::stoul(head.substr(at + 16));
      }
      while (buffer.size() < head_end + 4 + length) {
        if (!Read(fd, buffer)) return;
      }
      buffer.erase(0, head_end + 4 + length);
      if (head.rfind("POST", 0) == 0) {
        posts_.fetch_add(1);
        post_connection_.store(accepted_);
        return;  // applied; the connection closes with no reply
      }
      const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
      if (::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) < 0) return;
    }
  }
  static bool Read(int fd, std::string& buffer) {
    char chunk[4096];
    const ssize_t got = ::recv(fd, chunk, sizeof(chunk), 0);
    if (got <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(got));
    return true;
  }

  int listener_ = -1;
  int port_ = 0;
  int accepted_ = 0;  // the accept thread's own
  std::atomic<int> posts_{0};
  std::atomic<int> post_connection_{0};
  std::thread thread_;
};

// Warms a connection with a GET, then POSTs a body on it; the server applies and hangs up.
HttpResult WarmThenPost(ApplyThenCloseServer& server, bool idempotent) {
  CurlClient client;
  if (!client.Send(Request(Method::kGet, server.url("/warm")))) {
    return Fail(Error{ErrorKind::kOther, "the warm-up GET failed", false});
  }
  Request post(Method::kPost, server.url("/create"));
  post.body = R"({"name":"x"})";
  post.idempotent = idempotent;
  return client.Send(post);
}

// libcurl re-sends a request whose reused connection died without a reply. For a create that
// would be a second token: the body handed over without a rewind makes that impossible.
TEST(CurlClientSendOnce, SentOnceEvenWhenTheReusedConnectionDiesUnderIt) {
  ApplyThenCloseServer server;
  auto result = WarmThenPost(server, /*idempotent=*/false);
  ASSERT_FALSE(result);
  EXPECT_TRUE(result.error().maybe_sent);
  EXPECT_EQ(server.posts(), 1) << "the create was sent twice";
  EXPECT_EQ(server.post_connection(), 1) << "the create did not ride the warm connection";
}

// The same server shows what the guard is for: an idempotent POST (its body rewindable) is
// re-sent by libcurl on a fresh connection.
TEST(CurlClientSendOnce, IdempotentRequestIsResentByLibcurlOnADeadReusedConnection) {
  ApplyThenCloseServer server;
  ASSERT_FALSE(WarmThenPost(server, /*idempotent=*/true));
  EXPECT_EQ(server.posts(), 2);
  EXPECT_EQ(server.post_connection(), 2);
}

TEST(CurlClientPolicy, PlainHttpToNonLoopbackIsRefusedBeforeConnecting) {
  CurlClient client;
  auto result = client.Send(Request(Method::kGet, "http://example.com/api/v3/"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kInsecureUrl);
  EXPECT_FALSE(result.error().maybe_sent);
}

TEST(CurlClientPolicy, MetadataHostsCanBeAllowedOverPlainHttp) {
  // Checked without sending anything: the metadata addresses must never be contacted here.
  CurlClientOptions metadata;
  metadata.plain_http_hosts = {"169.254.169.254", "fd00:ec2::254"};
  EXPECT_TRUE(CheckRequestUrl("http://169.254.169.254/latest/api/token", metadata));
  EXPECT_TRUE(CheckRequestUrl("http://[fd00:ec2::254]/latest/api/token", metadata));
  auto other = CheckRequestUrl("http://10.0.0.1/", metadata);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, ErrorKind::kInsecureUrl);

  auto ordinary = CheckRequestUrl("http://169.254.169.254/latest/api/token", CurlClientOptions{});
  ASSERT_FALSE(ordinary);
  EXPECT_EQ(ordinary.error().kind, ErrorKind::kInsecureUrl);

  CurlClientOptions https_only;
  https_only.allow_http_loopback = false;
  EXPECT_FALSE(CheckRequestUrl("http://127.0.0.1:1/", https_only));
  EXPECT_TRUE(CheckRequestUrl("https://127.0.0.1:1/", https_only));
}

TEST(CurlClientPolicy, GarbageUrlIsInvalid) {
  CurlClient client;
  for (const char* url : {"not a url", "ftp://127.0.0.1/", "https://user:pw@127.0.0.1/"}) {
    auto result = client.Send(Request(Method::kGet, url));
    ASSERT_FALSE(result) << url;
    EXPECT_EQ(result.error().kind, ErrorKind::kInvalidUrl) << url;
    EXPECT_EQ(result.error().message.find("pw"), std::string::npos);
  }
}

// Sets an environment variable for one test and restores it after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// A bearer token over plain http (allowed to loopback only) must never travel through a proxy:
// the proxy is another hop, possibly remote, and would see the token in clear.
TEST_F(CurlClientTest, PlainHttpNeverGoesThroughAProxy) {
  std::atomic<int> proxied{0};
  LoopbackServer proxy{std::make_unique<httplib::Server>()};
  proxy.server().set_pre_routing_handler(
      [&proxied](const httplib::Request&, httplib::Response& res) {
        ++proxied;
        res.set_content("from the proxy", "text/plain");
        return httplib::Server::HandlerResponse::Handled;
      });
  proxy.Start();
  const std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
  for (const char* variable : {"http_proxy", "HTTP_PROXY", "ALL_PROXY", "all_proxy"}) {
    ScopedEnv env(variable, proxy_url);
    ScopedEnv no_proxy("NO_PROXY", "");
    ScopedEnv no_proxy_lower("no_proxy", "");
    CurlClient client;
    Request request(Method::kGet, base_ + "/hello");
    request.AddHeader("Authorization", "Bearer abc");
    auto result = client.Send(request);
    ASSERT_TRUE(result) << variable << ": " << result.error().message;
    EXPECT_EQ(result->body, "hi") << variable;
    EXPECT_EQ(proxied.load(), 0) << variable << " sent the plain-http request to the proxy";
  }
}

class CurlClientTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(cert_.cert_path.empty());
    auto server =
        std::make_unique<httplib::SSLServer>(cert_.cert_path.c_str(), cert_.key_path.c_str());
    ASSERT_TRUE(server->is_valid());
    server->Get("/secure", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("tls ok", "text/plain");
    });
    loopback_ = std::make_unique<LoopbackServer>(std::move(server));
    loopback_->Start();
    url_ = "https://127.0.0.1:" + std::to_string(loopback_->port()) + "/secure";
  }
  void TearDown() override { loopback_.reset(); }

  testing::CertFiles cert_ = testing::MakeSelfSignedCert();
  std::unique_ptr<LoopbackServer> loopback_;
  std::string url_;
};

TEST_F(CurlClientTlsTest, VerifiesAgainstTheGivenCaBundleAndReusesTheConnection) {
  CurlClientOptions options;
  options.ca_bundle = cert_.cert_path;
  CurlClient client(options);
  for (int i = 0; i < 3; ++i) {
    auto result = client.Send(Request(Method::kGet, url_));
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->body, "tls ok");
  }
  EXPECT_EQ(client.Stats().new_connections, 1u);  // one TLS handshake for the whole run
}

TEST_F(CurlClientTlsTest, UntrustedCertificateIsATlsError) {
  CurlClient client;  // system CAs do not include our self-signed certificate
  auto result = client.Send(Request(Method::kGet, url_));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kTls);
  EXPECT_FALSE(result.error().maybe_sent);
  EXPECT_NE(result.error().message.find("--ca-bundle"), std::string::npos);
}

}  // namespace
}  // namespace dbtrotate::http
