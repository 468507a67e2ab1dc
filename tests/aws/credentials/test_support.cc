#include "aws/credentials/test_support.h"

#include <sys/stat.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "http/url_policy.h"

namespace dbtrotate::aws::testing {

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "dbtrotate-creds-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::Write(const std::string& name, const std::string& contents, int mode) const {
  std::filesystem::path full = std::filesystem::path(path_) / name;
  std::filesystem::create_directories(full.parent_path());
  {
    std::ofstream out(full, std::ios::binary | std::ios::trunc);
    out << contents;
  }
  ::chmod(full.c_str(), static_cast<mode_t>(mode));
  return full.string();
}

http::HttpResult TestHttpClient::Send(const http::Request& request) {
  auto url = http::ParseUrl(request.url);
  if (!url) return Fail(std::move(url).error());
  if (!http::IsLoopbackHost(url->host)) {
    return Fail(MakeTransportError(http::ErrorKind::kConnect,
                                   "test client refuses non-loopback host " + url->host));
  }
  return curl_.Send(request);
}

LoopbackServer::LoopbackServer() {
  // One request per connection: a client's idle keep-alive connection would otherwise hold a
  // worker thread, and so Stop(), for the server's 5 s keep-alive timeout.
  server_.set_keep_alive_max_count(1);
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("cannot bind a loopback port");
}

LoopbackServer::~LoopbackServer() { Stop(); }

void LoopbackServer::Start() {
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  for (int i = 0; i < 2000 && !server_.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void LoopbackServer::Stop() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

http::HttpResult FakeHttpClient::Send(const http::Request& request) {
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
  }
  return handler_(request);
}

std::vector<http::Request> FakeHttpClient::requests() {
  std::lock_guard lock(mutex_);
  return requests_;
}

http::Response MakeResponse(int status, std::string body) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

http::Error MakeTransportError(http::ErrorKind kind, std::string message) {
  http::Error error;
  error.kind = kind;
  error.message = std::move(message);
  return error;
}

SystemTime Utc(int year, unsigned month, unsigned day, int hour, int minute, int second) {
  using namespace std::chrono;
  sys_days date = std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day};
  return time_point_cast<SystemTime::duration>(date + hours(hour) + minutes(minute) +
                                               seconds(second));
}

std::vector<http::Header> HeadersOf(const httplib::Request& request) {
  std::vector<http::Header> headers;
  for (const auto& [name, value] : request.headers) headers.push_back({name, value});
  return headers;
}

}  // namespace dbtrotate::aws::testing
