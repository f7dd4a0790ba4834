#include "backtest/real_router.h"

#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "accounts/accounts_service.h"
#include "core/status.h"
#include "pricing/pricing_engine.h"
#include "prometheus/registry.h"
#include "risk/risk_manager.h"
#include "router/combo_router.h"
#include "router/pricing_feed.h"
#include "router/venue_leg_in_engine.h"
#include "venues/market_sim/sample_market.h"

namespace combo::backtest {

absl::Status LegInCounter::Start(const router::LegInOrder& order, router::LegInListener* listener) {
  if (engine_ == nullptr) return absl::FailedPreconditionError("leg-in counter has no engine");
  // Registered first: an engine may report synchronously from Start.
  auto [slot, inserted] = working_.try_emplace(order.order, Working{listener, false});
  if (!inserted) {
    return absl::FailedPreconditionError(
        absl::StrCat("order ", order.order.value(), " is already legging in"));
  }
  absl::Status started = engine_->Start(order, this);
  if (!started.ok()) {
    working_.erase(order.order);
    return started;
  }
  ++counts_.attempts;
  return absl::OkStatus();
}

absl::Status LegInCounter::Cancel(core::OrderId order) {
  if (engine_ == nullptr) return absl::FailedPreconditionError("leg-in counter has no engine");
  return engine_->Cancel(order);
}

void LegInCounter::OnLegInUnits(const router::LegInUnits& event) {
  auto found = working_.find(event.order);
  if (found == working_.end()) return;
  counts_.units += event.units.value();
  found->second.listener->OnLegInUnits(event);
}

void LegInCounter::OnLegInFailed(const router::LegInFailure& event) {
  auto found = working_.find(event.order);
  if (found == working_.end()) return;
  router::LegInListener* listener = found->second.listener;
  ++counts_.failures;
  ++counts_.ends[event.cause];
  working_.erase(found);
  listener->OnLegInFailed(event);
}

void LegInCounter::OnLegInFinished(const router::LegInDone& event) {
  auto found = working_.find(event.order);
  if (found == working_.end()) return;
  router::LegInListener* listener = found->second.listener;
  if (event.units_left.is_zero()) {
    ++counts_.successes;
  } else {
    ++counts_.stopped;
  }
  ++counts_.ends[event.cause];
  working_.erase(found);
  listener->OnLegInFinished(event);
}

namespace {

using venues::market_sim::SampleMarket;

class RealRouter final : public RouterUnderTest {
 public:
  ~RealRouter() override {
    // Stop the market data first, then the router before the engine and the journal it
    // writes to; the journal's directory goes last.
    for (size_t i = 0; i < feeds_.size(); ++i) (void)venues_[i]->Unsubscribe(feeds_[i].get());
    router_.reset();
    engine_.reset();
    accounts_.reset();
    if (!journal_dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(journal_dir_, ignored);
    }
  }

  static absl::StatusOr<std::unique_ptr<RealRouter>> Create(const RealRouterOptions& options,
                                                            LegInMode mode, SampleMarket& market,
                                                            core::Scheduler& scheduler);

  router::OrderEntry& entry() override { return *router_; }
  LegInCounts leg_in_counts() const override { return counter_.counts(); }

  std::vector<router::LegInExecution> error_account_legs() const override {
    return router_->error_account_legs();
  }

  core::Money error_account_pnl() const override {
    accounts_->Flush();
    core::Money pnl = core::Money::Zero();
    for (const auto& [instrument, position] : accounts_->ledger().error_account().positions) {
      pnl += position.realized();
      if (position.is_flat()) continue;
      const std::optional<double> fair = market_->simulator->FairValue(instrument);
      // Marked to the simulator's fair value (analytics: the nearest nano of a double).
      const core::Price mark = core::Price::FromRaw(
          std::llround(fair.value_or(0.0) * static_cast<double>(core::Price::kScale)));
      pnl += position.Unrealized(mark);
    }
    return pnl;
  }

