#include "http/curl_client.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "core/ascii.h"
#include "core/secret_string.h"
#include "core/version.h"
#include "http/url_policy.h"

namespace dbtrotate::http {

namespace {

// curl_global_init is not thread-safe; run it exactly once, before any handle exists.
void EnsureCurlGlobalInit() {
  static const bool initialised = [] {
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  }();
  (void)initialised;
}

struct Transfer {
  Response response;
  std::size_t max_bytes = 0;
  bool too_large = false;
};

// The body of a request that must never be sent twice, handed to libcurl through a read
// callback with no way back: libcurl re-sends a request whose reused connection died without a
// reply ("dead connection" retry), and it can only do so by rewinding the body. A POSTFIELDS
// body it rewinds silently; this one it cannot, so it fails the transfer instead
// (CURLE_SEND_FAIL_REWIND) and the caller treats the request as possibly applied.
struct OnceBody {
  std::string_view rest;
};

std::size_t ReadOnceBody(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<OnceBody*>(user);
  const std::size_t bytes = std::min(size * count, body->rest.size());
  std::memcpy(buffer, body->rest.data(), bytes);
  body->rest.remove_prefix(bytes);
  return bytes;
}

// How long a pooled connection may have been idle and still carry a request that must not be
// sent twice. A server or load balancer closes idle connections after a minute or more; a
// create on a connection that died would fail (it cannot be re-sent), so only a recently used
// one is trusted with it, and otherwise the create opens a fresh connection.
constexpr long kOnceRequestMaxIdleSeconds = 10;

// A request with a body that must reach the server at most once (a create). It may ride a
// pooled connection (no extra TCP+TLS set-up on the rotation's critical path) because libcurl
// cannot re-send its body.
void SendOnce(CURL* curl, OnceBody& body) {
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.rest.size()));
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &ReadOnceBody);
  curl_easy_setopt(curl, CURLOPT_READDATA, &body);
  curl_easy_setopt(curl, CURLOPT_MAXAGE_CONN, kOnceRequestMaxIdleSeconds);
}

// A socket libcurl asks for while connections opened ahead are on offer (preconnect.h).
struct Adoption {
  Preconnector* from = nullptr;
  curl_socket_t adopted = CURL_SOCKET_BAD;
};

curl_socket_t OpenSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* adoption = static_cast<Adoption*>(user);
  if (purpose == CURLSOCKTYPE_IPCXN) {
    const int fd = adoption->from->Take(&address->addr, address->addrlen);
    if (fd >= 0) return adoption->adopted = fd;
  }
  // What libcurl would do itself, plus close-on-exec (credential_process runs children).
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

// Tells libcurl not to connect a socket that is connected already. (libcurl 7.88 calls
// connect() on it anyway; on Linux that only completes the connect the socket already made.)
int SocketOptions(void* user, curl_socket_t fd, curlsocktype /*purpose*/) {
  const auto* adoption = static_cast<Adoption*>(user);
  return fd == adoption->adopted ? CURL_SOCKOPT_ALREADY_CONNECTED : CURL_SOCKOPT_OK;
}

void OfferPreconnected(CURL* curl, Adoption& adoption) {
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, &OpenSocket);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &adoption);
  curl_easy_setopt(curl, CURLOPT_SOCKOPTFUNCTION, &SocketOptions);
  curl_easy_setopt(curl, CURLOPT_SOCKOPTDATA, &adoption);
}

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (transfer->response.body.size() + bytes > transfer->max_bytes) {
    transfer->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  transfer->response.body.append(data, bytes);
  return bytes;
}

std::string Trim(std::string_view text) {
  auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  auto end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after 100-continue or a proxy CONNECT): keep only the final headers.
    transfer->response.headers.clear();
    return bytes;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  transfer->response.headers.push_back(
      {AsciiLower(line.substr(0, colon)), Trim(line.substr(colon + 1))});
  return bytes;
}

