// ResolverMetrics: the residual resolver on Prometheus (docs/METRICS.md).
//
//   combo_resolver_residuals{state}          open residuals by state: working (an action's
//                                            orders out), waiting, hedged, held, handed_off
//   combo_resolver_actions_total{action,outcome}  actions journaled (complete, unwind, hedge,
//                                            hold, hand_off, deliver, resolved) by outcome,
//                                            every pair built at zero
//   combo_resolver_residual_pnl              realized + marked unrealized P&L of every residual
//                                            (currency units)
//   combo_resolver_gross_exposure            sum of |quantity x multiplier x mid| over open
//                                            residual positions (currency units)
//   combo_resolver_oldest_residual_age_seconds  age of the oldest open residual (0: none)
//   combo_resolver_horizon_seconds           the configured horizon (the alert compares)
//   combo_resolver_time_in_residue_seconds   histogram: how long each residual stayed open
//
// Labels are bounded by the enums. Series are built once and kept. Not thread-safe: the core
// thread (the registry itself is thread-safe).
#pragma once

#include <map>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace combo::resolver {

class ResolverMetrics {
 public:
  static absl::StatusOr<ResolverMetrics> Create(prometheus::Registry& registry);

  void SetResidual(std::string_view state, double count);
  void CountAction(std::string_view action, std::string_view outcome);
  void SetPnl(double pnl) { pnl_->Set(pnl); }
  void SetExposure(double exposure) { exposure_->Set(exposure); }
  void SetOldestAge(double seconds) { oldest_->Set(seconds); }
  void SetHorizon(double seconds) { horizon_->Set(seconds); }
  void ObserveTimeInResidue(double seconds) { time_in_residue_->Observe(seconds); }

  double actions(std::string_view action, std::string_view outcome) const;
  double residuals(std::string_view state) const;

 private:
  ResolverMetrics() = default;

  prometheus::Family<prometheus::Gauge>* residuals_family_ = nullptr;
  prometheus::Family<prometheus::Counter>* actions_family_ = nullptr;
  std::map<std::string, prometheus::Gauge*, std::less<>> residuals_;
  std::map<std::pair<std::string, std::string>, prometheus::Counter*> actions_;
  prometheus::Gauge* pnl_ = nullptr;
  prometheus::Gauge* exposure_ = nullptr;
  prometheus::Gauge* oldest_ = nullptr;
  prometheus::Gauge* horizon_ = nullptr;
  prometheus::Histogram* time_in_residue_ = nullptr;
};

}  // namespace combo::resolver
