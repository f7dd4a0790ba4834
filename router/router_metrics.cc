#include "router/router_metrics.h"

#include "core/status.h"

namespace combo::router {

std::string_view ToString(DecisionOutcome outcome) {
  switch (outcome) {
    case DecisionOutcome::kNative:
      return "native";
    case DecisionOutcome::kImplied:
      return "implied";
    case DecisionOutcome::kWorking:
      return "working";
    case DecisionOutcome::kRejected:
      return "rejected";
  }
  return "unknown";
}

absl::StatusOr<RouterMetrics> RouterMetrics::Create(prometheus::Registry& registry) {
  RouterMetrics m;
  COMBO_ASSIGN_OR_RETURN(auto* decisions,
                         core::DeclareCounterFamily(registry, "combo_router_decisions_total",
                                                    "Routing decisions, by what they did with "
                                                    "the order."));
  COMBO_ASSIGN_OR_RETURN(m.decisions_,
                         core::CountersByEnum<DecisionOutcome>::Create(
                             *decisions, "outcome",
                             {DecisionOutcome::kNative, DecisionOutcome::kImplied,
                              DecisionOutcome::kWorking, DecisionOutcome::kRejected}));
  COMBO_ASSIGN_OR_RETURN(auto* seconds,
                         core::DeclareHistogramFamily(registry, "combo_router_decision_seconds",
                                                      "Time the router takes to decide: a new "
                                                      "order's routing, or one combo's orders "
                                                      "re-decided on a tick."));
  COMBO_ASSIGN_OR_RETURN(m.decision_seconds_,
                         core::AddHistogram(*seconds, {},
                                            {0.0000005, 0.000001, 0.000002, 0.000005, 0.00001,
                                             0.00005, 0.0001, 0.001, 0.01}));
  COMBO_ASSIGN_OR_RETURN(auto* wait,
                         core::DeclareHistogramFamily(registry, "combo_router_tick_wait_seconds",
                                                      "Time from the first combo tick of a "
                                                      "decision pass to the pass's start: the "
                                                      "event loop's other work ahead of it."));
  COMBO_ASSIGN_OR_RETURN(
      m.tick_wait_seconds_,
      core::AddHistogram(*wait, {},
                         {0.000001, 0.000005, 0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.01, 0.1}));
  COMBO_ASSIGN_OR_RETURN(auto* refusals,
                         core::DeclareCounterFamily(registry, "combo_router_journal_refusals_total",
                                                    "Order events the journal refused or failed "
                                                    "to record; each withheld a client report."));
  COMBO_ASSIGN_OR_RETURN(m.journal_refusals_, core::AddCounter(*refusals, {}));
  return m;
}

}  // namespace combo::router
