// LegInTracker: sits between the router and the leg-in engine and knows which orders have
// leg-in work outstanding, so that a draining daemon can wait for working legs (bounded by its
// drain timeout) before it flushes the journal and exits.
//
// It forwards Start and Cancel to the engine with itself as the engine's listener, forwards
// every report to the router's listener unchanged, and calls the idle callback each time the
// last outstanding leg-in ends. Not thread-safe: the core thread.
#pragma once

#include <map>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "core/ids.h"
#include "router/leg_in_engine.h"

namespace combo::daemon {

class LegInTracker final : public router::LegInEngine, public router::LegInListener {
 public:
  // `engine` is not owned and must outlive the tracker.
  explicit LegInTracker(router::LegInEngine& engine) : engine_(engine) {}

  // Called (on the core thread) whenever the number of working leg-ins drops to zero.
  void SetIdleCallback(absl::AnyInvocable<void()> on_idle) { on_idle_ = std::move(on_idle); }
  size_t working() const { return working_.size(); }

  // router::LegInEngine.
  absl::Status Start(const router::LegInOrder& order, router::LegInListener* listener) override;
  absl::Status Cancel(core::OrderId order) override;
  const router::LegInPolicy& policy() const override { return engine_.policy(); }

  // router::LegInListener.
  void OnLegInUnits(const router::LegInUnits& event) override;
  void OnLegInFailed(const router::LegInFailure& event) override;
  void OnLegInFinished(const router::LegInDone& event) override;

 private:
  router::LegInListener* ListenerOf(core::OrderId order) const;

  router::LegInEngine& engine_;
  std::map<core::OrderId, router::LegInListener*> working_;
  absl::AnyInvocable<void()> on_idle_;
};

}  // namespace combo::daemon
