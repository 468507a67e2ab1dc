#include "emulators/common/emulator_server.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace dbtrotate::emulators {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

class EmulatorServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Route(Method::kPost, "/items", "create_item",
                  [this](const httplib::Request&, httplib::Response& response) {
                    applied_.fetch_add(1);
                    SetJsonBody(response, 200, R"({"ok": true})");
                  });
    server_.Route(Method::kGet, "/items", "list_items",
                  [](const httplib::Request&, httplib::Response& response) {
                    SetJsonBody(response, 200, R"({"items": []})");
                  });
    server_.Route(
        Method::kPost, "/",
        [](const httplib::Request& request) { return request.get_header_value("X-Target"); },
        [](const httplib::Request&, httplib::Response& response) {
          SetJsonBody(response, 200, "{}");
        });
    server_.Route(Method::kGet, "/boom", "boom", [](const httplib::Request&, httplib::Response&) {
      throw std::runtime_error("handler bug");
    });
    auto started = server_.Start(ServerOptions{});
    ASSERT_TRUE(started.has_value()) << started.error();
  }

  httplib::Client MakeClient(int read_timeout_ms = 2000) {
    httplib::Client client(server_.base_url());
    client.set_read_timeout(milliseconds(read_timeout_ms));
    client.set_connection_timeout(2, 0);
    return client;
  }

  httplib::Result PostItem(int read_timeout_ms = 2000) {
    return MakeClient(read_timeout_ms).Post("/items", "{}", "application/json");
  }

  EmulatorServer server_;
  std::atomic<int> applied_{0};
};

TEST_F(EmulatorServerTest, ServesRoutesAndLogsEveryRequest) {
  auto created = PostItem();
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 200);
  EXPECT_EQ(created->get_header_value("Content-Type"), "application/json");
  auto listed = MakeClient().Get("/items?limit=5");
  ASSERT_TRUE(listed);
  EXPECT_EQ(applied_.load(), 1);

  EXPECT_EQ(server_.log().RequestCount(), 2u);
  EXPECT_EQ(server_.log().CountFor("create_item"), 1u);
  EXPECT_EQ(server_.log().CountFor("list_items"), 1u);
  EXPECT_EQ(server_.log().CountFor("nothing"), 0u);
  const auto log = server_.log().Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].index, 1u);
  EXPECT_EQ(log[0].method, "POST");
  EXPECT_EQ(log[0].operation, "create_item");
  EXPECT_EQ(log[0].status, 200);
  EXPECT_TRUE(log[0].applied);
  EXPECT_TRUE(log[0].completed);
  EXPECT_FALSE(log[0].fault.has_value());
  EXPECT_EQ(log[1].index, 2u);
  EXPECT_EQ(log[1].target, "/items?limit=5");
}

TEST_F(EmulatorServerTest, LogRedactsCredentialsButKeepsTheScheme) {
  httplib::Client client = MakeClient();
  ASSERT_TRUE(client.Get("/items", {{"Authorization", "Token dbtc_secret_value"},
                                    {"X-Amz-Security-Token", "session-secret"},
                                    {"X-Other", "visible"}}));
  const auto log = server_.log().Log();
  ASSERT_EQ(log.size(), 1u);
  const auto& headers = log[0].headers;
  ASSERT_EQ(headers.count("authorization"), 1u);
  EXPECT_EQ(headers.find("authorization")->second, "Token <redacted>");
  EXPECT_EQ(headers.find("x-amz-security-token")->second, "<redacted>");
  EXPECT_EQ(headers.find("x-other")->second, "visible");
}

TEST_F(EmulatorServerTest, OperationNameCanComeFromTheRequest) {
  httplib::Client client = MakeClient();
  ASSERT_TRUE(client.Post("/", {{"X-Target", "secretsmanager.PutSecretValue"}}, "{}",
                          "application/x-amz-json-1.1"));
  ASSERT_TRUE(client.Post("/", {{"X-Target", "secretsmanager.GetSecretValue"}}, "{}",
                          "application/x-amz-json-1.1"));
  EXPECT_EQ(server_.log().CountFor("secretsmanager.PutSecretValue"), 1u);
  EXPECT_EQ(server_.log().CountFor("secretsmanager.GetSecretValue"), 1u);
}

TEST_F(EmulatorServerTest, UnroutedRequestsGoToTheFallbackAndAreLogged) {
  auto response = MakeClient().Delete("/nowhere");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(server_.log().CountFor("unrouted"), 1u);
}

TEST_F(EmulatorServerTest, HandlerExceptionBecomesA500) {
  auto response = MakeClient().Get("/boom");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_NE(response->body.find("handler bug"), std::string::npos);
}

