#include "core/timer_queue.h"

#include <utility>

namespace combo::core {

TimerId TimerQueue::Push(Timestamp when, Scheduler::Callback callback) {
  const uint64_t sequence = next_sequence_++;
  heap_.push(Entry{when, sequence});
  callbacks_.emplace(sequence, std::move(callback));
  return TimerId{sequence};
}

bool TimerQueue::Cancel(TimerId id) { return callbacks_.erase(id.value) > 0; }

void TimerQueue::SkipCancelled() {
  while (!heap_.empty() && !callbacks_.contains(heap_.top().sequence)) heap_.pop();
}

Timestamp TimerQueue::NextDue() {
  SkipCancelled();
  return heap_.empty() ? Timestamp::Max() : heap_.top().when;
}

std::optional<TimerQueue::Due> TimerQueue::PopDue(Timestamp now) {
  SkipCancelled();
  if (heap_.empty() || heap_.top().when > now) return std::nullopt;
  const Entry entry = heap_.top();
  heap_.pop();
  auto node = callbacks_.extract(entry.sequence);
  return Due{entry.when, std::move(node.mapped())};
}

}  // namespace combo::core
