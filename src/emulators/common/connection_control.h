#ifndef DBTROTATE_EMULATORS_COMMON_CONNECTION_CONTROL_H_
#define DBTROTATE_EMULATORS_COMMON_CONNECTION_CONTROL_H_

// cpp-httplib 0.11.4 never hands a handler its socket, and always writes the status line and
// headers before any body. To make a client see a connection closed with *no* response (what
// a reset or a lost reply looks like), we find the accepted socket by its address pair among
// the process's descriptors and shut it down; httplib then fails to write and closes it.
// shutdown() (not close()) keeps the descriptor owned by httplib, so it is never reused early.

#include <string>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace dbtrotate::emulators {

/// Makes the client of this request see the connection close without any response bytes
/// (curl: "Empty reply from server", CURLE_GOT_NOTHING; httplib::Client: Error::Read). If
/// the socket cannot be found, falls back to a reply that declares a Content-Length and then
/// ends early (curl: CURLE_PARTIAL_FILE). Either way the request is never answered in full.
/// Returns true when the socket was found and shut down.
bool DropConnection(const httplib::Request& request, httplib::Response& response);

/// Shuts down every accepted (connected) socket whose local end is host:port. Used by
/// LoopbackServer::Stop so idle keep-alive connections do not delay shutdown.
void ShutdownAcceptedConnections(const std::string& host, int port);

}  // namespace dbtrotate::emulators

#endif  // DBTROTATE_EMULATORS_COMMON_CONNECTION_CONTROL_H_
