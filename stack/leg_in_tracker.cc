#include "stack/leg_in_tracker.h"

namespace combo::stack {

absl::Status LegInTracker::Start(const router::LegInOrder& order, router::LegInListener* listener) {
  // Registered first: an engine may report synchronously from inside Start.
  const bool inserted = working_.emplace(order.order, listener).second;
  absl::Status started = engine_.Start(order, this);
  if (!started.ok()) {
    if (inserted) working_.erase(order.order);
    return started;
  }
  ++tally_.attempts;
  return started;
}

absl::Status LegInTracker::Cancel(core::OrderId order) { return engine_.Cancel(order); }

absl::Status LegInTracker::StopAfterSlice(core::OrderId order) {
  return engine_.StopAfterSlice(order);
}

router::LegInListener* LegInTracker::ListenerOf(core::OrderId order) const {
  auto found = working_.find(order);
  return found == working_.end() ? nullptr : found->second;
}

void LegInTracker::OnLegInUnits(const router::LegInUnits& event) {
  router::LegInListener* listener = ListenerOf(event.order);
  if (listener == nullptr) return;
  tally_.units += event.units.value();
  listener->OnLegInUnits(event);
}

void LegInTracker::OnLegInFailed(const router::LegInFailure& event) {
  router::LegInListener* listener = ListenerOf(event.order);
  if (listener != nullptr) {
    ++tally_.failures;
    ++tally_.ends[event.cause];
  }
  // Forgotten before the router hears of it: the router may start the order's next leg-in
  // from inside the callback.
  working_.erase(event.order);
  if (listener != nullptr) listener->OnLegInFailed(event);
  if (working_.empty() && on_idle_) on_idle_();
}

void LegInTracker::OnLegInFinished(const router::LegInDone& event) {
  router::LegInListener* listener = ListenerOf(event.order);
  if (listener != nullptr) {
    ++(event.units_left.is_zero() ? tally_.successes : tally_.stopped);
    ++tally_.ends[event.cause];
  }
  working_.erase(event.order);
  if (listener != nullptr) listener->OnLegInFinished(event);
  if (working_.empty() && on_idle_) on_idle_();
}

}  // namespace combo::stack
