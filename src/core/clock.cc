#include "core/clock.h"

#include <thread>

namespace dbtrotate {

SystemTime SystemClock::Now() { return std::chrono::system_clock::now(); }

void SystemClock::SleepFor(Duration duration) { std::this_thread::sleep_for(duration); }

SystemClock& SystemClock::Instance() {
  static SystemClock clock;
  return clock;
}

FakeClock::FakeClock(SystemTime start) : now_(start) {}

SystemTime FakeClock::Now() {
  std::lock_guard lock(mutex_);
  return now_;
}

void FakeClock::SleepFor(Duration duration) {
  std::lock_guard lock(mutex_);
  now_ += duration;
  slept_ += duration;
}

void FakeClock::Advance(Duration duration) {
  std::lock_guard lock(mutex_);
  now_ += duration;
}

Duration FakeClock::TotalSlept() {
  std::lock_guard lock(mutex_);
  return slept_;
}

}  // namespace dbtrotate
