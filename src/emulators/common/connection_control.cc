#include "emulators/common/connection_control.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace dbtrotate::emulators {
namespace {

struct Endpoint {
  std::string address;
  int port = -1;
};

bool Describe(const sockaddr_storage& storage, Endpoint& out) {
  char text[INET6_ADDRSTRLEN] = {};
  if (storage.ss_family == AF_INET) {
    sockaddr_in in4{};
    std::memcpy(&in4, &storage, sizeof(in4));
    if (inet_ntop(AF_INET, &in4.sin_addr, text, sizeof(text)) == nullptr) return false;
    out.port = ntohs(in4.sin_port);
  } else if (storage.ss_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, &storage, sizeof(in6));
    if (inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof(text)) == nullptr) return false;
    out.port = ntohs(in6.sin6_port);
  } else {
    return false;
  }
  out.address = text;
  return true;
}

// Local and peer endpoints of a connected TCP socket; false for anything else.
bool Endpoints(int fd, Endpoint& local, Endpoint& peer) {
  sockaddr_storage storage{};
  socklen_t length = sizeof(storage);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) return false;
  if (!Describe(storage, local)) return false;
  storage = {};
  length = sizeof(storage);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) return false;
  return Describe(storage, peer);
}

// Calls visit(fd) for each open descriptor of this process.
void ForEachDescriptor(const std::function<bool(int)>& visit) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return;
  std::vector<int> fds;
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end != entry->d_name && *end == '\0') fds.push_back(static_cast<int>(fd));
  }
  closedir(dir);
  for (int fd : fds) {
    if (!visit(fd)) return;
  }
}

// A reply whose declared length is never delivered: the best httplib can do without the
// socket, since it has already sent the status line when a content provider fails.
void TruncatedReply(httplib::Response& response) {
  response.status = 200;
  response.set_content_provider(
      64, "application/json",
      [](std::size_t /*offset*/, std::size_t /*length*/, httplib::DataSink& sink) {
        sink.write("{\"status\":", 10);
        return false;
      });
}

}  // namespace

bool DropConnection(const httplib::Request& request, httplib::Response& response) {
  bool found = false;
  ForEachDescriptor([&](int fd) {
    Endpoint local;
    Endpoint peer;
    if (!Endpoints(fd, local, peer)) return true;
    if (local.port != request.local_port || peer.port != request.remote_port ||
        peer.address != request.remote_addr) {
      return true;
    }
    ::shutdown(fd, SHUT_RDWR);
    found = true;
    return false;
  });
  if (!found) TruncatedReply(response);
  // Whatever httplib tries to write next fails on the shut-down socket.
  response.set_header("Connection", "close");
  return found;
}

void ShutdownAcceptedConnections(const std::string& host, int port) {
  ForEachDescriptor([&](int fd) {
    Endpoint local;
    Endpoint peer;
    if (Endpoints(fd, local, peer) && local.port == port && local.address == host) {
      ::shutdown(fd, SHUT_RDWR);
    }
    return true;
  });
}

}  // namespace dbtrotate::emulators
