#include "daemon/leg_in_tracker.h"

namespace combo::daemon {

absl::Status LegInTracker::Start(const router::LegInOrder& order, router::LegInListener* listener) {
  // Registered first: an engine may report synchronously from inside Start.
  const bool inserted = working_.emplace(order.order, listener).second;
  absl::Status started = engine_.Start(order, this);
  if (!started.ok() && inserted) working_.erase(order.order);
  return started;
}

absl::Status LegInTracker::Cancel(core::OrderId order) { return engine_.Cancel(order); }

router::LegInListener* LegInTracker::ListenerOf(core::OrderId order) const {
  auto found = working_.find(order);
  return found == working_.end() ? nullptr : found->second;
}

void LegInTracker::OnLegInUnits(const router::LegInUnits& event) {
  if (router::LegInListener* listener = ListenerOf(event.order)) listener->OnLegInUnits(event);
}

void LegInTracker::OnLegInFailed(const router::LegInFailure& event) {
  router::LegInListener* listener = ListenerOf(event.order);
  // Forgotten before the router hears of it: the router may start the order's next leg-in
  // from inside the callback.
  working_.erase(event.order);
  if (listener != nullptr) listener->OnLegInFailed(event);
  if (working_.empty() && on_idle_) on_idle_();
}

void LegInTracker::OnLegInFinished(const router::LegInDone& event) {
  router::LegInListener* listener = ListenerOf(event.order);
  working_.erase(event.order);
  if (listener != nullptr) listener->OnLegInFinished(event);
  if (working_.empty() && on_idle_) on_idle_();
}

}  // namespace combo::daemon
