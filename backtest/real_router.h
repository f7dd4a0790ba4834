// The production router stack for a backtest run: router::ComboRouter with the real leg-in
// engine (router::VenueLegInEngine), PricingEngine, RiskManager and AccountsService (its journal
// in a fresh temporary directory, removed at the end), wired to the sample market's venues as
// the daemon wires them (each venue's market data feeds pricing; the router and the engine
// connect as participants).
//
// What it reads for the report: leg-in attempts and their outcome, counted by a thin decorator
// between the router and the engine (LegInCounter), and the error account's P&L from the
// journal's ledger, realized plus the open positions marked to the simulator's fair value at
// the end. Not thread-safe; lives on the scheduler's thread.
#pragma once

#include <map>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "backtest/backtest.h"
#include "core/ids.h"
#include "risk/risk_limits.h"
#include "router/leg_in_engine.h"
#include "router/leg_in_policy.h"
#include "router/router_config.h"

namespace combo::backtest {

// Sits between the router and a leg-in engine and counts how each leg-in ended: all its units
// done (a success), OnLegInFailed (a failure, leftovers to the error account), or finished with
// units left (stopped: the router cancelled it, e.g. the implied price moved away).
class LegInCounter final : public router::LegInEngine, public router::LegInListener {
 public:
  void SetEngine(router::LegInEngine* engine) { engine_ = engine; }

  absl::Status Start(const router::LegInOrder& order, router::LegInListener* listener) override;
  absl::Status Cancel(core::OrderId order) override;
  const router::LegInPolicy& policy() const override { return engine_->policy(); }

  void OnLegInUnits(const router::LegInUnits& event) override;
  void OnLegInFailed(const router::LegInFailure& event) override;
  void OnLegInFinished(const router::LegInDone& event) override;

  const LegInCounts& counts() const { return counts_; }

 private:
  struct Working {
    router::LegInListener* listener = nullptr;
    bool failed = false;
  };
  router::LegInEngine* engine_ = nullptr;
  std::map<core::OrderId, Working> working_;
  LegInCounts counts_;
};

struct RealRouterOptions {
  router::RouterConfig router;
  risk::RiskLimits risk;
  // The leg-in policy; its mode is set per run from the policy under test.
  router::LegInPolicy leg_in;
};

// A factory for RunBacktest that builds the real router stack.
RouterFactory RealRouterFactory(RealRouterOptions options = {});

}  // namespace combo::backtest
