#include "core/simulated_time.h"

#include <utility>

namespace combo::core {

SimulatedTime::SimulatedTime(Timestamp start) : now_(start) {}

TimerId SimulatedTime::ScheduleAt(Timestamp when, Callback callback) {
  const uint64_t sequence = next_sequence_++;
  queue_.push(Entry{when < now_ ? now_ : when, sequence});
  callbacks_.emplace(sequence, std::move(callback));
  return TimerId{sequence};
}

bool SimulatedTime::Cancel(TimerId id) { return callbacks_.erase(id.value) > 0; }

void SimulatedTime::SkipCancelled() {
  while (!queue_.empty() && !callbacks_.contains(queue_.top().sequence)) queue_.pop();
}

Timestamp SimulatedTime::NextDue() {
  SkipCancelled();
  return queue_.empty() ? Timestamp::Max() : queue_.top().when;
}

bool SimulatedTime::RunNext() {
  SkipCancelled();
  if (queue_.empty()) return false;
  const Entry entry = queue_.top();
  queue_.pop();
  auto node = callbacks_.extract(entry.sequence);
  now_ = entry.when;
  std::move(node.mapped())();
  return true;
}

int64_t SimulatedTime::AdvanceTo(Timestamp until) {
  int64_t ran = 0;
  while (NextDue() <= until) {
    RunNext();
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
