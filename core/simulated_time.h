// SimulatedTime: a Clock and Scheduler whose time moves only when told.
//
// Drives every test, scenario and backtest. Timers run in (time, sequence) order (TimerQueue):
// by due time, and at equal times in the order they were scheduled, so a run is the same every
// time. While a timer runs, Now() is its due time. Not thread-safe; one test thread owns it.
#pragma once

#include <cstdint>

#include "core/scheduler.h"
#include "core/timer_queue.h"

namespace combo::core {

class SimulatedTime final : public Scheduler {
 public:
  explicit SimulatedTime(Timestamp start = Timestamp::FromUtc(2026, 1, 2, 14, 30, 0));

  Timestamp Now() const override { return now_; }
  // A time before Now() is due at Now(): simulated time never goes backwards.
  TimerId ScheduleAt(Timestamp when, Callback callback) override;
  bool Cancel(TimerId id) override { return timers_.Cancel(id); }

  // Runs every timer due at or before `until` in order, then sets the time to `until`.
  // A time before Now() changes nothing. Returns how many timers ran.
  int64_t AdvanceTo(Timestamp until);
  int64_t AdvanceBy(Duration delta) { return AdvanceTo(now_ + delta); }
  // Runs timers, moving time forward to each, until none is left or `max_timers` have run
  // (a guard against self-rescheduling timers). Returns how many ran.
  int64_t RunUntilIdle(int64_t max_timers = 10'000'000);
  // Runs the next timer (moving time to it) if there is one. Returns whether one ran.
  bool RunNext();

  // Timers scheduled and not yet run or cancelled.
  size_t pending() const { return timers_.size(); }
  // When the next pending timer is due, or Timestamp::Max() when none is.
  Timestamp NextDue() { return timers_.NextDue(); }

 private:
  Timestamp now_;
  TimerQueue timers_;
};

}  // namespace combo::core
