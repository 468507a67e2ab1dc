// Notifications against a real loopback webhook (cpp-httplib): delivered, slow (timeout
// reported), failing (status reported), redirected (followed on the same host, refused to
// another host or in a loop). Nothing here sleeps: the slow handler waits for the test.

#include "notify/sender.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/curl_client.h"

namespace dbtrotate::notify {
namespace {

using nlohmann::json;

class Webhook {
 public:
  Webhook() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    // Bound and listening already: requests queue until the accept loop runs.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // This httplib has no wait_until_ready(); stop() before the loop runs would be lost.
    for (int i = 0; i < 2000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~Webhook() {
    Release();
    server_.stop();
    thread_.join();
  }
  Webhook(const Webhook&) = delete;
  Webhook& operator=(const Webhook&) = delete;

  std::string Url(const std::string& path, const std::string& host = "127.0.0.1") const {
    return "http://" + host + ":" + std::to_string(port_) + path;
  }
  httplib::Server& server() { return server_; }

  // Records every request body that reached `path`.
  void Accept(const std::string& path, int status = 200, const std::string& body = "ok") {
    server_.Post(path, [this, status, body](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      received_.push_back({req.path, req.body, req.get_header_value("Content-Type")});
      res.status = status;
      res.set_content(body, "text/plain");
    });
  }
  void Redirect(const std::string& path, int status, const std::string& location) {
    server_.Post(path, [status, location](const httplib::Request&, httplib::Response& res) {
      res.status = status;
      res.set_header("Location", location);
    });
  }
  // Answers only once the test releases it (after the client has given up).
  void Hang(const std::string& path) {
    server_.Post(path, [this](const httplib::Request&, httplib::Response& res) {
      std::unique_lock lock(mutex_);
      released_cv_.wait(lock, [this] { return released_; });
      res.set_content("late", "text/plain");
    });
  }
  void Release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    released_cv_.notify_all();
  }

  struct Received {
    std::string path;
    std::string body;
    std::string content_type;
  };
  std::vector<Received> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable released_cv_;
  bool released_ = false;
  std::vector<Received> received_;
};

json Payload() {
  return {{"text", "dbt-rotate rotate: secret 'x' rotated"}, {"outcome", "rotated"}};
}

class SenderTest : public ::testing::Test {
 protected:
  Webhook hook_;
  http::CurlClient client_;
};

TEST_F(SenderTest, DeliversTheJsonPayload) {
  hook_.Accept("/hooks/T000/B000/secretpath");
  auto sent = Send(client_, hook_.Url("/hooks/T000/B000/secretpath"), Payload());
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->status, 200);
  EXPECT_EQ(sent->redirects, 0);
  auto received = hook_.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].content_type, "application/json");
  EXPECT_EQ(json::parse(received[0].body), Payload());
}

TEST_F(SenderTest, ASlowWebhookIsATimeoutNotAHang) {
  hook_.Hang("/slow");
  SendOptions options;
  options.timeout = std::chrono::milliseconds(150);
  const auto started = std::chrono::steady_clock::now();
  auto sent = Send(client_, hook_.Url("/slow"), Payload(), options);
  const auto took = std::chrono::steady_clock::now() - started;
  hook_.Release();
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, FailureKind::kTimeout);
  EXPECT_NE(sent.error().message.find("did not answer within 150 ms"), std::string::npos)
      << sent.error().message;
  EXPECT_LT(took, std::chrono::seconds(2));
}

TEST_F(SenderTest, AFailingWebhookIsReportedWithItsStatusAndNoPath) {
  hook_.Accept("/hooks/secretpath", 500, "no_service");
  auto sent = Send(client_, hook_.Url("/hooks/secretpath"), Payload());
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, FailureKind::kHttpStatus);
  EXPECT_EQ(sent.error().status, 500);
  EXPECT_NE(sent.error().message.find("HTTP 500: no_service"), std::string::npos);
  EXPECT_EQ(sent.error().message.find("secretpath"), std::string::npos) << "the URL's path leaked";
}

