#ifndef DBTROTATE_CORE_CLOCK_H_
#define DBTROTATE_CORE_CLOCK_H_

// Time is injected everywhere (backoff, credential expiry, token age, overlap windows) so
// tests never sleep and never depend on the wall clock.

#include <chrono>
#include <mutex>

namespace dbtrotate {

using SystemTime = std::chrono::system_clock::time_point;
using Duration = std::chrono::milliseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  /// Wall-clock time (timestamps, ages, expiry).
  virtual SystemTime Now() = 0;
  /// Blocks the calling thread; fakes advance their time instead.
  virtual void SleepFor(Duration duration) = 0;
};

class SystemClock final : public Clock {
 public:
  SystemTime Now() override;
  void SleepFor(Duration duration) override;
  /// The process-wide instance.
  static SystemClock& Instance();
};

/// A clock for tests: time moves only when told to, and SleepFor advances it.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(SystemTime start);
  SystemTime Now() override;
  void SleepFor(Duration duration) override;
  void Advance(Duration duration);
  /// Total time spent in SleepFor, to assert backoff without waiting.
  Duration TotalSlept();

 private:
  std::mutex mutex_;
  SystemTime now_;
  Duration slept_{0};
};

}  // namespace dbtrotate

#endif  // DBTROTATE_CORE_CLOCK_H_