// curl_slist_append copies header lines (with tokens) into its own heap blocks: wipe them.
void FreeHeaderList(curl_slist* list) {
  for (curl_slist* item = list; item != nullptr; item = item->next) {
    if (item->data != nullptr) OPENSSL_cleanse(item->data, std::strlen(item->data));
  }
  curl_slist_free_all(list);
}

struct ErrorClass {
  ErrorKind kind;
  bool maybe_sent;
};

ErrorClass Classify(CURLcode code, bool too_large) {
  if (too_large) return {ErrorKind::kResponseTooLarge, true};
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return {ErrorKind::kInvalidUrl, false};
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return {ErrorKind::kResolve, false};
    case CURLE_COULDNT_CONNECT:
      return {ErrorKind::kConnect, false};
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
      return {ErrorKind::kTls, false};
    case CURLE_OPERATION_TIMEDOUT:
      return {ErrorKind::kTimeout, true};
    case CURLE_SEND_ERROR:
    case CURLE_SEND_FAIL_REWIND:  // a reused connection died under a request sent once
      return {ErrorKind::kSendFailed, true};
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
      return {ErrorKind::kReceiveFailed, true};
    case CURLE_FILESIZE_EXCEEDED:
      return {ErrorKind::kResponseTooLarge, true};
    default:
      return {ErrorKind::kOther, true};
  }
}

std::string Hint(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kResolve:
      return "check the host name and your DNS/proxy settings";
    case ErrorKind::kConnect:
      return "check the host, port, firewall and HTTPS_PROXY/NO_PROXY";
    case ErrorKind::kTls:
      return "check the server certificate and --ca-bundle/SSL_CERT_FILE (verification is "
             "never turned off)";
    case ErrorKind::kTimeout:
      return "the server did not answer in time; try again or raise --timeout";
    case ErrorKind::kResponseTooLarge:
      return "the server sent an implausibly large response";
    default:
      return "the connection failed; try again";
  }
}

bool IsPlainHttp(const std::string& url) {
  const auto parsed = ParseUrl(url);
  return !parsed || parsed->scheme != "https";  // when in doubt, no proxy
}

}  // namespace

Result<void, Error> CheckRequestUrl(const std::string& url, const CurlClientOptions& options) {
  auto checked = CheckUrlPolicy(url);
  if (checked) {
    if (checked->scheme == "http" && !options.allow_http_loopback) {
      return Fail(Error{ErrorKind::kInsecureUrl, "plain http is disabled", false});
    }
    return {};
  }
  Error error = std::move(checked).error();
  if (error.kind == ErrorKind::kInsecureUrl) {
    const auto parsed = ParseUrl(url);
    const auto& allowed = options.plain_http_hosts;
    if (parsed && std::find(allowed.begin(), allowed.end(), parsed->host) != allowed.end())
      return {};
  }
  return Fail(std::move(error));
}

struct CurlClient::Shared {
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;

  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Shared*>(user)->locks.at(static_cast<std::size_t>(data)).lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Shared*>(user)->locks.at(static_cast<std::size_t>(data)).unlock();
  }
};

