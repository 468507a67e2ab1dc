#include "emulators/common/request_log.h"

#include <utility>

namespace dbtrotate::emulators {

RequestLog::Ticket RequestLog::Begin(std::string method, std::string target, std::string operation,
                                     std::multimap<std::string, std::string> headers) {
  std::lock_guard<std::mutex> lock(mutex_);
  RequestRecord record;
  record.index = records_.size() + 1;
  record.operation_index = ++per_operation_[operation];
  record.method = std::move(method);
  record.target = std::move(target);
  record.operation = std::move(operation);
  record.headers = std::move(headers);
  record.received_at = std::chrono::steady_clock::now();
  Ticket ticket{generation_, record.index, record.operation_index};
  records_.push_back(std::move(record));
  return ticket;
}

void RequestLog::Finish(const Ticket& ticket, int status, bool applied,
                        std::optional<FaultKind> fault) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (ticket.generation != generation_ || ticket.index == 0 || ticket.index > records_.size()) {
    return;  // started before a ResetLog()
  }
  RequestRecord& record = records_[ticket.index - 1];
  record.completed = true;
  record.status = status;
  record.applied = applied;
  record.fault = fault;
  record.finished_at = std::chrono::steady_clock::now();
}

std::uint64_t RequestLog::RequestCount() {
  std::lock_guard<std::mutex> lock(mutex_);
  return records_.size();
}

std::uint64_t RequestLog::CountFor(const std::string& operation) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = per_operation_.find(operation);
  return it == per_operation_.end() ? 0 : it->second;
}

std::uint64_t RequestLog::AppliedCountFor(const std::string& operation) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::uint64_t count = 0;
  for (const auto& record : records_) {
    if (record.operation == operation && record.applied) ++count;
  }
  return count;
}

std::vector<RequestRecord> RequestLog::Log() {
  std::lock_guard<std::mutex> lock(mutex_);
  return records_;
}

void RequestLog::ResetLog() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++generation_;
  records_.clear();
  per_operation_.clear();
}

}  // namespace dbtrotate::emulators
