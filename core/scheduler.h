// Scheduler: runs a callback at a later time on the thread that owns the component.
//
// Every timer in the project (leg timeouts, stability waits, latency holds, venue latency,
// offer expiry) goes through a Scheduler, so SimulatedTime can drive them deterministically in
// tests and the daemon's Asio scheduler in production. A Scheduler is also the Clock its timers
// run on. Callbacks may schedule and cancel timers, including their own. Not thread-safe: one
// Scheduler belongs to one thread (the core thread).
#pragma once

#include <cstdint>

#include "absl/functional/any_invocable.h"
#include "core/clock.h"
#include "core/time.h"

namespace combo::core {

// Identifies a scheduled timer for Cancel. Never reused by one Scheduler; 0 is never issued.
struct TimerId {
  uint64_t value = 0;
  friend constexpr bool operator==(TimerId, TimerId) = default;
  constexpr bool valid() const { return value != 0; }
};

class Scheduler : public Clock {
 public:
  using Callback = absl::AnyInvocable<void() &&>;

  // Runs `callback` at `when`; a time not after Now() runs it as soon as possible, after timers
  // already due. Timers due at the same time run in the order they were scheduled.
  virtual TimerId ScheduleAt(Timestamp when, Callback callback) = 0;
  TimerId ScheduleAfter(Duration delay, Callback callback) {
    return ScheduleAt(Now() + delay, std::move(callback));
  }
  // Cancels a timer that has not run. Returns false if it already ran, was cancelled, or is
  // unknown; cancelling is always safe.
  virtual bool Cancel(TimerId id) = 0;
};

}  // namespace combo::core
