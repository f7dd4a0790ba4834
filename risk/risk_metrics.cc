#include "risk/risk_metrics.h"

#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"

namespace combo::risk {

namespace {

constexpr RiskRule kLegInLimitRules[] = {RiskRule::kLegInExposureUnits,
                                         RiskRule::kLegInExposureNotional,
                                         RiskRule::kLegInExposureDollarDelta};
constexpr RiskRule kErrorAccountRules[] = {
    RiskRule::kErrorAccountPosition, RiskRule::kErrorAccountTotalPosition,
    RiskRule::kErrorAccountLoss, RiskRule::kErrorAccountHaltLoss};

absl::StatusOr<std::vector<prometheus::Gauge*>> GaugesByRule(
    prometheus::Family<prometheus::Gauge>& family, std::span<const RiskRule> rules) {
  std::vector<prometheus::Gauge*> gauges(kAllRiskRules.size(), nullptr);
  for (RiskRule rule : rules) {
    COMBO_ASSIGN_OR_RETURN(gauges[static_cast<size_t>(rule)],
                           core::AddGauge(family, {{"limit", std::string(ToString(rule))}}));
  }
  return gauges;
}

}  // namespace

absl::StatusOr<RiskMetrics> RiskMetrics::Create(prometheus::Registry& registry) {
  RiskMetrics m;
  COMBO_ASSIGN_OR_RETURN(auto* denials,
                         core::DeclareCounterFamily(registry, "combo_risk_denials_total",
                                                    "Risk denials of orders and leg-ins, by "
                                                    "the rule that denied them."));
  COMBO_ASSIGN_OR_RETURN(
      m.denials_,
      core::CountersByEnum<RiskRule>::Create(
          *denials, "reason", std::vector<RiskRule>(kAllRiskRules.begin(), kAllRiskRules.end())));

  COMBO_ASSIGN_OR_RETURN(auto* state,
                         core::DeclareGaugeFamily(registry, "combo_risk_trading_state",
                                                  "Trading state: 0 active, 1 reducing, "
                                                  "2 halted."));
  COMBO_ASSIGN_OR_RETURN(m.trading_state_, core::AddGauge(*state, {}));
  COMBO_ASSIGN_OR_RETURN(
      auto* changes, core::DeclareCounterFamily(registry, "combo_risk_trading_state_changes_total",
                                                "Trading state changes, by the state "
                                                "entered."));
  COMBO_ASSIGN_OR_RETURN(
      m.state_changes_,
      core::CountersByEnum<TradingState>::Create(
          *changes, "to", {TradingState::kActive, TradingState::kReducing, TradingState::kHalted}));

  COMBO_ASSIGN_OR_RETURN(auto* units,
                         core::DeclareGaugeFamily(registry, "combo_risk_legin_exposure_units",
                                                  "Open unhedged leg contracts of leg-ins, "
                                                  "over all orders."));
  COMBO_ASSIGN_OR_RETURN(m.exposure_units_, core::AddGauge(*units, {}));
  COMBO_ASSIGN_OR_RETURN(auto* notional,
                         core::DeclareGaugeFamily(registry, "combo_risk_legin_exposure_notional",
                                                  "Notional of the open unhedged leg "
                                                  "contracts."));
  COMBO_ASSIGN_OR_RETURN(m.exposure_notional_, core::AddGauge(*notional, {}));
  COMBO_ASSIGN_OR_RETURN(
      auto* delta, core::DeclareGaugeFamily(registry, "combo_risk_legin_exposure_dollar_delta",
                                            "Net dollar delta of the open unhedged leg "
                                            "contracts."));
  COMBO_ASSIGN_OR_RETURN(m.exposure_dollar_delta_, core::AddGauge(*delta, {}));

  COMBO_ASSIGN_OR_RETURN(auto* reached,
                         core::DeclareGaugeFamily(registry, "combo_risk_legin_limit_reached",
                                                  "1 while a legging exposure limit is "
                                                  "reached and blocks new leg-ins."));
  COMBO_ASSIGN_OR_RETURN(m.legin_limit_reached_, GaugesByRule(*reached, kLegInLimitRules));
  COMBO_ASSIGN_OR_RETURN(auto* breach,
                         core::DeclareGaugeFamily(registry, "combo_risk_error_account_breach",
                                                  "1 while an error-account limit is breached "
                                                  "(alert)."));
  COMBO_ASSIGN_OR_RETURN(m.error_account_breach_, GaugesByRule(*breach, kErrorAccountRules));
  COMBO_ASSIGN_OR_RETURN(auto* breaches, core::DeclareCounterFamily(
                                             registry, "combo_risk_error_account_breaches_total",
                                             "Error-account limit breaches raised."));
  COMBO_ASSIGN_OR_RETURN(
      m.error_account_breaches_,
      core::CountersByEnum<RiskRule>::Create(
          *breaches, "limit",
          std::vector<RiskRule>(std::begin(kErrorAccountRules), std::end(kErrorAccountRules))));
  m.SetTradingState(TradingState::kActive);
  return m;
}

prometheus::Gauge* RiskMetrics::Pick(const std::vector<prometheus::Gauge*>& gauges, RiskRule rule) {
  const auto index = static_cast<size_t>(rule);
  return index < gauges.size() ? gauges[index] : nullptr;
}

void RiskMetrics::SetTradingState(TradingState state) {
  trading_state_->Set(static_cast<double>(state));
}

void RiskMetrics::CountStateChange(TradingState to) { state_changes_.Increment(to); }

void RiskMetrics::SetExposure(const LegInExposure& total) {
  exposure_units_->Set(static_cast<double>(total.units.value()));
  exposure_notional_->Set(total.notional.ToDouble());
  exposure_dollar_delta_->Set(total.dollar_delta);
}

void RiskMetrics::SetLegInLimitReached(RiskRule limit, bool reached) {
  if (prometheus::Gauge* g = Pick(legin_limit_reached_, limit)) g->Set(reached ? 1.0 : 0.0);
}

void RiskMetrics::SetErrorAccountBreach(RiskRule limit, bool breached) {
  if (prometheus::Gauge* g = Pick(error_account_breach_, limit)) g->Set(breached ? 1.0 : 0.0);
}

}  // namespace combo::risk
