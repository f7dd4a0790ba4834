// RouterMetrics: the router's own Prometheus families (BRIEF names, docs/ROUTER.md "Metrics"):
// routing decisions by outcome and the time from a combo tick to the decisions it caused,
// declared once with bounded labels and kept as pre-built series. Filled once at start-up and
// then only updated (prometheus-cpp series are thread-safe).
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/metrics.h"

namespace combo::router {

// What a routing decision did with an order (combo_router_decisions_total{outcome}).
enum class DecisionOutcome : uint8_t {
  kNative,    // rested at a native complex-order book
  kImplied,   // handed to the leg-in engine
  kWorking,   // held by the router (watching, stability wait, policy hold)
  kRejected,  // refused (bad order, risk)
};
std::string_view ToString(DecisionOutcome outcome);

class RouterMetrics {
 public:
  static absl::StatusOr<RouterMetrics> Create(prometheus::Registry& registry);

  void Decision(DecisionOutcome outcome) { decisions_.Increment(outcome); }
  void DecisionSeconds(double seconds) { decision_seconds_->Observe(seconds); }
  void TickWaitSeconds(double seconds) { tick_wait_seconds_->Observe(seconds); }
  void JournalRefusal() { journal_refusals_->Increment(); }

 private:
  core::CountersByEnum<DecisionOutcome> decisions_;
  prometheus::Histogram* decision_seconds_ = nullptr;
  prometheus::Histogram* tick_wait_seconds_ = nullptr;
  prometheus::Counter* journal_refusals_ = nullptr;
};

}  // namespace combo::router
