// LegInTracker: sits between the router and the leg-in engine and knows which orders have
// leg-in work outstanding, so that a draining daemon can wait for working legs (bounded by its
// drain timeout) before it flushes the journal and exits, and tallies how leg-ins end (what a
// backtest reports per policy).
//
// It forwards Start, Cancel and StopAfterSlice to the engine with itself as the engine's listener,
// forwards every report to the router's listener unchanged, and calls the idle callback each time
// the last outstanding leg-in ends. Not thread-safe: the core thread.
#pragma once

#include <cstdint>
#include <map>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "core/ids.h"
#include "router/leg_in_engine.h"

namespace combo::stack {

// How the leg-ins the tracker saw ended.
struct LegInTally {
  // Leg-ins the engine accepted.
  int64_t attempts = 0;
  // Ended with every unit done: whole combo units only, nothing to the error account.
  int64_t successes = 0;
  // Ended in OnLegInFailed: leftover leg executions went to the error account.
  int64_t failures = 0;
  // Ended with units left at the router's request (e.g. the implied price moved away).
  int64_t stopped = 0;
  // Combo units the leg-ins completed.
  int64_t units = 0;
  // How the leg-ins ended, by the engine's cause.
  std::map<router::LegInEnd, int64_t> ends;
  friend bool operator==(const LegInTally&, const LegInTally&) = default;
};

class LegInTracker final : public router::LegInEngine, public router::LegInListener {
 public:
  // `engine` is not owned and must outlive the tracker.
  explicit LegInTracker(router::LegInEngine& engine) : engine_(engine) {}

  // Called (on the core thread) whenever the number of working leg-ins drops to zero.
  void SetIdleCallback(absl::AnyInvocable<void()> on_idle) { on_idle_ = std::move(on_idle); }
  size_t working() const { return working_.size(); }
  const LegInTally& tally() const { return tally_; }

  // router::LegInEngine.
  absl::Status Start(const router::LegInOrder& order, router::LegInListener* listener) override;
  absl::Status Cancel(core::OrderId order) override;
  absl::Status StopAfterSlice(core::OrderId order) override;
  const router::LegInPolicy& policy() const override { return engine_.policy(); }

  // router::LegInListener.
  void OnLegInUnits(const router::LegInUnits& event) override;
  void OnLegInFailed(const router::LegInFailure& event) override;
  void OnLegInFinished(const router::LegInDone& event) override;

 private:
  router::LegInListener* ListenerOf(core::OrderId order) const;

  router::LegInEngine& engine_;
  std::map<core::OrderId, router::LegInListener*> working_;
  LegInTally tally_;
  absl::AnyInvocable<void()> on_idle_;
};

}  // namespace combo::stack
