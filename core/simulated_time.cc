#include "core/simulated_time.h"

#include <utility>

namespace combo::core {

SimulatedTime::SimulatedTime(Timestamp start) : now_(start) {}

TimerId SimulatedTime::ScheduleAt(Timestamp when, Callback callback) {
  return timers_.Push(when < now_ ? now_ : when, std::move(callback));
}

bool SimulatedTime::RunNext() {
  auto due = timers_.PopDue(Timestamp::Max());
  if (!due.has_value()) return false;
  now_ = due->when;
  std::move(due->callback)();
  return true;
}

int64_t SimulatedTime::AdvanceTo(Timestamp until) {
  int64_t ran = 0;
  while (auto due = timers_.PopDue(until)) {
    now_ = due->when;
    std::move(due->callback)();
    ++ran;
  }
  if (until > now_) now_ = until;
  return ran;
}

int64_t SimulatedTime::RunUntilIdle(int64_t max_timers) {
  int64_t ran = 0;
  while (ran < max_timers && RunNext()) ++ran;
  return ran;
}

}  // namespace combo::core