TEST_F(EmulatorServerTest, StatusFaultAnswersWithoutApplying) {
  server_.faults().AddRule(FaultRule::ForOperation(
      "create_item", Fault::Status(429, R"({"detail":"slow down"})", {{"Retry-After", "7"}})));
  auto response = PostItem();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 429);
  EXPECT_EQ(response->get_header_value("Retry-After"), "7");
  EXPECT_EQ(response->body, R"({"detail":"slow down"})");
  EXPECT_EQ(applied_.load(), 0);
  const auto log = server_.log().Log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].status, 429);
  EXPECT_FALSE(log[0].applied);
  EXPECT_EQ(log[0].fault, FaultKind::kStatus);

  // One occurrence only: the next request is served normally.
  auto again = PostItem();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(applied_.load(), 1);
}

TEST_F(EmulatorServerTest, GarbageFaultSends200WithABodyThatIsNotJson) {
  server_.faults().AddRule(FaultRule::ForOperation("create_item", Fault::Garbage()));
  auto response = PostItem();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_FALSE(nlohmann::json::accept(response->body));
  EXPECT_EQ(applied_.load(), 0);
}

TEST_F(EmulatorServerTest, DropFaultClosesWithNoResponseAndDoesNotApply) {
  server_.faults().AddRule(FaultRule::ForOperation("create_item", Fault::Drop()));
  auto response = PostItem();
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error(), httplib::Error::Read);
  EXPECT_EQ(applied_.load(), 0);
  const auto log = server_.log().Log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].status, 0);
  EXPECT_FALSE(log[0].applied);
  EXPECT_EQ(log[0].fault, FaultKind::kDrop);
}

// What libcurl (the project's HTTP client) observes for a drop: the connection closes
// before a single response byte — "Empty reply from server".
TEST_F(EmulatorServerTest, DropIsAnEmptyReplyForLibcurl) {
  server_.faults().AddRule(FaultRule::ForOperation("list_items", Fault::Drop()));
  CURL* curl = curl_easy_init();
  ASSERT_NE(curl, nullptr);
  const std::string url = server_.base_url() + "/items";
  std::string received;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 2000L);
  curl_easy_setopt(
      curl, CURLOPT_HEADERFUNCTION, +[](char* data, size_t size, size_t count, void* out) {
        static_cast<std::string*>(out)->append(data, size * count);
        return size * count;
      });
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &received);
  const CURLcode code = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  EXPECT_EQ(code, CURLE_GOT_NOTHING) << curl_easy_strerror(code);
  EXPECT_TRUE(received.empty()) << received;
}

TEST_F(EmulatorServerTest, HangOutlastsTheClientTimeoutWithoutApplying) {
  server_.faults().AddRule(FaultRule::ForOperation("create_item", Fault::Hang(milliseconds(600))));
  const auto start = steady_clock::now();
  auto response = PostItem(/*read_timeout_ms=*/150);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error(), httplib::Error::Read);
  EXPECT_GE(steady_clock::now() - start, milliseconds(140));
  EXPECT_EQ(applied_.load(), 0);
}

TEST_F(EmulatorServerTest, HangCanEndWithAStatus) {
  server_.faults().AddRule(
      FaultRule::ForOperation("list_items", Fault::Hang(milliseconds(50), /*status_after=*/504)));
  auto response = MakeClient().Get("/items");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 504);
}

TEST_F(EmulatorServerTest, ApplyThenDropChangesStateButLosesTheReply) {
  server_.faults().AddRule(FaultRule::ForOperation("create_item", Fault::ApplyThenDrop()));
  auto response = PostItem();
  ASSERT_FALSE(response);
  EXPECT_EQ(applied_.load(), 1);
  const auto log = server_.log().Log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_TRUE(log[0].applied);
  EXPECT_EQ(log[0].status, 0);
  EXPECT_EQ(server_.log().AppliedCountFor("create_item"), 1u);
}

TEST_F(EmulatorServerTest, ApplyThenStatusChangesStateAndAnswersTheError) {
  server_.faults().AddRule(
      FaultRule::ForOperation("create_item", Fault::ApplyThenStatus(500, R"({"oops":1})")));
  auto response = PostItem();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->body, R"({"oops":1})");
  EXPECT_EQ(applied_.load(), 1);
}

TEST_F(EmulatorServerTest, HoldThenReleaseToApply) {
  server_.faults().AddRule(FaultRule::ForOperation("create_item", Fault::Hold()));
  auto pending = std::async(std::launch::async, [this] { return PostItem(); });
  ASSERT_TRUE(server_.faults().WaitForHeld(milliseconds(2000)));
  EXPECT_EQ(server_.faults().HeldCount(), 1u);
  EXPECT_EQ(applied_.load(), 0);  // held before applying
  server_.faults().Release(HoldRelease::kApply);
  auto response = pending.get();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(applied_.load(), 1);
  EXPECT_EQ(server_.faults().HeldCount(), 0u);
}

