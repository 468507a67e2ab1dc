#include "emulators/common/fault_injector.h"

#include <algorithm>
#include <utility>

namespace dbtrotate::emulators {

FaultInjector::RuleId FaultInjector::AddRule(FaultRule rule) {
  std::lock_guard<std::mutex> lock(mutex_);
  const RuleId id = next_id_++;
  rules_.push_back(Entry{id, std::move(rule)});
  return id;
}

void FaultInjector::RemoveRule(RuleId id) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::erase_if(rules_, [id](const Entry& entry) { return entry.id == id; });
}

void FaultInjector::ClearRules() {
  std::lock_guard<std::mutex> lock(mutex_);
  rules_.clear();
}

std::size_t FaultInjector::PendingRules() {
  std::lock_guard<std::mutex> lock(mutex_);
  return rules_.size();
}

std::optional<Fault> FaultInjector::Decide(const RequestInfo& info) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    // Predicates run under the lock: they must not call back into the injector.
    if (!it->rule.Matches(info)) continue;
    Fault fault = it->rule.fault;
    if (it->rule.times > 0 && --it->rule.times == 0) rules_.erase(it);
    return fault;
  }
  return std::nullopt;
}

void FaultInjector::SetLatency(std::chrono::milliseconds latency) {
  std::lock_guard<std::mutex> lock(mutex_);
  latency_ = latency;
}

void FaultInjector::SetConnectionLatency(std::chrono::milliseconds latency) {
  std::lock_guard<std::mutex> lock(mutex_);
  connection_latency_ = latency;
}

void FaultInjector::SetAcceptLatency(std::chrono::milliseconds latency) {
  std::lock_guard<std::mutex> lock(mutex_);
  accept_latency_ = latency;
}

std::chrono::milliseconds FaultInjector::accept_latency() {
  std::lock_guard<std::mutex> lock(mutex_);
  return accept_latency_;
}

void FaultInjector::NoteAccepted(std::chrono::steady_clock::time_point accepted) {
  std::lock_guard<std::mutex> lock(mutex_);
  accept_times_.push_back(accepted);
}

std::vector<std::chrono::steady_clock::time_point> FaultInjector::AcceptTimes() {
  std::lock_guard<std::mutex> lock(mutex_);
  return accept_times_;
}

std::chrono::milliseconds FaultInjector::ConnectionDelay(const std::string& remote_addr,
                                                         int remote_port) {
  std::lock_guard<std::mutex> lock(mutex_);
  const bool fresh = connections_.emplace(remote_addr, remote_port).second;
  return fresh ? connection_latency_ : std::chrono::milliseconds(0);
}

std::size_t FaultInjector::ConnectionCount() {
  std::lock_guard<std::mutex> lock(mutex_);
  return connections_.size();
}

std::chrono::milliseconds FaultInjector::latency() {
  std::lock_guard<std::mutex> lock(mutex_);
  return latency_;
}

HoldRelease FaultInjector::Hold(const RequestInfo& /*info*/) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (shut_down_) return HoldRelease::kDrop;
  const std::uint64_t joined = release_generation_;
  ++held_;
  cv_.notify_all();  // WaitForHeld
  cv_.wait(lock, [&] { return shut_down_ || release_generation_ != joined; });
  --held_;
  if (release_generation_ == joined) return HoldRelease::kDrop;  // shut down
  // The first release after joining decides.
  for (const auto& [generation, how] : releases_) {
    if (generation == joined + 1) return how;
  }
  return HoldRelease::kDrop;
}

bool FaultInjector::WaitForHeld(std::chrono::milliseconds timeout, std::size_t count) {
  std::unique_lock<std::mutex> lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return held_ >= count || shut_down_; }) &&
         held_ >= count;
}

std::size_t FaultInjector::HeldCount() {
  std::lock_guard<std::mutex> lock(mutex_);
  return held_;
}

void FaultInjector::Release(HoldRelease how) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++release_generation_;
  releases_.emplace_back(release_generation_, how);
  cv_.notify_all();
}

bool FaultInjector::SleepFor(std::chrono::milliseconds duration) {
  if (duration <= std::chrono::milliseconds::zero()) return true;
  std::unique_lock<std::mutex> lock(mutex_);
  return !cv_.wait_for(lock, duration, [&] { return shut_down_; });
}

bool FaultInjector::SleepUntil(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  return !cv_.wait_until(lock, deadline, [&] { return shut_down_; });
}

void FaultInjector::Shutdown() {
  std::lock_guard<std::mutex> lock(mutex_);
  shut_down_ = true;
  cv_.notify_all();
}

bool FaultInjector::shut_down() {
  std::lock_guard<std::mutex> lock(mutex_);
  return shut_down_;
}

}  // namespace dbtrotate::emulators