TEST_F(SenderTest, NothingListeningIsATransportFailure) {
  std::string url;
  {
    Webhook closed;
    url = closed.Url("/gone");
  }
  auto sent = Send(client_, url, Payload());
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, FailureKind::kTransport);
}

TEST_F(SenderTest, FollowsARedirectOnTheSameHostWithThePayload) {
  hook_.Redirect("/old", 308, "/new");
  hook_.Redirect("/new", 301, hook_.Url("/newer"));
  hook_.Accept("/newer");
  auto sent = Send(client_, hook_.Url("/old"), Payload());
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->redirects, 2);
  auto received = hook_.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].path, "/newer");
  EXPECT_EQ(json::parse(received[0].body), Payload());
}

TEST_F(SenderTest, RefusesARedirectToAnotherHost) {
  hook_.Accept("/elsewhere");
  // "localhost" reaches the same server, but it is not the host the user named.
  hook_.Redirect("/hook", 307, hook_.Url("/elsewhere", "localhost"));
  auto sent = Send(client_, hook_.Url("/hook"), Payload());
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, FailureKind::kRedirectRefused);
  EXPECT_NE(sent.error().message.find("another host"), std::string::npos) << sent.error().message;
  EXPECT_TRUE(hook_.received().empty()) << "the payload went to the other host";
}

TEST_F(SenderTest, StopsARedirectLoop) {
  hook_.Redirect("/a", 307, "/b");
  hook_.Redirect("/b", 307, "/a");
  auto sent = Send(client_, hook_.Url("/a"), Payload());
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, FailureKind::kTooManyRedirects);
}

TEST_F(SenderTest, ARedirectWithoutLocationIsReported) {
  hook_.server().Post("/nowhere",
                      [](const httplib::Request&, httplib::Response& res) { res.status = 302; });
  auto sent = Send(client_, hook_.Url("/nowhere"), Payload());
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, FailureKind::kHttpStatus);
  EXPECT_EQ(sent.error().status, 302);
}

TEST(NotifyUrlTest, HttpsAnywhereHttpOnlyToLoopback) {
  EXPECT_TRUE(CheckNotifyUrl("https://hooks.slack.com/services/T/B/X"));
  EXPECT_TRUE(CheckNotifyUrl("http://127.0.0.1:9/x"));
  EXPECT_TRUE(CheckNotifyUrl("http://[::1]:9/x"));
  auto plain = CheckNotifyUrl("http://hooks.example.com/services/T/B/secretpart");
  ASSERT_FALSE(plain);
  EXPECT_NE(plain.error().find("http://hooks.example.com"), std::string::npos);
  EXPECT_EQ(plain.error().find("secretpart"), std::string::npos);
  EXPECT_FALSE(CheckNotifyUrl("ftp://example.com/x"));
  EXPECT_FALSE(CheckNotifyUrl("https://user:pw@example.com/x"));
  EXPECT_FALSE(CheckNotifyUrl("not a url"));
  EXPECT_FALSE(CheckNotifyUrl(""));
}

TEST(NotifyUrlTest, DescribesOnlySchemeHostAndPort) {
  EXPECT_EQ(DescribeEndpoint("https://hooks.slack.com/services/T/B/X?y=1"),
            "https://hooks.slack.com");
  EXPECT_EQ(DescribeEndpoint("http://127.0.0.1:8080/p"), "http://127.0.0.1:8080");
  EXPECT_EQ(DescribeEndpoint("http://[::1]:8080/p"), "http://[::1]:8080");
}

TEST(NotifyWhenTest, ParsesAndDecides) {
  EXPECT_EQ(ParseWhen("always").value(), When::kAlways);
  EXPECT_EQ(ParseWhen("on-failure").value(), When::kOnFailure);
  EXPECT_FALSE(ParseWhen("never"));
  EXPECT_FALSE(ParseWhen(""));
  EXPECT_FALSE(ShouldSend(When::kOnFailure, 0));
  EXPECT_TRUE(ShouldSend(When::kOnFailure, 1));
  EXPECT_TRUE(ShouldSend(When::kOnFailure, 3));
  EXPECT_TRUE(ShouldSend(When::kAlways, 0));
}

}  // namespace
}  // namespace dbtrotate::notify
