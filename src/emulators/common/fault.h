#ifndef DBTROTATE_EMULATORS_COMMON_FAULT_H_
#define DBTROTATE_EMULATORS_COMMON_FAULT_H_

// What an emulator does instead of (or after) answering a request normally. Faults model the
// failures a client must survive: error statuses, broken bodies, lost connections, timeouts,
// and the ambiguous ones where the server applied the request but the reply was lost.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dbtrotate::emulators {

enum class FaultKind {
  kStatus,         // answer status/body/headers; the request is NOT applied
  kGarbage,        // answer 200 with a body that is not valid JSON; NOT applied
  kDrop,           // close the connection with no response; NOT applied
  kHang,           // answer nothing for `delay`, then drop (or answer `status` if set); NOT applied
  kHold,           // block before applying until FaultInjector::Release() decides
  kApplyThenDrop,  // apply (state changes), then close with no response
  kApplyThenStatus,  // apply, then answer status/body/headers instead of the real reply
};

std::string_view FaultKindName(FaultKind kind);

/// True for kinds that apply the request before misbehaving.
bool FaultApplies(FaultKind kind);

struct Fault {
  FaultKind kind = FaultKind::kStatus;
  int status = 500;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds delay{0};  // kHang only

  static Fault Status(int status, std::string body = {},
                      std::vector<std::pair<std::string, std::string>> headers = {});
  /// Default body: a JSON envelope cut off mid-way.
  static Fault Garbage(std::string body = R"({"status": {"code": 200, "is_success": tr)");
  static Fault Drop();
  /// After the delay the connection is dropped; pass a status to answer it instead.
  static Fault Hang(std::chrono::milliseconds delay, int status_after = 0);
  static Fault Hold();
  static Fault ApplyThenDrop();
  static Fault ApplyThenStatus(int status, std::string body = {});
};

/// What a rule sees of a request.
struct RequestInfo {
  std::uint64_t index = 0;            // 1, 2, 3… in arrival order (per emulator)
  std::uint64_t operation_index = 0;  // 1, 2, 3… among requests with the same operation
  std::string method;                 // "GET", "POST", …
  std::string path;                   // without the query string
  std::string operation;              // e.g. "create_service_token", "PutSecretValue"
};

/// A rule matches when every criterion that is set holds. The first matching rule with
/// occurrences left fires and uses one of them.
struct FaultRule {
  std::optional<std::uint64_t> nth_request;       // RequestInfo::index
  std::optional<std::string> operation;           // exact operation name
  std::optional<std::uint64_t> nth_of_operation;  // RequestInfo::operation_index
  std::optional<std::string> method;              // exact, upper case
  std::optional<std::string> path;                // exact path
  std::function<bool(const RequestInfo&)> predicate;
  /// How many matching requests it fires for; negative = every one.
  int times = 1;
  Fault fault;

  /// The Nth request to this emulator, whatever it is.
  static FaultRule NthRequest(std::uint64_t n, Fault fault);
  /// The next `times` requests of this operation.
  static FaultRule ForOperation(std::string operation, Fault fault, int times = 1);
  /// The Nth request of this operation (1-based).
  static FaultRule NthOfOperation(std::string operation, std::uint64_t n, Fault fault);
  /// Any request the predicate accepts, `times` times.
  static FaultRule When(std::function<bool(const RequestInfo&)> predicate, Fault fault,
                        int times = 1);

  bool Matches(const RequestInfo& info) const;
};

}  // namespace dbtrotate::emulators

#endif  // DBTROTATE_EMULATORS_COMMON_FAULT_H_
