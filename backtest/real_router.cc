#include "backtest/real_router.h"

#include <cmath>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "core/status.h"
#include "prometheus/registry.h"
#include "stack/routing_stack.h"

namespace combo::backtest {
namespace {

using venues::market_sim::SampleMarket;

class RealRouter final : public RouterUnderTest {
 public:
  static absl::StatusOr<std::unique_ptr<RealRouter>> Create(const RealRouterOptions& options,
                                                            LegInMode mode, SampleMarket& market,
                                                            core::Scheduler& scheduler) {
    auto router = std::unique_ptr<RealRouter>(new RealRouter(market));
    stack::StackDependencies deps;
    deps.instruments = &market.instruments;
    deps.combos = &market.combos;
    deps.scheduler = &scheduler;
    deps.registry = &router->registry_;
    COMBO_ASSIGN_OR_RETURN(router->stack_, stack::RoutingStack::Build(
                                               BacktestStackConfig(options, mode, market), deps));
    // Starts the resolver's timer when it is on (the stack has no valuation timer or calendar
    // here, so off it starts nothing).
    router->stack_->Start();
    return router;
  }

  router::OrderEntry& entry() override { return stack_->router(); }
  LegInCounts leg_in_counts() const override { return stack_->leg_ins().tally(); }

  std::vector<router::LegInExecution> error_account_legs() const override {
    return stack_->router().error_account_legs();
  }

  core::Money error_account_pnl() const override {
    accounts::AccountsService& accounts = *stack_->accounts();
    accounts.Flush();
    core::Money pnl = core::Money::Zero();
    for (const auto& [instrument, position] : accounts.ledger().error_account().positions) {
      pnl += position.realized();
      if (!position.is_flat()) pnl += position.Unrealized(FairMark(instrument));
    }
    return pnl;
  }

  std::vector<ResidueSample> residues() const override {
    std::vector<ResidueSample> samples;
    for (const auto& [order, record] : stack_->accounts()->ledger().residuals()) {
      ResidueSample sample{.order = order,
                           .open = record.is_open(),
                           .opened_at = record.opened_at,
                           .pnl = core::Money::Zero(),
                           .gross_exposure = core::Money::Zero()};
      if (record.last_action == accounts::ResidualActionKind::kResolved) {
        sample.resolved_at = record.last_action_at;
      }
      for (const auto& [instrument, position] : record.positions) {
        sample.pnl += position.realized();
        if (position.is_flat()) continue;
        const core::Price mark = FairMark(instrument);
        sample.pnl += position.Unrealized(mark);
        const core::Money value =
            core::Money::Notional(mark, position.quantity().Magnitude(), position.multiplier());
        sample.gross_exposure += value.is_negative() ? -value : value;
      }
      samples.push_back(sample);
    }
    return samples;
  }

 private:
  // The simulator's fair value (analytics: the nearest nano of a double; zero when it has none).
  core::Price FairMark(core::InstrumentId instrument) const {
    const std::optional<double> fair = market_.simulator->FairValue(instrument);
    return core::Price::FromRaw(
        std::llround(fair.value_or(0.0) * static_cast<double>(core::Price::kScale)));
  }

  explicit RealRouter(SampleMarket& market) : market_(market) {}

  SampleMarket& market_;
  prometheus::Registry registry_;
  std::unique_ptr<stack::RoutingStack> stack_;
};

}  // namespace

stack::StackConfig BacktestStackConfig(const RealRouterOptions& options, LegInMode mode,
                                       const SampleMarket& market) {
  stack::StackConfig config;
  for (const auto& venue : market.venues) {
    stack::StackVenue entry;
    entry.source = stack::UseSimulatedVenue{venue.get()};
    config.venues.push_back(std::move(entry));
  }
  if (market.negotiation_venue != nullptr) {
    stack::StackVenue entry;
    entry.source = stack::UseVenue{market.negotiation_venue.get()};
    config.venues.push_back(std::move(entry));
  }
  config.router = options.router;
  config.risk = options.risk;
  config.leg_in = options.leg_in;
  config.leg_in.mode = mode;
  config.journal.placement = stack::JournalPlacement::kTemporaryDirectory;
  config.resolver = options.resolver;
  return config;
}

RouterFactory RealRouterFactory(RealRouterOptions options) {
  return [options = std::move(options)](
             LegInMode mode, SampleMarket& market,
             core::Scheduler& scheduler) -> absl::StatusOr<std::unique_ptr<RouterUnderTest>> {
    COMBO_ASSIGN_OR_RETURN(std::unique_ptr<RealRouter> router,
                           RealRouter::Create(options, mode, market, scheduler));
    return std::unique_ptr<RouterUnderTest>(std::move(router));
  };
}

}  // namespace combo::backtest
