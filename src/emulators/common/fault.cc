#include "emulators/common/fault.h"

#include <utility>

namespace dbtrotate::emulators {

std::string_view FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kStatus:
      return "status";
    case FaultKind::kGarbage:
      return "garbage";
    case FaultKind::kDrop:
      return "drop";
    case FaultKind::kHang:
      return "hang";
    case FaultKind::kHold:
      return "hold";
    case FaultKind::kApplyThenDrop:
      return "apply_then_drop";
    case FaultKind::kApplyThenStatus:
      return "apply_then_status";
  }
  return "unknown";
}

bool FaultApplies(FaultKind kind) {
  return kind == FaultKind::kApplyThenDrop || kind == FaultKind::kApplyThenStatus;
}

Fault Fault::Status(int status, std::string body,
                    std::vector<std::pair<std::string, std::string>> headers) {
  Fault fault;
  fault.kind = FaultKind::kStatus;
  fault.status = status;
  fault.body = std::move(body);
  fault.headers = std::move(headers);
  return fault;
}

Fault Fault::Garbage(std::string body) {
  Fault fault;
  fault.kind = FaultKind::kGarbage;
  fault.status = 200;
  fault.body = std::move(body);
  return fault;
}

Fault Fault::Drop() {
  Fault fault;
  fault.kind = FaultKind::kDrop;
  fault.status = 0;
  return fault;
}

Fault Fault::Hang(std::chrono::milliseconds delay, int status_after) {
  Fault fault;
  fault.kind = FaultKind::kHang;
  fault.delay = delay;
  fault.status = status_after;
  return fault;
}

Fault Fault::Hold() {
  Fault fault;
  fault.kind = FaultKind::kHold;
  fault.status = 0;
  return fault;
}

Fault Fault::ApplyThenDrop() {
  Fault fault;
  fault.kind = FaultKind::kApplyThenDrop;
  fault.status = 0;
  return fault;
}

Fault Fault::ApplyThenStatus(int status, std::string body) {
  Fault fault;
  fault.kind = FaultKind::kApplyThenStatus;
  fault.status = status;
  fault.body = std::move(body);
  return fault;
}

FaultRule FaultRule::NthRequest(std::uint64_t n, Fault fault) {
  FaultRule rule;
  rule.nth_request = n;
  rule.fault = std::move(fault);
  return rule;
}

FaultRule FaultRule::ForOperation(std::string operation, Fault fault, int times) {
  FaultRule rule;
  rule.operation = std::move(operation);
  rule.fault = std::move(fault);
  rule.times = times;
  return rule;
}

FaultRule FaultRule::NthOfOperation(std::string operation, std::uint64_t n, Fault fault) {
  FaultRule rule;
  rule.operation = std::move(operation);
  rule.nth_of_operation = n;
  rule.fault = std::move(fault);
  return rule;
}

FaultRule FaultRule::When(std::function<bool(const RequestInfo&)> predicate, Fault fault,
                          int times) {
  FaultRule rule;
  rule.predicate = std::move(predicate);
  rule.fault = std::move(fault);
  rule.times = times;
  return rule;
}

bool FaultRule::Matches(const RequestInfo& info) const {
  if (nth_request && *nth_request != info.index) return false;
  if (operation && *operation != info.operation) return false;
  if (nth_of_operation && *nth_of_operation != info.operation_index) return false;
  if (method && *method != info.method) return false;
  if (path && *path != info.path) return false;
  if (predicate && !predicate(info)) return false;
  return true;
}

}  // namespace dbtrotate::emulators
