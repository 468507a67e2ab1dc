#include "http/preconnect.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "http/curl_client.h"
#include "support/test_cert.h"

namespace dbtrotate::http {
namespace {

using namespace std::chrono_literals;

// A socket listening on 127.0.0.1 at a free port; `address` gets that port.
int ListenOnLoopback(int backlog, sockaddr_in& address) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  listen(fd, backlog);
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  return fd;
}

// A listening socket on 127.0.0.1 whose connections the test accepts itself.
class RawListener {
 public:
  RawListener() : fd_(ListenOnLoopback(16, address_)) {}
  ~RawListener() {
    for (int fd : accepted_) close(fd);
    close(fd_);
  }
  RawListener(const RawListener&) = delete;
  RawListener& operator=(const RawListener&) = delete;

  /// Accepts one connection (waits at most 5 s) and returns the client's port, or 0.
  int AcceptOne() {
    pollfd entry{fd_, POLLIN, 0};
    if (poll(&entry, 1, 5000) != 1) return 0;
    sockaddr_in peer{};
    socklen_t length = sizeof(peer);
    const int fd = accept4(fd_, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_CLOEXEC);
    if (fd < 0) return 0;
    accepted_.push_back(fd);
    return ntohs(peer.sin_port);
  }
  void CloseAccepted() {
    for (int fd : accepted_) close(fd);
    accepted_.clear();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  int port() const { return ntohs(address_.sin_port); }
  const sockaddr* address() const { return reinterpret_cast<const sockaddr*>(&address_); }

 private:
  sockaddr_in address_{};  // before fd_: the constructor fills it while opening fd_
  int fd_ = -1;
  std::vector<int> accepted_;
};

int LocalPort(int fd) {
  sockaddr_in local{};
  socklen_t length = sizeof(local);
  getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length);
  return ntohs(local.sin_port);
}

TEST(PreconnectorTest, HandsOutEachConnectionItOpenedOnceAndOnlyForItsAddress) {
  RawListener listener;
  auto pre = Preconnector::Start(listener.url(), 2, 2s);
  const std::set<int> accepted{listener.AcceptOne(), listener.AcceptOne()};
  ASSERT_EQ(accepted.size(), 2u);
  ASSERT_EQ(accepted.count(0), 0u);

  RawListener other;
  EXPECT_EQ(pre->Take(other.address(), sizeof(sockaddr_in)), -1);

  std::set<int> taken;
  for (int i = 0; i < 2; ++i) {
    const int fd = pre->Take(listener.address(), sizeof(sockaddr_in));
    ASSERT_GE(fd, 0);
    taken.insert(LocalPort(fd));
    close(fd);
  }
  EXPECT_EQ(taken, accepted);  // the very connections the server accepted
  EXPECT_EQ(pre->Take(listener.address(), sizeof(sockaddr_in)), -1);
}

TEST(PreconnectorTest, ConnectionsThePeerClosedAreNotHandedOver) {
  RawListener listener;
  auto pre = Preconnector::Start(listener.url(), 2, 2s);
  ASSERT_NE(listener.AcceptOne(), 0);
  ASSERT_NE(listener.AcceptOne(), 0);
  ASSERT_EQ(pre->Available(), 2u);
  listener.CloseAccepted();
  std::this_thread::sleep_for(50ms);  // let the FINs arrive
  EXPECT_EQ(pre->Take(listener.address(), sizeof(sockaddr_in)), -1);
  EXPECT_EQ(pre->Available(), 0u);
}

TEST(PreconnectorTest, ARefusedConnectionLeavesNothingToTake) {
  sockaddr_in address{};
  int port = 0;
  {
    RawListener closed_soon;  // a port that was free a moment ago and is closed now
    port = closed_soon.port();
    address = *reinterpret_cast<const sockaddr_in*>(closed_soon.address());
  }
  auto pre = Preconnector::Start("http://127.0.0.1:" + std::to_string(port), 2, 2s);
  EXPECT_EQ(pre->Available(), 0u);
  EXPECT_EQ(pre->Take(reinterpret_cast<sockaddr*>(&address), sizeof(address)), -1);
}

// A listener whose accept queue is full: the kernel drops further SYNs, so a connect to it
// stays in progress (until its retransmissions give up, long after any test).
class FullListener {
 public:
  FullListener() : listener_(ListenOnLoopback(0, address_)) {
    for (int i = 0; i < 3; ++i) {  // one fills the queue; the others wait like ours will
      const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      connect(fd, reinterpret_cast<sockaddr*>(&address_), sizeof(address_));
      fillers_.push_back(fd);
    }
  }
  ~FullListener() {
    for (int fd : fillers_) close(fd);
    close(listener_);
  }
  FullListener(const FullListener&) = delete;
  FullListener& operator=(const FullListener&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(ntohs(address_.sin_port)); }
  const sockaddr* address() const { return reinterpret_cast<const sockaddr*>(&address_); }

