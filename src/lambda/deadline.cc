#include "lambda/deadline.h"

#include <algorithm>

namespace dbtrotate::lambda {

void Deadline::Set(std::optional<SystemTime> deadline) {
  std::lock_guard lock(mutex_);
  deadline_ = deadline;
}

std::optional<Duration> Deadline::Remaining() {
  std::optional<SystemTime> deadline;
  {
    std::lock_guard lock(mutex_);
    deadline = deadline_;
  }
  if (!deadline) return std::nullopt;
  const auto left = std::chrono::duration_cast<Duration>(*deadline - clock_.Now()) - margin_;
  return std::max(left, Duration{0});
}

http::HttpResult DeadlineClient::Send(const http::Request& request) {
  const auto left = deadline_.Remaining();
  if (!left) return inner_.Send(request);
  if (*left <= Duration{0}) {
    return Fail(http::Error{http::ErrorKind::kTimeout,
                            "not sent: the invocation's deadline is reached", false});
  }
  http::Request bounded = request;
  bounded.timeout = std::min({request.timeout.value_or(configured_), *left});
  if (request.timeout && request.timeout->count() == 0) bounded.timeout = *left;  // "none"
  return inner_.Send(bounded);
}

void DeadlineClock::SleepFor(Duration duration) {
  const auto left = deadline_.Remaining();
  deadline_.clock().SleepFor(left ? std::min(duration, *left) : duration);
}

}  // namespace dbtrotate::lambda
