// VenueLegInEngine on its own (no router): bad input, risk's veto, exposure while a leg is open,
// exact units and the error account on failure. Scenario files cover the router together with
// the engine (tests/scenarios/).
#include "router/venue_leg_in_engine.h"

#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/combo_catalog.h"
#include "core/instrument_catalog.h"
#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "pricing/pricing_engine.h"
#include "prometheus/registry.h"
#include "risk/risk_manager.h"
#include "router/pricing_feed.h"
#include "venues/simulated_venue.h"

namespace combo::router {
namespace {

using core::Price;
using core::Quantity;
using core::Side;

constexpr core::ParticipantId kMaker(100);
constexpr core::ParticipantId kEngine(2);

class Ignore : public venues::VenueListener {
 public:
  void OnAck(const venues::OrderAcked&) override {}
  void OnReject(const venues::OrderRejected&) override {}
  void OnFill(const venues::Fill&) override {}
  void OnComplexFill(const venues::ComplexFill&) override {}
  void OnCancelled(const venues::OrderCancelled&) override {}
  void OnRestated(const venues::OrderRestated&) override {}
};

class Recorder : public LegInListener {
 public:
  void OnLegInUnits(const LegInUnits& event) override { units.push_back(event); }
  void OnLegInFailed(const LegInFailure& event) override { failures.push_back(event); }
  void OnLegInFinished(const LegInDone& event) override { done.push_back(event); }
  std::vector<LegInUnits> units;
  std::vector<LegInFailure> failures;
  std::vector<LegInDone> done;
};

class StartedLegs : public LegInObserver {
 public:
  void OnLegInEvent(const LegInEvent& event) override {
    if (event.kind == LegInEventKind::kStarted) started.push_back(event.text);
  }
  std::vector<std::string> started;
};

class VenueLegInEngineTest : public ::testing::Test {
 protected:
  void Build(risk::RiskLimits limits = {}, core::Duration latency = core::Duration::Zero()) {
    for (auto [id, symbol] : {std::pair{1u, "AAA"}, std::pair{2u, "BBB"}}) {
      core::InstrumentDefinition definition;
      definition.id = core::InstrumentId(id);
      definition.symbol = symbol;
      definition.underlying = symbol;
      ASSERT_TRUE(instruments_.Add(*core::Instrument::Create(definition)).ok());
    }
    for (auto [id, symbol, strike] : {std::tuple{3u, "C60", 60}, std::tuple{4u, "C150", 150}}) {
      core::InstrumentDefinition definition;
      definition.id = core::InstrumentId(id);
      definition.symbol = symbol;
      definition.asset_class = core::AssetClass::kOption;
      definition.underlying = "AAA";
      definition.multiplier = 100;
      definition.option = core::OptionTerms{core::OptionRight::kCall, Price::FromParts(strike, 0),
                                            absl::CivilDay(2026, 3, 20)};
      ASSERT_TRUE(instruments_.Add(*core::Instrument::Create(definition)).ok());
    }
    const core::ComboSpec spec = *core::ParseComboText("AAA +1 / BBB -1", instruments_);
    combo_ = *combos_.Intern(core::Canonicalize(spec).spec);
    const core::ComboSpec calls = *core::ParseComboText("C60 +1 / C150 -1", instruments_);
    call_spread_ = *combos_.Intern(core::Canonicalize(calls).spec);
    pricing::PricingConfig config;
    config.venues = {core::VenueId(1)};
    pricing_ = *pricing::PricingEngine::Create(instruments_, combos_, config);
    ASSERT_TRUE(pricing_->Track(combo_).ok());
    ASSERT_TRUE(pricing_->Track(call_spread_).ok());
    risk_ = *risk::RiskManager::Create(limits, time_, registry_);
    venues::SimulatedVenueConfig venue_config;
    venue_config.id = core::VenueId(1);
    venue_config.name = "LEGS";
    for (const auto& [id, instrument] : instruments_.all()) {
      venue_config.instruments.push_back({id, instrument.tick_rule()});
    }
    venue_config.latency.inbound.new_order.fixed = latency;
    venue_config.latency.outbound.fill.fixed = latency;
    venue_config.latency.outbound.cancelled.fixed = latency;
    venue_ = *venues::SimulatedVenue::Create(venue_config, &time_);
    feed_ = std::make_unique<PricingFeed>(*pricing_);
    ASSERT_TRUE(venue_->Subscribe(feed_.get()).ok());
    ASSERT_TRUE(venue_->Connect(kMaker, &ignore_).ok());
  }

