// TimerQueue: pending timers in (due time, scheduling sequence) order.
//
// The one ordering rule both schedulers share: SimulatedTime runs it on simulated time, the
// daemon's AsioScheduler on the real clock. Timers due at the same time come out in the order
// they were scheduled; cancelled timers never come out. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "core/scheduler.h"

namespace combo::core {

class TimerQueue {
 public:
  TimerId Push(Timestamp when, Scheduler::Callback callback);
  // Removes a pending timer; false if it already came out, was cancelled, or is unknown.
  bool Cancel(TimerId id);
  // When the next pending timer is due, or Timestamp::Max() when none is.
  Timestamp NextDue();
  // Removes and returns the next timer if it is due at or before `now`.
  struct Due {
    Timestamp when;
    Scheduler::Callback callback;
  };
  std::optional<Due> PopDue(Timestamp now);
  size_t size() const { return callbacks_.size(); }

 private:
  struct Entry {
    Timestamp when;
    uint64_t sequence;
    // Min-heap order for std::priority_queue (which is a max-heap).
    friend bool operator<(const Entry& a, const Entry& b) {
      if (a.when != b.when) return a.when > b.when;
      return a.sequence > b.sequence;
    }
  };
  void SkipCancelled();

  uint64_t next_sequence_ = 1;
  std::priority_queue<Entry> heap_;
  // Sequence -> callback of timers still pending; cancelled ones are erased here and skipped
  // when they reach the top of the heap. Only looked up, never iterated.
  absl::flat_hash_map<uint64_t, Scheduler::Callback> callbacks_;
};

}  // namespace combo::core
