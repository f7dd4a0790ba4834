#include "router/leg_in_metrics.h"

#include "core/status.h"

namespace combo::router {

std::string_view ToString(LegOrderOutcome outcome) {
  switch (outcome) {
    case LegOrderOutcome::kSent:
      return "sent";
    case LegOrderOutcome::kFilled:
      return "filled";
    case LegOrderOutcome::kPartiallyFilled:
      return "partially_filled";
    case LegOrderOutcome::kUnfilled:
      return "unfilled";
    case LegOrderOutcome::kRejected:
      return "rejected";
    case LegOrderOutcome::kTimedOut:
      return "timed_out";
  }
  return "unknown";
}

absl::StatusOr<LegInMetrics> LegInMetrics::Create(
    prometheus::Registry& registry,
    const std::vector<std::pair<core::VenueId, std::string>>& venues) {
  LegInMetrics m;
  COMBO_ASSIGN_OR_RETURN(auto* attempts,
                         core::DeclareCounterFamily(registry, "combo_legin_attempts_total",
                                                    "Leg-ins started, by policy."));
  COMBO_ASSIGN_OR_RETURN(auto* successes,
                         core::DeclareCounterFamily(registry, "combo_legin_successes_total",
                                                    "Leg-ins that did every unit asked, by "
                                                    "policy."));
  COMBO_ASSIGN_OR_RETURN(auto* failures,
                         core::DeclareCounterFamily(registry, "combo_legin_failures_total",
                                                    "Leg-ins that ended without doing every "
                                                    "unit, by policy and reason."));
  COMBO_ASSIGN_OR_RETURN(auto* duration,
                         core::DeclareHistogramFamily(registry, "combo_legin_duration_seconds",
                                                      "Time from a leg-in's start to its last "
                                                      "leg done, by policy."));
  const std::vector<double> buckets = {0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05,
                                       0.1,    0.5,    1.0,   5.0,   10.0};
  for (LegInMode mode : {LegInMode::kAggressive, LegInMode::kDefensive}) {
    const core::MetricLabels labels = {{"policy", std::string(ToString(mode))}};
    COMBO_ASSIGN_OR_RETURN(m.attempts_[Index(mode)], core::AddCounter(*attempts, labels));
    COMBO_ASSIGN_OR_RETURN(m.successes_[Index(mode)], core::AddCounter(*successes, labels));
    COMBO_ASSIGN_OR_RETURN(
        m.failures_[Index(mode)],
        core::CountersByEnum<LegInEnd>::Create(
            *failures, "reason",
            {LegInEnd::kCompleted, LegInEnd::kLegFailed, LegInEnd::kCancelled,
             LegInEnd::kPreflightFailed, LegInEnd::kRiskDenied, LegInEnd::kMarketMoved},
            labels));
    COMBO_ASSIGN_OR_RETURN(m.duration_[Index(mode)],
                           core::AddHistogram(*duration, labels, buckets));
  }
  COMBO_ASSIGN_OR_RETURN(auto* legs,
                         core::DeclareCounterFamily(registry, "combo_legin_leg_orders_total",
                                                    "Leg orders the leg-in engine sent, and "
                                                    "what became of them, by venue."));
  for (const auto& [id, name] : venues) {
    COMBO_ASSIGN_OR_RETURN(
        m.leg_orders_[id],
        core::CountersByEnum<LegOrderOutcome>::Create(
            *legs, "outcome",
            {LegOrderOutcome::kSent, LegOrderOutcome::kFilled, LegOrderOutcome::kPartiallyFilled,
             LegOrderOutcome::kUnfilled, LegOrderOutcome::kRejected, LegOrderOutcome::kTimedOut},
            {{"venue", name}}));
  }
  COMBO_ASSIGN_OR_RETURN(auto* open,
                         core::DeclareGaugeFamily(registry, "combo_legin_open_orders",
                                                  "Combo orders the leg-in engine is working."));
  COMBO_ASSIGN_OR_RETURN(m.open_orders_, core::AddGauge(*open, {}));
  COMBO_ASSIGN_OR_RETURN(auto* units,
                         core::DeclareGaugeFamily(registry, "combo_legin_unhedged_units",
                                                  "Leg contracts filled and not yet in whole "
                                                  "combo units, over all orders."));
  COMBO_ASSIGN_OR_RETURN(m.unhedged_units_, core::AddGauge(*units, {}));
  COMBO_ASSIGN_OR_RETURN(auto* notional,
                         core::DeclareGaugeFamily(registry, "combo_legin_unhedged_notional",
                                                  "Notional of the unhedged leg contracts."));
  COMBO_ASSIGN_OR_RETURN(m.unhedged_notional_, core::AddGauge(*notional, {}));
  COMBO_ASSIGN_OR_RETURN(auto* delta,
                         core::DeclareGaugeFamily(registry, "combo_legin_unhedged_dollar_delta",
                                                  "Net dollar delta of the unhedged leg "
                                                  "contracts."));
  COMBO_ASSIGN_OR_RETURN(m.unhedged_dollar_delta_, core::AddGauge(*delta, {}));
  return m;
}

void LegInMetrics::LegOrder(core::VenueId venue, LegOrderOutcome outcome) {
  if (auto it = leg_orders_.find(venue); it != leg_orders_.end()) it->second.Increment(outcome);
}

}  // namespace combo::router
