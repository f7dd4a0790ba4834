// RiskMetrics: the risk module's Prometheus families, declared once with their series
// pre-built so that a check only bumps a kept counter.
//
//   combo_risk_denials_total{reason}            denials by RiskRule (orders and leg-ins)
//   combo_risk_trading_state                    0 active, 1 reducing, 2 halted
//   combo_risk_trading_state_changes_total{to}  state changes by the state entered
//   combo_risk_legin_exposure_units             open unhedged leg contracts
//   combo_risk_legin_exposure_notional          their notional
//   combo_risk_legin_exposure_dollar_delta      their net dollar delta
//   combo_risk_legin_limit_reached{limit}       1 while that legging limit blocks leg-ins
//   combo_risk_error_account_breach{limit}      1 while that error-account limit is breached
//                                               (the alert)
//   combo_risk_error_account_breaches_total{limit}  breaches raised
// Thread-safety: prometheus-cpp metrics are updated lock-free; the object is used on the
// core thread.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "core/metrics.h"
#include "prometheus/registry.h"
#include "risk/legging_exposure.h"
#include "risk/risk_rule.h"
#include "risk/trading_state.h"

namespace combo::risk {

class RiskMetrics {
 public:
  static absl::StatusOr<RiskMetrics> Create(prometheus::Registry& registry);

  void CountDenial(RiskRule rule) { denials_.Increment(rule); }
  double denials(RiskRule rule) const { return denials_.Value(rule); }

  void SetTradingState(TradingState state);
  void CountStateChange(TradingState to);
  double state_changes(TradingState to) const { return state_changes_.Value(to); }
  void SetExposure(const LegInExposure& total);
  // For the three legging limits.
  void SetLegInLimitReached(RiskRule limit, bool reached);
  // For the four error-account limits.
  // The alert gauge of one error-account limit: 1 while breached.
  void SetErrorAccountBreach(RiskRule limit, bool breached);
  void CountErrorAccountBreach(RiskRule limit) { error_account_breaches_.Increment(limit); }
  double error_account_breaches(RiskRule limit) const {
    return error_account_breaches_.Value(limit);
  }

 private:
  RiskMetrics() = default;
  static prometheus::Gauge* Pick(const std::vector<prometheus::Gauge*>& gauges, RiskRule rule);

  core::CountersByEnum<RiskRule> denials_;
  core::CountersByEnum<TradingState> state_changes_;
  prometheus::Gauge* trading_state_ = nullptr;
  prometheus::Gauge* exposure_units_ = nullptr;
  prometheus::Gauge* exposure_notional_ = nullptr;
  prometheus::Gauge* exposure_dollar_delta_ = nullptr;
  // Indexed by RiskRule value; null for rules without such a series.
  std::vector<prometheus::Gauge*> legin_limit_reached_;
  std::vector<prometheus::Gauge*> error_account_breach_;
  core::CountersByEnum<RiskRule> error_account_breaches_;
};

}  // namespace combo::risk
