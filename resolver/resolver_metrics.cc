#include "resolver/resolver_metrics.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "core/metrics.h"
#include "core/status.h"

namespace combo::resolver {

absl::StatusOr<ResolverMetrics> ResolverMetrics::Create(prometheus::Registry& registry) {
  ResolverMetrics m;
  COMBO_ASSIGN_OR_RETURN(
      m.residuals_family_,
      core::DeclareGaugeFamily(registry, "combo_resolver_residuals",
                               "Open error-account residuals by resolver state"));
  for (const char* state : {"working", "waiting", "hedged", "held", "handed_off"}) {
    COMBO_ASSIGN_OR_RETURN(m.residuals_[state],
                           core::AddGauge(*m.residuals_family_, {{"state", state}}));
  }
  COMBO_ASSIGN_OR_RETURN(
      m.actions_family_,
      core::DeclareCounterFamily(registry, "combo_resolver_actions_total",
                                 "Residual resolver actions journaled, by action and outcome"));
  // Every (action, outcome) the resolver journals, at zero, so rates start from the first one.
  for (const auto& [action, outcomes] :
       std::vector<std::pair<const char*, std::vector<const char*>>>{
           {"complete", {"sent", "filled", "partial", "no_fill"}},
           {"unwind", {"sent", "filled", "partial", "no_fill"}},
           {"hedge", {"sent", "filled", "partial", "no_fill"}},
           {"hold", {"waiting", "held"}},
           {"hand_off", {"handed_off"}},
           {"deliver", {"delivered", "refused"}},
           {"resolved", {"resolved"}}}) {
    for (const char* outcome : outcomes) {
      COMBO_ASSIGN_OR_RETURN(
          m.actions_[std::make_pair(std::string(action), std::string(outcome))],
          core::AddCounter(*m.actions_family_, {{"action", action}, {"outcome", outcome}}));
    }
  }
  COMBO_ASSIGN_OR_RETURN(auto* pnl,
                         core::DeclareGaugeFamily(registry, "combo_resolver_residual_pnl",
                                                  "Realized plus marked unrealized P&L of every "
                                                  "residual, in currency units"));
  COMBO_ASSIGN_OR_RETURN(m.pnl_, core::AddGauge(*pnl, {}));
  COMBO_ASSIGN_OR_RETURN(
      auto* exposure,
      core::DeclareGaugeFamily(registry, "combo_resolver_gross_exposure",
                               "Sum of |quantity x multiplier x mid| over open residual "
                               "positions, in currency units"));
  COMBO_ASSIGN_OR_RETURN(m.exposure_, core::AddGauge(*exposure, {}));
  COMBO_ASSIGN_OR_RETURN(
      auto* oldest, core::DeclareGaugeFamily(registry, "combo_resolver_oldest_residual_age_seconds",
                                             "Age of the oldest open residual (0 when none)"));
  COMBO_ASSIGN_OR_RETURN(m.oldest_, core::AddGauge(*oldest, {}));
  COMBO_ASSIGN_OR_RETURN(auto* horizon,
                         core::DeclareGaugeFamily(registry, "combo_resolver_horizon_seconds",
                                                  "The residual resolver's configured horizon"));
  COMBO_ASSIGN_OR_RETURN(m.horizon_, core::AddGauge(*horizon, {}));
  COMBO_ASSIGN_OR_RETURN(
      auto* time_in_residue,
      core::DeclareHistogramFamily(registry, "combo_resolver_time_in_residue_seconds",
                                   "How long each residual stayed open before it was resolved"));
  COMBO_ASSIGN_OR_RETURN(m.time_in_residue_, core::AddHistogram(*time_in_residue, {},
                                                                {0.1, 0.5, 1, 2, 5, 10, 30, 60, 120,
                                                                 300, 600, 1800, 3600}));
  return m;
}

void ResolverMetrics::SetResidual(std::string_view state, double count) {
  auto it = residuals_.find(state);
  if (it != residuals_.end()) it->second->Set(count);
}

void ResolverMetrics::CountAction(std::string_view action, std::string_view outcome) {
  auto key = std::make_pair(std::string(action), std::string(outcome));
  auto it = actions_.find(key);
  if (it == actions_.end()) {
    // Both labels come from bounded enums and fixed outcome words.
    it = actions_
             .emplace(key, &actions_family_->Add({{"action", key.first}, {"outcome", key.second}}))
             .first;
  }
  it->second->Increment();
}

double ResolverMetrics::actions(std::string_view action, std::string_view outcome) const {
  auto it = actions_.find(std::make_pair(std::string(action), std::string(outcome)));
  return it == actions_.end() ? 0 : it->second->Value();
}

double ResolverMetrics::residuals(std::string_view state) const {
  auto it = residuals_.find(state);
  return it == residuals_.end() ? 0 : it->second->Value();
}

}  // namespace combo::resolver