 private:
  SampleMarket* market_ = nullptr;
  prometheus::Registry registry_;
  std::unique_ptr<pricing::PricingEngine> pricing_;
  std::unique_ptr<risk::RiskManager> risk_;
  std::string journal_dir_;
  std::unique_ptr<accounts::AccountsService> accounts_;
  std::unique_ptr<router::VenueLegInEngine> engine_;
  LegInCounter counter_;
  std::unique_ptr<router::ComboRouter> router_;
  std::vector<venues::Venue*> venues_;
  std::vector<std::unique_ptr<router::PricingFeed>> feeds_;
};

absl::StatusOr<std::unique_ptr<RealRouter>> RealRouter::Create(const RealRouterOptions& options,
                                                               LegInMode mode, SampleMarket& market,
                                                               core::Scheduler& scheduler) {
  auto stack = std::make_unique<RealRouter>();
  stack->market_ = &market;
  stack->venues_ = market.venue_pointers();

  pricing::PricingConfig pricing_config;
  for (venues::Venue* venue : stack->venues_) pricing_config.venues.push_back(venue->id());
  COMBO_ASSIGN_OR_RETURN(stack->pricing_, pricing::PricingEngine::Create(
                                              market.instruments, market.combos, pricing_config));
  COMBO_ASSIGN_OR_RETURN(stack->risk_,
                         risk::RiskManager::Create(options.risk, scheduler, stack->registry_));
  for (venues::Venue* venue : stack->venues_) {
    stack->risk_->SetVenueStatus(venue->id(), risk::VenueStatus::kAvailable);
  }

  std::string dir_template =
      (std::filesystem::temp_directory_path() / "combo_backtest_XXXXXX").string();
  if (mkdtemp(dir_template.data()) == nullptr) {
    return absl::InternalError("cannot create a temporary directory for the backtest journal");
  }
  stack->journal_dir_ = dir_template;
  COMBO_ASSIGN_OR_RETURN(stack->accounts_,
                         accounts::AccountsService::Open(stack->journal_dir_ + "/journal.db",
                                                         accounts::AccountsOptions{}, scheduler));

  router::LegInPolicy policy = options.leg_in;
  policy.mode = mode;
  router::LegInEngineDependencies engine_deps;
  engine_deps.instruments = &market.instruments;
  engine_deps.pricing = stack->pricing_.get();
  engine_deps.risk = stack->risk_.get();
  engine_deps.scheduler = &scheduler;
  engine_deps.clock = &scheduler;
  for (venues::Venue* venue : stack->venues_) {
    router::LegVenue leg_venue;
    leg_venue.venue = venue;
    // The sample venues' configured inbound latency for new orders is what the engine expects.
    if (const venues::SimulatedVenue* simulated = market.venue(venue->id())) {
      leg_venue.expected_latency = simulated->config().latency.inbound.new_order.fixed;
    }
    engine_deps.venues.push_back(std::move(leg_venue));
  }
  engine_deps.participant = core::ParticipantId(options.router.participant.value() + 1);
  engine_deps.registry = &stack->registry_;
  COMBO_ASSIGN_OR_RETURN(stack->engine_,
                         router::VenueLegInEngine::Create(policy, std::move(engine_deps)));
  stack->counter_.SetEngine(stack->engine_.get());

  router::RouterDependencies deps;
  deps.instruments = &market.instruments;
  deps.combos = &market.combos;
  deps.pricing = stack->pricing_.get();
  deps.risk = stack->risk_.get();
  deps.scheduler = &scheduler;
  deps.leg_in = &stack->counter_;
  deps.accounts = stack->accounts_.get();
  deps.venues = stack->venues_;
  COMBO_ASSIGN_OR_RETURN(stack->router_, router::ComboRouter::Create(options.router, deps));

  for (venues::Venue* venue : stack->venues_) {
    stack->feeds_.push_back(std::make_unique<router::PricingFeed>(*stack->pricing_));
    COMBO_RETURN_IF_ERROR(venue->Subscribe(stack->feeds_.back().get()));
  }
  for (core::ComboId combo : {market.call_spread, market.put_spread}) {
    COMBO_RETURN_IF_ERROR(stack->pricing_->Track(combo));
  }
  return stack;
}

}  // namespace

RouterFactory RealRouterFactory(RealRouterOptions options) {
  return [options = std::move(options)](
             LegInMode mode, SampleMarket& market,
             core::Scheduler& scheduler) -> absl::StatusOr<std::unique_ptr<RouterUnderTest>> {
    COMBO_ASSIGN_OR_RETURN(std::unique_ptr<RealRouter> stack,
                           RealRouter::Create(options, mode, market, scheduler));
    return std::unique_ptr<RouterUnderTest>(std::move(stack));
  };
}

}  // namespace combo::backtest