  LegInEngineDependencies Deps() {
    LegInEngineDependencies deps;
    deps.instruments = &instruments_;
    deps.pricing = pricing_.get();
    deps.risk = risk_.get();
    deps.scheduler = &time_;
    deps.clock = &time_;
    deps.venues = {LegVenue{venue_.get(),
                            core::Duration::Zero(),
                            {},
                            Quantity::Zero(),
                            core::Duration::Zero(),
                            0,
                            std::nullopt}};
    deps.participant = kEngine;
    deps.registry = &registry_;
    return deps;
  }

  void Quote(const char* symbol, Side side, Price price, int64_t quantity) {
    venues::OrderRequest request;
    request.participant = kMaker;
    request.order_id = core::OrderId(next_maker_++);
    request.instrument = instruments_.FindBySymbol(symbol)->id();
    request.side = side;
    request.limit_price = price;
    request.quantity = Quantity(quantity);
    request.time_in_force = venues::TimeInForce::kGoodTillCancel;
    ASSERT_TRUE(venue_->Submit(request).ok());
    time_.AdvanceBy(core::Duration::Zero());
  }

  LegInOrder BuyCombo(int64_t units, Price limit) {
    return LegInOrder{core::OrderId(7), combo_, Side::kBuy,
                      Quantity(units),  limit,  LegInMode::kAggressive};
  }

