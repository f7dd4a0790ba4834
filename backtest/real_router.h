// The production router stack for a backtest run, built by the daemon's builder
// (stack::RoutingStack) on the sample market's venues: every sample venue is used as an
// embedded exchange the stack did not build (its listing and latency model give the engine its
// view, its market data feeds pricing), the journal sits in a fresh temporary directory removed
// at the end, and the leg-in policy's mode is the policy under test.
//
// The stack is started, so the residual resolver (when the options enable it) works the error
// account from the journal as in the daemon.
//
// What it reads for the report: how leg-ins ended, from the stack's leg-in tracker, and the
// error account's P&L and its residuals from the journal's ledger, realized plus the open
// positions marked to the simulator's fair value. Not thread-safe; lives on the scheduler's thread.
#pragma once

#include "absl/status/statusor.h"
#include "backtest/backtest.h"
#include "resolver/resolver_config.h"
#include "risk/risk_limits.h"
#include "router/leg_in_policy.h"
#include "router/router_config.h"
#include "stack/stack_config.h"
#include "venues/market_sim/sample_market.h"

namespace combo::backtest {

struct RealRouterOptions {
  router::RouterConfig router;
  risk::RiskLimits risk;
  // The leg-in policy; its mode is set per run from the policy under test.
  router::LegInPolicy leg_in;
  // The residual resolver (docs/RESOLVER.md); off (the default): book and hold.
  resolver::ResolverConfig resolver;
};

// The stack a backtest run routes with: the sample market's venues, all routable, in market
// order (the negotiation venue last when present), a temporary journal.
stack::StackConfig BacktestStackConfig(const RealRouterOptions& options, LegInMode mode,
                                       const venues::market_sim::SampleMarket& market);

// A factory for RunBacktest that builds the real router stack.
RouterFactory RealRouterFactory(RealRouterOptions options = {});

}  // namespace combo::backtest