 private:
  sockaddr_in address_{};  // before listener_, as in RawListener
  int listener_;
  std::vector<int> fillers_;
};

TEST(PreconnectorTest, AnotherAddressDoesNotWaitForConnectionsStillOpening) {
  FullListener full;
  auto pre = Preconnector::Start(full.url(), 2, 5s);
  RawListener other;  // e.g. STS on the same client, while Secrets Manager's connects hang
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(pre->Take(other.address(), sizeof(sockaddr_in)), -1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(PreconnectorTest, AConnectionStillOpeningAtTheTimeoutIsNotHandedOver) {
  FullListener full;
  auto pre = Preconnector::Start(full.url(), 1, 300ms);
  EXPECT_EQ(pre->Take(full.address(), sizeof(sockaddr_in)), -1);  // after ~300 ms
  EXPECT_EQ(pre->Available(), 0u);
}

TEST(PreconnectorTest, OpensNothingForAUrlThePolicyRefuses) {
  for (const char* url : {"http://example.com", "ftp://127.0.0.1:21", "not a url"}) {
    auto pre = Preconnector::Start(url, 2, 200ms);
    EXPECT_EQ(pre->Available(), 0u) << url;
  }
}

TEST(PreconnectorTest, AProxyFromTheEnvironmentMeansNothingIsOpenedAhead) {
  std::map<std::string, std::string> vars;
  const EnvGetter env = [&vars](const std::string& name) -> std::optional<std::string> {
    auto found = vars.find(name);
    if (found == vars.end()) return std::nullopt;
    return found->second;
  };
  EXPECT_FALSE(ProxyConfigured("https", env));
  for (const char* name : {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
    vars = {{name, "http://proxy:3128"}};
    EXPECT_TRUE(ProxyConfigured("https", env)) << name;
  }
  vars = {{"http_proxy", "http://proxy:3128"}};
  EXPECT_FALSE(ProxyConfigured("https", env));
  EXPECT_TRUE(ProxyConfigured("http", env));
  vars = {{"HTTPS_PROXY", ""}};
  EXPECT_FALSE(ProxyConfigured("https", env));
}

// Counts the connections an httplib server accepts: each is enqueued once, at accept time.
class CountingQueue : public httplib::TaskQueue {
 public:
  explicit CountingQueue(std::atomic<int>& accepted) : accepted_(accepted), pool_(4) {}
  void enqueue(std::function<void()> fn) override {
    ++accepted_;
    pool_.enqueue(std::move(fn));
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  std::atomic<int>& accepted_;
  httplib::ThreadPool pool_;
};

class ServedLoopback {
 public:
  explicit ServedLoopback(std::unique_ptr<httplib::Server> server) : server_(std::move(server)) {
    server_->new_task_queue = [this] { return new CountingQueue(accepted_); };
    server_->set_tcp_nodelay(true);
    server_->Get("/ports", [this](const httplib::Request& req, httplib::Response& res) {
      std::this_thread::sleep_for(50ms);  // so that two requests overlap
      std::lock_guard lock(mutex_);
      ports_.insert(req.remote_port);
      res.set_content("ok", "text/plain");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    for (int i = 0; i < 500 && !server_->is_running(); ++i) std::this_thread::sleep_for(1ms);
  }
  ~ServedLoopback() {
    server_->stop();
    thread_.join();
  }
  ServedLoopback(const ServedLoopback&) = delete;
  ServedLoopback& operator=(const ServedLoopback&) = delete;

  int port() const { return port_; }
  int accepted() const { return accepted_.load(); }
  std::set<int> ports() {
    std::lock_guard lock(mutex_);
    return ports_;
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::atomic<int> accepted_{0};
  std::mutex mutex_;
  std::set<int> ports_;
  std::thread thread_;
  int port_ = 0;
};

// Two requests at once need two connections: both ride the ones opened ahead, and the
// server never sees a third.
void ExpectTwoRequestsRideTheOpenedConnections(ServedLoopback& served, const std::string& base,
                                               CurlClientOptions options) {
  options.preconnected = Preconnector::Start(base, 2, 2s);
  ASSERT_EQ(options.preconnected->Available(), 2u);
  // Connected on our side; the server's accept loop may still be on its way to them.
  for (int i = 0; i < 2000 && served.accepted() < 2; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(served.accepted(), 2);
  CurlClient client(options);
  auto send = [&] { return client.Send(Request(Method::kGet, base + "/ports")); };
  auto first = std::async(std::launch::async, send);
  auto second = send();
  auto first_result = first.get();
  ASSERT_TRUE(first_result) << first_result.error().message;
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(first_result->body, "ok");
  EXPECT_EQ(options.preconnected->Available(), 0u);
  EXPECT_EQ(served.ports().size(), 2u);
  EXPECT_EQ(served.accepted(), 2) << "libcurl opened a connection of its own";
}

TEST(CurlClientPreconnectTest, RequestsAdoptConnectionsOpenedAhead) {
  ServedLoopback served(std::make_unique<httplib::Server>());
  ExpectTwoRequestsRideTheOpenedConnections(
      served, "http://127.0.0.1:" + std::to_string(served.port()), {});
}

TEST(CurlClientPreconnectTest, TlsIsNegotiatedAndVerifiedOnAnAdoptedConnection) {
  const testing::CertFiles cert = testing::MakeSelfSignedCert();
  ServedLoopback served(
      std::make_unique<httplib::SSLServer>(cert.cert_path.c_str(), cert.key_path.c_str()));
  const std::string base = "https://127.0.0.1:" + std::to_string(served.port());
  CurlClientOptions options;
  options.ca_bundle = cert.cert_path;
  ExpectTwoRequestsRideTheOpenedConnections(served, base, options);

  // An adopted connection is verified like any other: an untrusted certificate fails.
  CurlClientOptions untrusted;
  untrusted.preconnected = Preconnector::Start(base, 1, 2s);
  ASSERT_EQ(untrusted.preconnected->Available(), 1u);
  CurlClient client(untrusted);
  auto result = client.Send(Request(Method::kGet, base + "/ports"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kTls);
  EXPECT_EQ(untrusted.preconnected->Available(), 0u);
}

TEST(CurlClientPreconnectTest, AConnectionClosedMeanwhileIsReplacedNotUsed) {
  RawListener listener;  // accepts, then closes: a server that dropped an idle connection
  CurlClientOptions options;
  options.preconnected = Preconnector::Start(listener.url(), 1, 2s);
  ASSERT_NE(listener.AcceptOne(), 0);
  listener.CloseAccepted();
  std::this_thread::sleep_for(50ms);
  CurlClient client(options);
  // libcurl connects again (to a listener that accepts but never answers): the request then
  // times out, which shows it went out on a connection of its own rather than the dead one.
  Request request(Method::kGet, listener.url() + "/x");
  request.timeout = 300ms;
  auto result = client.Send(request);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kTimeout);
  EXPECT_NE(listener.AcceptOne(), 0);
}

}  // namespace
}  // namespace dbtrotate::http