  core::SimulatedTime time_;
  prometheus::Registry registry_;
  core::InstrumentCatalog instruments_;
  core::ComboCatalog combos_;
  core::ComboId combo_;
  core::ComboId call_spread_;
  std::unique_ptr<pricing::PricingEngine> pricing_;
  std::unique_ptr<risk::RiskManager> risk_;
  std::unique_ptr<venues::SimulatedVenue> venue_;
  std::unique_ptr<PricingFeed> feed_;
  Ignore ignore_;
  Recorder recorder_;
  uint64_t next_maker_ = 1;
};

TEST_F(VenueLegInEngineTest, CreateRefusesAMissingDependencyNamingIt) {
  Build();
  LegInEngineDependencies deps = Deps();
  deps.risk = nullptr;
  auto engine = VenueLegInEngine::Create(LegInPolicy{}, deps);
  ASSERT_FALSE(engine.ok());
  EXPECT_NE(std::string(engine.status().message()).find("risk is null"), std::string::npos);
  deps = Deps();
  deps.venues.push_back(deps.venues.front());
  engine = VenueLegInEngine::Create(LegInPolicy{}, deps);
  ASSERT_FALSE(engine.ok());
  EXPECT_NE(std::string(engine.status().message()).find("given twice"), std::string::npos);
}

TEST_F(VenueLegInEngineTest, CreateAndSetPolicyRefuseAnInvalidPolicyChangingNothing) {
  Build();
  LegInPolicy bad;
  bad.displayed_size_percent = 0;
  EXPECT_FALSE(VenueLegInEngine::Create(bad, Deps()).ok());
  auto engine = VenueLegInEngine::Create(LegInPolicy{}, Deps());
  ASSERT_TRUE(engine.ok()) << engine.status();
  absl::Status status = (*engine)->SetPolicy(bad);
  EXPECT_NE(std::string(status.message()).find("displayed_size_percent"), std::string::npos);
  EXPECT_EQ((*engine)->policy().displayed_size_percent, 100);
  LegInPolicy good;
  good.max_units_per_slice = Quantity(7);
  ASSERT_TRUE((*engine)->SetPolicy(good).ok());
  EXPECT_EQ((*engine)->policy().max_units_per_slice, Quantity(7));
}

TEST_F(VenueLegInEngineTest, StartRefusesBadRequestsAndStartsNothing) {
  Build();
  auto engine = *VenueLegInEngine::Create(LegInPolicy{}, Deps());
  EXPECT_FALSE(engine->Start(BuyCombo(0, Price::FromParts(85, 0)), &recorder_).ok());
  EXPECT_FALSE(engine->Start(BuyCombo(5, Price::FromParts(85, 0)), nullptr).ok());
  LegInOrder unknown = BuyCombo(5, Price::FromParts(85, 0));
  unknown.combo = core::ComboId(99);
  EXPECT_FALSE(engine->Start(unknown, &recorder_).ok());
  EXPECT_EQ(engine->working_orders(), 0u);
  EXPECT_EQ(engine->leg_orders_sent(), 0u);
  EXPECT_FALSE(engine->Cancel(core::OrderId(7)).ok());
  EXPECT_EQ(engine->StopAfterSlice(core::OrderId(7)).code(), absl::StatusCode::kNotFound);
}

TEST_F(VenueLegInEngineTest, BothLegsFillIntoWholeUnitsAtTheExactNetPrice) {
  Build();
  Quote("AAA", Side::kSell, Price::FromParts(100, 0), 50);
  Quote("BBB", Side::kBuy, Price::FromParts(15, 550'000'000), 50);
  auto engine = *VenueLegInEngine::Create(LegInPolicy{}, Deps());
  ASSERT_TRUE(engine->Start(BuyCombo(10, Price::FromParts(84, 500'000'000)), &recorder_).ok());
  EXPECT_TRUE(engine->Start(BuyCombo(10, Price::FromParts(84, 500'000'000)), &recorder_).code() ==
              absl::StatusCode::kFailedPrecondition);
  time_.AdvanceBy(core::Duration::Seconds(1));
  ASSERT_EQ(recorder_.units.size(), 1u);
  EXPECT_EQ(recorder_.units[0].units, Quantity(10));
  EXPECT_EQ(recorder_.units[0].net_price, Price::FromParts(84, 450'000'000));
  ASSERT_EQ(recorder_.done.size(), 1u);
  EXPECT_EQ(recorder_.done[0].cause, LegInEnd::kCompleted);
  EXPECT_EQ(recorder_.done[0].units_left, Quantity::Zero());
  EXPECT_EQ(engine->leg_orders_sent(), 2u);
  EXPECT_EQ(risk_->exposure().total().units, Quantity::Zero());
}

TEST_F(VenueLegInEngineTest, ALegInBeyondTheLimitDoesNotStart) {
  Build();
  Quote("AAA", Side::kSell, Price::FromParts(100, 0), 50);
  Quote("BBB", Side::kBuy, Price::FromParts(15, 550'000'000), 50);
  auto engine = *VenueLegInEngine::Create(LegInPolicy{}, Deps());
  ASSERT_TRUE(engine->Start(BuyCombo(10, Price::FromParts(84, 400'000'000)), &recorder_).ok());
  // No listener call inside Start.
  EXPECT_TRUE(recorder_.done.empty());
  time_.AdvanceBy(core::Duration::Zero());
  ASSERT_EQ(recorder_.done.size(), 1u);
  EXPECT_EQ(recorder_.done[0].cause, LegInEnd::kMarketMoved);
  EXPECT_EQ(recorder_.done[0].units_left, Quantity(10));
  EXPECT_EQ(engine->leg_orders_sent(), 0u);
}

TEST_F(VenueLegInEngineTest, RiskDeniesALegInWhoseFirstLegWouldBreachTheUnitsLimit) {
  risk::RiskLimits limits;
  limits.max_legin_units = Quantity(5);
  Build(limits, core::Duration::Zero());
  Quote("AAA", Side::kSell, Price::FromParts(100, 0), 50);
  Quote("BBB", Side::kBuy, Price::FromParts(15, 550'000'000), 50);
  auto engine = *VenueLegInEngine::Create(LegInPolicy{}, Deps());
  ASSERT_TRUE(engine->Start(BuyCombo(10, Price::FromParts(84, 500'000'000)), &recorder_).ok());
  time_.AdvanceBy(core::Duration::Zero());
  ASSERT_EQ(recorder_.done.size(), 1u);
  EXPECT_EQ(recorder_.done[0].cause, LegInEnd::kRiskDenied);
  EXPECT_NE(recorder_.done[0].reason.find("risk"), std::string::npos);
  EXPECT_EQ(engine->leg_orders_sent(), 0u);
}

TEST_F(VenueLegInEngineTest, ExposureIsReportedToRiskWhileALegIsOpenAndClearedAfter) {
  Build(risk::RiskLimits{}, core::Duration::Milliseconds(10));
  Quote("AAA", Side::kSell, Price::FromParts(100, 0), 50);
  Quote("BBB", Side::kBuy, Price::FromParts(15, 550'000'000), 50);
  time_.AdvanceBy(core::Duration::Milliseconds(50));
  auto engine = *VenueLegInEngine::Create(LegInPolicy{}, Deps());
  ASSERT_TRUE(engine->Start(BuyCombo(10, Price::FromParts(84, 500'000'000)), &recorder_).ok());
  // The first leg's fill is back after 20 ms; the second leg's after 40 ms.
  time_.AdvanceBy(core::Duration::Milliseconds(25));
  EXPECT_EQ(risk_->exposure().total().units, Quantity(10));
  EXPECT_FALSE(risk_->exposure().total().notional.is_zero());
  time_.AdvanceBy(core::Duration::Milliseconds(100));
  EXPECT_EQ(risk_->exposure().total().units, Quantity::Zero());
  ASSERT_EQ(recorder_.units.size(), 1u);
}

TEST_F(VenueLegInEngineTest, ASecondLegThatCannotFillSendsTheFirstToTheErrorAccount) {
  Build();
  Quote("AAA", Side::kSell, Price::FromParts(100, 0), 50);
  Quote("BBB", Side::kBuy, Price::FromParts(15, 550'000'000), 50);
  LegInPolicy policy;
  policy.desk_prefers_to_hold = {core::InstrumentId(1)};
  policy.max_leg_resubmits = 0;
  auto engine = *VenueLegInEngine::Create(policy, Deps());
  ASSERT_TRUE(engine->Start(BuyCombo(10, Price::FromParts(84, 500'000'000)), &recorder_).ok());
  // AAA went first (desk preference); the BBB bid is gone before its leg order is matched.
  venues::OrderRequest sweep;
  sweep.participant = kMaker;
  sweep.order_id = core::OrderId(next_maker_++);
  sweep.instrument = core::InstrumentId(2);
  sweep.side = Side::kSell;
  sweep.limit_price = Price::FromParts(15, 0);
  sweep.quantity = Quantity(50);
  sweep.time_in_force = venues::TimeInForce::kImmediateOrCancel;
  ASSERT_TRUE(venue_->Submit(sweep).ok());
  time_.AdvanceBy(core::Duration::Seconds(1));
  EXPECT_TRUE(recorder_.units.empty());
  ASSERT_EQ(recorder_.failures.size(), 1u);
  const LegInFailure& failure = recorder_.failures[0];
  EXPECT_EQ(failure.cause, LegInEnd::kLegFailed);
  EXPECT_EQ(failure.units_left, Quantity(10));
  ASSERT_EQ(failure.error_account_legs.size(), 1u);
  EXPECT_EQ(failure.error_account_legs[0].instrument, core::InstrumentId(1));
  EXPECT_EQ(failure.error_account_legs[0].quantity, Quantity(10));
  EXPECT_EQ(failure.error_account_legs[0].side, Side::kBuy);
}

TEST_F(VenueLegInEngineTest, OptionDeltasFromTheDeltaModelRankTheDeepInTheMoneyLegFirst) {
  Build();
  Quote("AAA", Side::kBuy, Price::FromParts(99, 990'000'000), 50);
  Quote("AAA", Side::kSell, Price::FromParts(100, 10'000'000), 50);
  Quote("C60", Side::kSell, Price::FromParts(40, 200'000'000), 50);
  Quote("C60", Side::kBuy, Price::FromParts(40, 0), 50);
  Quote("C150", Side::kBuy, Price::FromParts(0, 50'000'000), 50);
  Quote("C150", Side::kSell, Price::FromParts(0, 60'000'000), 50);
  const LegInOrder order{core::OrderId(7),
                         call_spread_,
                         Side::kBuy,
                         Quantity(1),
                         Price::FromParts(40, 200'000'000),
                         LegInMode::kAggressive};
  // Without a delta model both calls count 0.5: the tighter spread (C150) goes first.
  {
    auto engine = *VenueLegInEngine::Create(LegInPolicy{}, Deps());
    StartedLegs observer;
    engine->SetObserver(&observer);
    ASSERT_TRUE(engine->Start(order, &recorder_).ok());
    ASSERT_EQ(observer.started.size(), 1u);
    EXPECT_NE(observer.started[0].find("legs in order C150, C60"), std::string::npos)
        << observer.started[0];
    time_.AdvanceBy(core::Duration::Seconds(1));
  }
  // With it, the deep in-the-money call (delta near 1) outranks the far out-of-the-money one.
  pricing::DeltaModel model;
  ASSERT_TRUE(model.SetUnderlying("AAA", {0.25, 0.03}).ok());
  LegInEngineDependencies deps = Deps();
  deps.delta = &model;
  deps.participant = core::ParticipantId(3);
  auto engine = *VenueLegInEngine::Create(LegInPolicy{}, deps);
  StartedLegs observer;
  engine->SetObserver(&observer);
  LegInOrder second = order;
  second.order = core::OrderId(8);
  ASSERT_TRUE(engine->Start(second, &recorder_).ok());
  ASSERT_EQ(observer.started.size(), 1u);
  EXPECT_NE(observer.started[0].find("legs in order C60, C150"), std::string::npos)
      << observer.started[0];
}

}  // namespace
}  // namespace combo::router