CurlClient::CurlClient(CurlClientOptions options)
    : options_(std::move(options)), shared_(std::make_unique<Shared>()) {
  EnsureCurlGlobalInit();
  shared_->share = curl_share_init();
  curl_share_setopt(shared_->share, CURLSHOPT_LOCKFUNC, &Shared::Lock);
  curl_share_setopt(shared_->share, CURLSHOPT_UNLOCKFUNC, &Shared::Unlock);
  curl_share_setopt(shared_->share, CURLSHOPT_USERDATA, shared_.get());
  curl_share_setopt(shared_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl_share_setopt(shared_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  curl_share_setopt(shared_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
}

CurlClient::~CurlClient() {
  for (void* handle : idle_handles_) curl_easy_cleanup(static_cast<CURL*>(handle));
  curl_share_cleanup(shared_->share);
}

void* CurlClient::AcquireHandle() {
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_handles_.empty()) {
      void* handle = idle_handles_.back();
      idle_handles_.pop_back();
      return handle;
    }
  }
  return curl_easy_init();
}

void CurlClient::ReleaseHandle(void* handle) {
  curl_easy_reset(static_cast<CURL*>(handle));
  std::lock_guard lock(pool_mutex_);
  idle_handles_.push_back(handle);
}

CurlClientStats CurlClient::Stats() const { return {requests_.load(), new_connections_.load()}; }

HttpResult CurlClient::Send(const Request& request) {
  const std::string what = DescribeRequest(request.method, request.url);
  if (auto checked = CheckRequestUrl(request.url, options_); !checked) {
    Error error = std::move(checked).error();
    error.message = what + ": " + error.message;
    return Fail(std::move(error));
  }

  CURL* curl = static_cast<CURL*>(AcquireHandle());
  if (curl == nullptr)
    return Fail(Error{ErrorKind::kOther, what + ": curl_easy_init failed", false});

  Transfer transfer;
  transfer.max_bytes = options_.max_response_bytes;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};

  curl_easy_setopt(curl, CURLOPT_SHARE, shared_->share);
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // a redirected POST would become a GET
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);        // required with threads
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_bundle.empty())
    curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_bundle.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  const auto total = request.timeout.value_or(options_.total_timeout);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(total.count()));
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXCONNECTS, options_.max_idle_connections);
  // Plain http (loopback only, by policy) never goes through a proxy: http_proxy, ALL_PROXY
  // or a proxy from the options would be another hop, maybe remote, seeing the bearer token or
  // the signed request in clear. https through a proxy is a CONNECT tunnel, TLS end to end.
  if (options_.no_proxy || IsPlainHttp(request.url)) {
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  }
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(options_.max_response_bytes));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer.data());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  Adoption adoption{options_.preconnected.get()};
  if (adoption.from != nullptr) OfferPreconnected(curl, adoption);

  switch (request.method) {
    case Method::kGet:
      curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
      break;
    case Method::kHead:
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
      break;
    default:
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST,
                       std::string(MethodName(request.method)).c_str());
      break;
  }
  OnceBody once{request.body};
  // Without a body there is nothing to refuse rewinding: a request that must not be sent twice
  // gets a connection of its own, where libcurl's dead-connection retry never applies.
  const bool send_once = !request.idempotent && !request.body.empty();
  if (!request.idempotent && !send_once) curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
  if (request.method != Method::kGet && request.method != Method::kHead) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    if (!send_once) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    } else {
      SendOnce(curl, once);
    }
  }

  curl_slist* header_list = nullptr;
  bool has_user_agent = false;
  for (const auto& header : request.headers) {
    std::string line = header.name + ": " + header.value;
    header_list = curl_slist_append(header_list, line.c_str());
    WipeString(line);
    if (header.name.size() == 10 && strncasecmp(header.name.c_str(), "user-agent", 10) == 0) {
      has_user_agent = true;
    }
  }
  header_list = curl_slist_append(header_list, "Expect:");  // no 100-continue round trip
  if (!has_user_agent) curl_easy_setopt(curl, CURLOPT_USERAGENT, kUserAgent);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);

  const CURLcode code = curl_easy_perform(curl);
  requests_.fetch_add(1);
  long connects = 0;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
  new_connections_.fetch_add(static_cast<std::size_t>(connects));
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  FreeHeaderList(header_list);
  ReleaseHandle(curl);

  if (code != CURLE_OK) {
    const ErrorClass error_class = Classify(code, transfer.too_large);
    std::string detail = error_buffer[0] != '\0' ? error_buffer.data() : curl_easy_strerror(code);
    if (error_class.kind == ErrorKind::kResponseTooLarge) {
      detail = "response exceeds " + std::to_string(options_.max_response_bytes) + " bytes";
    }
    return Fail(Error{error_class.kind,
                      what + ": " + std::string(ErrorKindName(error_class.kind)) + " (" + detail +
                          "); " + Hint(error_class.kind),
                      error_class.maybe_sent});
  }
  transfer.response.status = static_cast<int>(status);
  return std::move(transfer.response);
}

}  // namespace dbtrotate::http
