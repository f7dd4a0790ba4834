// The resolver's choice by expected cost (docs/RESOLVER.md "Cost model"), on hand-built views.
#include "resolver/cost_model.h"

#include "gtest/gtest.h"

namespace combo::resolver {
namespace {

core::Money Dollars(int64_t units) {
  return core::Money::FromPrice(core::Price::FromParts(units, 0));
}

TradePlan Plan(int64_t wanted, int64_t available, int64_t cost) {
  TradePlan plan;
  plan.wanted = core::Quantity(wanted);
  plan.available = core::Quantity(available);
  plan.crossing_cost = Dollars(cost);
  plan.band = core::Price::FromParts(0, 20'000'000);
  plan.multiplier = 100;
  return plan;
}

ResolverConfig Enabled() {
  ResolverConfig config;
  config.enabled = true;
  return config;
}

TEST(ResolverCostModel, R16CompletingForTheClientBeatsUnwindingWhenItCostsLess) {
  ResidualView view;
  view.unwind = {Plan(4, 4, 20)};
  view.complete = {Plan(4, 4, 8)};
  view.deliverable = true;
  const Decision decision = Choose(view, Enabled());
  EXPECT_EQ(decision.choice, Choice::kComplete) << decision.Describe();
  EXPECT_EQ(*decision.complete, Dollars(8));
  EXPECT_EQ(*decision.unwind, Dollars(20));
}

TEST(ResolverCostModel, R16KeptUnitsStillHaveToBeClosedSoUnwindingWins) {
  ResidualView view;
  view.unwind = {Plan(4, 4, 20)};
  view.complete = {Plan(4, 4, 8)};
  view.deliverable = false;
  // carry 2000 x 1% = 20; wait = 20 + 50% x 20 = 30.
  view.dollar_delta = Dollars(2000);
  const Decision decision = Choose(view, Enabled());
  EXPECT_EQ(decision.choice, Choice::kUnwind) << decision.Describe();
  EXPECT_EQ(*decision.complete, Dollars(28));
  EXPECT_EQ(*decision.wait, Dollars(30));
}

// A residual whose missing legs are not there now: unwinding costs 100, the delta risk 1000.
ResidualView MissingLegs() {
  ResidualView view;
  view.unwind = {Plan(4, 4, 100)};
  view.complete = {Plan(4, 0, 0)};
  view.dollar_delta = Dollars(1000);
  return view;
}

TEST(ResolverCostModel, R16WaitingIsTheCarryPlusTheUnwindIfTheLegsNeverShow) {
  const ResidualView view = MissingLegs();
  ResolverConfig config = Enabled();
  config.completion_probability_bps = 8000;
  config.adverse_move_bps = 100;
  const Decision decision = Choose(view, config);
  // carry 1000 x 1% = 10; wait = 10 + 20% x 100 = 30 < unwind 100.
  EXPECT_EQ(decision.choice, Choice::kWait) << decision.Describe();
  EXPECT_EQ(*decision.wait, Dollars(30));
  EXPECT_FALSE(decision.complete.has_value());
}

TEST(ResolverCostModel, R16AHedgeCheaperThanTheCarriedDeltaRiskIsTakenWhileWaiting) {
  ResidualView view;
  view.unwind = {Plan(4, 4, 100)};
  view.complete = {Plan(4, 0, 0)};
  view.dollar_delta = Dollars(10000);
  view.delta_shares = 200;
  view.hedge = Plan(200, 200, 2);
  ResolverConfig config = Enabled();
  config.hedge.enabled = true;
  config.completion_probability_bps = 9000;
  const Decision decision = Choose(view, config);
  // carry 100; wait 100 + 10 = 110 < unwind... no: unwind 100 < wait 110.
  EXPECT_EQ(decision.choice, Choice::kUnwind) << decision.Describe();
  config.completion_probability_bps = 10000;
  config.adverse_move_bps = 50;
  // carry 50, wait 50 < unwind 100; hedge 4 < carry 50.
  EXPECT_EQ(Choose(view, config).choice, Choice::kHedge) << Choose(view, config).Describe();
  config.hedge.min_delta_shares = 500;
  EXPECT_EQ(Choose(view, config).choice, Choice::kWait);
}

TEST(ResolverCostModel, AnActionOverTheCostLimitOrDisabledIsNotTaken) {
  ResidualView view;
  view.unwind = {Plan(4, 4, 20)};
  ResolverConfig config = Enabled();
  EXPECT_EQ(Choose(view, config).choice, Choice::kUnwind);
  config.max_action_cost = core::Price::FromParts(19, 0);
  EXPECT_EQ(Choose(view, config).choice, Choice::kWait);
  EXPECT_FALSE(Choose(view, config).unwind.has_value());
  config.max_action_cost = core::Price::Zero();
  config.unwind.enabled = false;
  EXPECT_FALSE(Choose(view, config).unwind.has_value());
}

TEST(ResolverCostModel, APartialMarketIsNotAFullActionBeforeTheHorizon) {
  ResidualView view;
  view.unwind = {Plan(4, 3, 15)};
  EXPECT_FALSE(Choose(view, Enabled()).unwind.has_value());
}

TEST(ResolverCostModel, R16TheBandWidensWithTheResidualsAgeToItsCapAtTheHorizon) {
  ActionSettings unwind;
  unwind.band_ticks = 2;
  unwind.max_band_ticks = 10;
  const core::Duration horizon = core::Duration::Seconds(300);
  EXPECT_EQ(unwind.BandTicksAt(core::Duration::Zero(), horizon), 2);
  // 2 + 8 x 37/300 = 2.99: rounded down.
  EXPECT_EQ(unwind.BandTicksAt(core::Duration::Seconds(37), horizon), 2);
  EXPECT_EQ(unwind.BandTicksAt(core::Duration::Seconds(38), horizon), 3);
  EXPECT_EQ(unwind.BandTicksAt(core::Duration::Seconds(150), horizon), 6);
  EXPECT_EQ(unwind.BandTicksAt(core::Duration::Milliseconds(299'999), horizon), 9);
  EXPECT_EQ(unwind.BandTicksAt(horizon, horizon), 10);
  EXPECT_EQ(unwind.BandTicksAt(core::Duration::Seconds(900), horizon), 10);
  // A cap at the band: a fixed band.
  unwind.max_band_ticks = 2;
  EXPECT_EQ(unwind.BandTicksAt(core::Duration::Seconds(299), horizon), 2);
}

TEST(ResolverCostModel, R16WaitingIsWorthOnlyTheTimeLeftSoAtTheHorizonTheUnwindIsTaken) {
  ResidualView view = MissingLegs();
  ResolverConfig config = Enabled();
  config.completion_probability_bps = 8000;
  // Just opened: carry 10 + (1 - 80%) x 100 = 30 < unwind 100: it waits.
  view.time_left_bps = 10000;
  EXPECT_EQ(Choose(view, config).choice, Choice::kWait);
  EXPECT_EQ(*Choose(view, config).wait, Dollars(30));
  // Half the horizon left: 10 + (1 - 40%) x 100 = 70.
  view.time_left_bps = 5000;
  EXPECT_EQ(*Choose(view, config).wait, Dollars(70));
  EXPECT_EQ(Choose(view, config).choice, Choice::kWait);
  // A tenth left: 10 + (1 - 8%) x 100 = 102 > unwind 100: it unwinds rather than be held.
  view.time_left_bps = 1000;
  EXPECT_EQ(*Choose(view, config).wait, Dollars(102));
  EXPECT_EQ(Choose(view, config).choice, Choice::kUnwind);
  EXPECT_NE(Choose(view, config).Describe().find("bands 0/0 ticks"), std::string::npos);
}

TEST(ResolverConfig, BadValuesAreNamed) {
  ResolverConfig config;
  config.interval = core::Duration::Zero();
  EXPECT_NE(config.Validate().message().find("interval"), std::string::npos);
  config = ResolverConfig{};
  config.horizon = core::Duration::Milliseconds(10);
  EXPECT_NE(config.Validate().message().find("horizon"), std::string::npos);
  config = ResolverConfig{};
  config.completion_probability_bps = 10001;
  EXPECT_NE(config.Validate().message().find("completion_probability_bps"), std::string::npos);
  config = ResolverConfig{};
  config.unwind.band_ticks = -1;
  EXPECT_NE(config.Validate().message().find("unwind band_ticks"), std::string::npos);
  config = ResolverConfig{};
  config.complete.band_ticks = 12;
  EXPECT_NE(config.Validate().message().find("complete max_band_ticks must be in [band_ticks (12)"),
            std::string::npos);
  EXPECT_TRUE(ResolverConfig{}.Validate().ok());
}

}  // namespace
}  // namespace combo::resolver
