#ifndef DBTROTATE_LAMBDA_DEADLINE_H_
#define DBTROTATE_LAMBDA_DEADLINE_H_

// The invocation's deadline bounds every request and every backoff sleep of the step, so a
// step ends (leaving a resumable state) before Lambda kills it.

#include <mutex>
#include <optional>

#include "core/clock.h"
#include "http/client.h"

namespace dbtrotate::lambda {

class Deadline {
 public:
  Deadline(Clock& clock, Duration margin) : clock_(clock), margin_(margin) {}
  void Set(std::optional<SystemTime> deadline);
  /// Time left before the deadline minus the margin (never negative); nullopt: no deadline.
  std::optional<Duration> Remaining();
  Clock& clock() { return clock_; }

 private:
  Clock& clock_;
  Duration margin_;
  std::mutex mutex_;
  std::optional<SystemTime> deadline_;
};

/// Each request's timeout = min(its own or the client's, the time left). With no time left the
/// request is not sent (a timeout error that certainly never reached the server).
class DeadlineClient final : public http::Client {
 public:
  DeadlineClient(http::Client& inner, Deadline& deadline, Duration configured)
      : inner_(inner), deadline_(deadline), configured_(configured) {}
  http::HttpResult Send(const http::Request& request) override;

 private:
  http::Client& inner_;
  Deadline& deadline_;
  Duration configured_;
};

/// Backoff sleeps end at the deadline; time is the inner clock's.
class DeadlineClock final : public Clock {
 public:
  explicit DeadlineClock(Deadline& deadline) : deadline_(deadline) {}
  SystemTime Now() override { return deadline_.clock().Now(); }
  void SleepFor(Duration duration) override;

 private:
  Deadline& deadline_;
};

}  // namespace dbtrotate::lambda

#endif  // DBTROTATE_LAMBDA_DEADLINE_H_