TEST_F(EmulatorServerTest, HoldThenReleaseToDropNeverApplies) {
  server_.faults().AddRule(FaultRule::ForOperation("create_item", Fault::Hold()));
  auto pending = std::async(std::launch::async, [this] { return PostItem(); });
  ASSERT_TRUE(server_.faults().WaitForHeld(milliseconds(2000)));
  server_.faults().Release(HoldRelease::kDrop);
  auto response = pending.get();
  ASSERT_FALSE(response);
  EXPECT_EQ(applied_.load(), 0);
}

TEST_F(EmulatorServerTest, HoldThenReleaseToApplyThenDrop) {
  server_.faults().AddRule(FaultRule::ForOperation("create_item", Fault::Hold()));
  auto pending = std::async(std::launch::async, [this] { return PostItem(); });
  ASSERT_TRUE(server_.faults().WaitForHeld(milliseconds(2000)));
  server_.faults().Release(HoldRelease::kApplyThenDrop);
  auto response = pending.get();
  ASSERT_FALSE(response);
  EXPECT_EQ(applied_.load(), 1);
}

TEST_F(EmulatorServerTest, HeldRequestOfAnAbandonedClientCanStillBeApplied) {
  server_.faults().AddRule(FaultRule::ForOperation("create_item", Fault::Hold()));
  // The client gives up (as if killed) while its request is held.
  auto response = PostItem(/*read_timeout_ms=*/100);
  ASSERT_FALSE(response);
  ASSERT_TRUE(server_.faults().WaitForHeld(milliseconds(2000)));
  server_.faults().Release(HoldRelease::kApply);
  // The server applies it anyway; wait for the handler to finish (bounded).
  for (int i = 0; i < 200 && applied_.load() == 0; ++i)
    std::this_thread::sleep_for(milliseconds(5));
  EXPECT_EQ(applied_.load(), 1);
}

TEST_F(EmulatorServerTest, WaitForHeldTimesOutWhenNothingIsHeld) {
  EXPECT_FALSE(server_.faults().WaitForHeld(milliseconds(20)));
}

TEST_F(EmulatorServerTest, LatencyDelaysEveryRequest) {
  server_.SetLatency(milliseconds(60));
  const auto start = steady_clock::now();
  ASSERT_TRUE(MakeClient().Get("/items"));
  EXPECT_GE(steady_clock::now() - start, milliseconds(60));
  server_.SetLatency(milliseconds(0));
  const auto fast = steady_clock::now();
  ASSERT_TRUE(MakeClient().Get("/items"));
  EXPECT_LT(steady_clock::now() - fast, milliseconds(60));
}

