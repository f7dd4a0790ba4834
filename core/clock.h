// Clock: where every component gets the current time.
//
// Injected everywhere so that tests and backtests run on SimulatedTime and the daemon on the
// wall clock. WallClock (clock.cc) is the only code outside daemon/ that reads the real time.
// Implementations must be safe to call from the thread that owns the component using them.
#pragma once

#include "core/time.h"

namespace combo::core {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

// The real time of day (CLOCK_REALTIME). Thread-safe.
class WallClock final : public Clock {
 public:
  Timestamp Now() const override;
};

// Monotonic nanoseconds for measuring elapsed time (CLOCK_MONOTONIC): load generators and the
// daemon's latency histograms. Not a time of day. Thread-safe.
class MonotonicClock final : public Clock {
 public:
  Timestamp Now() const override;
};

}  // namespace combo::core