// Connects a plain socket to the server now; Get() sends a request on it later.
class EarlyConnection {
 public:
  explicit EarlyConnection(int port) : fd_(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~EarlyConnection() { close(fd_); }
  EarlyConnection(const EarlyConnection&) = delete;
  EarlyConnection& operator=(const EarlyConnection&) = delete;

  /// Sends GET `path` and reads until the server closes; the whole reply.
  std::string Get(const std::string& path) {
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if (!connected_ || send(fd_, request.data(), request.size(), MSG_NOSIGNAL) < 0) return {};
    std::string reply;
    char buffer[4096];
    for (ssize_t got; (got = recv(fd_, buffer, sizeof(buffer), 0)) > 0;) reply.append(buffer, got);
    return reply;
  }

 private:
  int fd_;
  bool connected_ = false;
};

TEST_F(EmulatorServerTest, AcceptLatencyIsPaidFromTheConnectNotFromTheFirstRequest) {
  server_.faults().SetAcceptLatency(milliseconds(150));
  const auto start = steady_clock::now();
  ASSERT_TRUE(MakeClient().Get("/items"));  // connects and sends at once: waits it out
  EXPECT_GE(steady_clock::now() - start, milliseconds(150));

  EarlyConnection early(server_.port());
  std::this_thread::sleep_for(milliseconds(200));  // the handshake completes meanwhile
  const auto sent = steady_clock::now();
  EXPECT_NE(early.Get("/items").find("200 OK"), std::string::npos);
  EXPECT_LT(steady_clock::now() - sent, milliseconds(150));
}

TEST_F(EmulatorServerTest, ConnectionLatencyIsPaidAtTheFirstRequestEvenAfterAWait) {
  server_.faults().SetConnectionLatency(milliseconds(150));
  EarlyConnection early(server_.port());
  std::this_thread::sleep_for(milliseconds(200));  // TLS would only start with the request
  const auto sent = steady_clock::now();
  EXPECT_NE(early.Get("/items").find("200 OK"), std::string::npos);
  EXPECT_GE(steady_clock::now() - sent, milliseconds(150));
}

TEST_F(EmulatorServerTest, StopIsPromptWhileAHandlerHangs) {
  server_.faults().AddRule(
      FaultRule::ForOperation("create_item", Fault::Hang(std::chrono::seconds(30))));
  auto pending =
      std::async(std::launch::async, [this] { return PostItem(/*read_timeout_ms=*/20000); });
  for (int i = 0; i < 400 && server_.log().RequestCount() == 0; ++i) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  ASSERT_EQ(server_.log().RequestCount(), 1u);
  const auto start = steady_clock::now();
  server_.Stop();
  EXPECT_LT(steady_clock::now() - start, milliseconds(1000));
  auto response = pending.get();
  EXPECT_FALSE(response);
  EXPECT_EQ(applied_.load(), 0);
}

TEST_F(EmulatorServerTest, StopIsPromptWhileARequestIsHeld) {
  server_.faults().AddRule(FaultRule::ForOperation("create_item", Fault::Hold()));
  auto pending =
      std::async(std::launch::async, [this] { return PostItem(/*read_timeout_ms=*/20000); });
  ASSERT_TRUE(server_.faults().WaitForHeld(milliseconds(2000)));
  const auto start = steady_clock::now();
  server_.Stop();
  EXPECT_LT(steady_clock::now() - start, milliseconds(1000));
  EXPECT_FALSE(pending.get());
  EXPECT_EQ(applied_.load(), 0);  // a held request is dropped on stop, never applied
}

TEST_F(EmulatorServerTest, NthRequestCountsEveryOperation) {
  server_.faults().AddRule(FaultRule::NthRequest(3, Fault::Status(503)));
  httplib::Client client = MakeClient();
  std::vector<int> statuses;
  for (int i = 0; i < 4; ++i) {
    auto response =
        i % 2 == 0 ? client.Get("/items") : client.Post("/items", "{}", "application/json");
    ASSERT_TRUE(response);
    statuses.push_back(response->status);
  }
  EXPECT_EQ(statuses, (std::vector<int>{200, 200, 503, 200}));
}

TEST_F(EmulatorServerTest, NthOfOperationAndTimesAndPredicates) {
  server_.faults().AddRule(FaultRule::NthOfOperation("create_item", 2, Fault::Status(500)));
  server_.faults().AddRule(FaultRule::When(
      [](const RequestInfo& info) { return info.method == "GET" && info.path == "/items"; },
      Fault::Status(502), /*times=*/2));
  std::vector<int> creates;
  std::vector<int> lists;
  for (int i = 0; i < 3; ++i) {
    auto created = PostItem();
    ASSERT_TRUE(created);
    creates.push_back(created->status);
    auto listed = MakeClient().Get("/items");
    ASSERT_TRUE(listed);
    lists.push_back(listed->status);
  }
  EXPECT_EQ(creates, (std::vector<int>{200, 500, 200}));
  EXPECT_EQ(lists, (std::vector<int>{502, 502, 200}));
  EXPECT_EQ(server_.faults().PendingRules(), 0u);
}

TEST_F(EmulatorServerTest, ForeverRulesAndRemoval) {
  const auto id =
      server_.faults().AddRule(FaultRule::ForOperation("list_items", Fault::Status(500), -1));
  for (int i = 0; i < 3; ++i) {
    auto response = MakeClient().Get("/items");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 500);
  }
  server_.faults().RemoveRule(id);
  auto response = MakeClient().Get("/items");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST_F(EmulatorServerTest, ResetLogRestartsNumbering) {
  ASSERT_TRUE(MakeClient().Get("/items"));
  ASSERT_TRUE(MakeClient().Get("/items"));
  server_.log().ResetLog();
  EXPECT_EQ(server_.log().RequestCount(), 0u);
  EXPECT_EQ(server_.log().CountFor("list_items"), 0u);
  server_.faults().AddRule(FaultRule::NthRequest(1, Fault::Status(418)));
  auto response = MakeClient().Get("/items");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 418);
  EXPECT_EQ(server_.log().Log().at(0).index, 1u);
}

TEST_F(EmulatorServerTest, ConcurrentRequestsAreAllNumberedOnce) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this] {
      httplib::Client client = MakeClient();
      for (int i = 0; i < kPerThread; ++i) client.Post("/items", "{}", "application/json");
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(applied_.load(), kThreads * kPerThread);
  const auto log = server_.log().Log();
  ASSERT_EQ(log.size(), static_cast<size_t>(kThreads * kPerThread));
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].index, i + 1);
    EXPECT_TRUE(log[i].completed);
  }
}

TEST(EmulatorServerStartTest, StartTwiceIsAnError) {
  EmulatorServer server;
  ASSERT_TRUE(server.Start(ServerOptions{}).has_value());
  EXPECT_FALSE(server.Start(ServerOptions{}).has_value());
}

}  // namespace
}  // namespace dbtrotate::emulators
