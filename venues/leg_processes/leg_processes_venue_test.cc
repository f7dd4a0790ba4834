// Seed 001 Part A's leg-book processes inside SimulatedVenue: the R26 dispatch, the opening
// rotation (R47), the fast market (R46, Table XII), the away-market process with hidden orders
// (R28, R44, R45, EX-R11), a block order (R48, EX-R13) and the FARMM process (R40, EX-R0's
// quote), on simulated time.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "prometheus/metric_family.h"
#include "prometheus/registry.h"
#include "venues/market_maker_rules.h"
#include "venues/simulated_venue.h"

namespace combo::venues {
namespace {

using core::Duration;
using core::InstrumentId;
using core::OrderId;
using core::ParticipantId;
using core::Price;
using core::Quantity;
using core::Side;

constexpr InstrumentId kCall(1);
constexpr core::VenueId kHome(1);
constexpr core::VenueId kAway(2);

Price Frac(int64_t whole, int64_t numerator = 0, int64_t denominator = 1) {
  return Price::FromParts(whole, 1'000'000'000 * numerator / denominator);
}

class Recorder : public VenueListener, public MarketDataListener {
 public:
  void OnAck(const OrderAcked& e) override { acks.push_back(e); }
  void OnReject(const OrderRejected& e) override { rejects.push_back(e); }
  void OnFill(const Fill& e) override { fills.push_back(e); }
  void OnComplexFill(const ComplexFill&) override {}
  void OnCancelled(const OrderCancelled& e) override { cancels.push_back(e); }
  void OnRestated(const OrderRestated&) override {}
  void OnBlockNotice(const BlockNotice& e) override { notices.push_back(e); }
  void OnAwayMarketAlert(const AwayMarketAlert& e) override { alerts.push_back(e); }
  void OnFarmmNotice(const FarmmNotice& e) override { farmm_notices.push_back(e); }
  void OnLegBookUpdate(const core::LegBookUpdate& e) override { updates.push_back(e); }
  void OnTradePrint(const core::TradePrint& e) override { prints.push_back(e); }
  void OnSeriesStatus(const SeriesStatusChanged& e) override { statuses.push_back(e); }

  core::Quantity Filled(OrderId id) const {
    core::Quantity total;
    for (const Fill& fill : fills) {
      if (fill.order_id == id) total += fill.quantity;
    }
    return total;
  }

  std::vector<OrderAcked> acks;
  std::vector<OrderRejected> rejects;
  std::vector<Fill> fills;
  std::vector<OrderCancelled> cancels;
  std::vector<BlockNotice> notices;
  std::vector<AwayMarketAlert> alerts;
  std::vector<FarmmNotice> farmm_notices;
  std::vector<core::LegBookUpdate> updates;
  std::vector<core::TradePrint> prints;
  std::vector<SeriesStatusChanged> statuses;
};

OrderRequest Order(uint32_t participant, uint64_t id, Side side, std::optional<Price> price,
                   int64_t quantity, ParticipantRole role = ParticipantRole::kProfessional) {
  OrderRequest request;
  request.participant = ParticipantId(participant);
  request.order_id = OrderId(id);
  request.instrument = kCall;
  request.side = side;
  if (price.has_value()) {
    request.limit_price = *price;
  } else {
    request.type = OrderType::kMarket;
    request.time_in_force = TimeInForce::kImmediateOrCancel;
  }
  request.quantity = Quantity(quantity);
  request.role = role;
  return request;
}

// Participants: 1 the PMM, 2 and 3 members / customers, 4 a responder.
class LegProcessesVenueTest : public ::testing::Test {
 protected:
  SimulatedVenueConfig Config() {
    SimulatedVenueConfig config;
    config.id = kHome;
    config.name = "HOME";
    config.instruments = {{kCall, core::TickRule::Uniform(Frac(0, 1, 16))}};
    config.option_rights[kCall] = core::OptionRight::kCall;
    config.allocation = AllocationRule::kSeed001Options;
    return config;
  }

  void Build(SimulatedVenueConfig config) {
    venue_ = SimulatedVenue::Create(std::move(config), &time_).value();
    for (uint32_t p = 1; p <= 4; ++p) {
      ASSERT_TRUE(venue_->Connect(ParticipantId(p), &parties_[p]).ok());
    }
    ASSERT_TRUE(venue_->Subscribe(&market_).ok());
  }

  // Delivers everything due now (the venues' latency is zero), without running later timers.
  void Send(const OrderRequest& request) {
    ASSERT_TRUE(venue_->Submit(request).ok());
    time_.AdvanceBy(Duration::Milliseconds(1));
  }

  core::SimulatedTime time_;
  Recorder parties_[5];
  Recorder market_;
  std::unique_ptr<SimulatedVenue> venue_;
};

TEST_F(LegProcessesVenueTest, R47OrdersBeforeTheOpeningWaitThenTradeAtOneOpeningPrice) {
  SimulatedVenueConfig config = Config();
  config.leg_processes.opening.enabled = true;
  Build(std::move(config));
  EXPECT_EQ(venue_->series_phase(kCall).value(), SeriesPhase::kPreOpen);
  Send(Order(2, 1, Side::kBuy, Frac(3, 1, 4), 10));
  Send(Order(3, 2, Side::kSell, Frac(3), 6));
  Send(Order(1, 3, Side::kSell, Frac(3, 1, 8), 10, ParticipantRole::kPrimaryMarketMaker));
  // Accepted, neither traded nor displayed.
  EXPECT_EQ(parties_[2].acks.size(), 1u);
  EXPECT_TRUE(parties_[2].fills.empty());
  EXPECT_TRUE(market_.updates.empty());
  // S610: the primary market maker's test run changes nothing.
  const leg_processes::AuctionPrice test = venue_->TestOpening(kCall).value();
  EXPECT_EQ(test.result, leg_processes::AuctionResult::kTrade);
  // 3 1/8 and 3 1/4 both trade all 10 bought (3 only 6): two ticks apart, the midpoint.
  EXPECT_EQ(test.price, Frac(3, 3, 16));
  EXPECT_EQ(test.volume, Quantity(10));
  EXPECT_TRUE(parties_[2].fills.empty());

  ASSERT_TRUE(venue_->StartOpening().ok());
  time_.RunUntilIdle(1000);
  EXPECT_EQ(venue_->series_phase(kCall).value(), SeriesPhase::kOpen);
  EXPECT_EQ(parties_[2].Filled(OrderId(1)), Quantity(10));
  for (const Fill& fill : parties_[2].fills) EXPECT_EQ(fill.price, Frac(3, 3, 16));
  EXPECT_EQ(parties_[3].Filled(OrderId(2)), Quantity(6));
  EXPECT_EQ(parties_[1].Filled(OrderId(3)), Quantity(4));
  // The PMM's remaining 6 now rest and are displayed; the series' opening was published.
  const core::TopOfBook top = venue_->TopOfBook(kCall).value();
  ASSERT_TRUE(top.ask.has_value());
  EXPECT_EQ(top.ask->quantity, Quantity(6));
  ASSERT_FALSE(market_.statuses.empty());
  EXPECT_EQ(market_.statuses.back().phase, SeriesPhase::kOpen);
}

TEST_F(LegProcessesVenueTest, R47ASeriesThatCannotOpenKeepsTryingUntilItCan) {
  SimulatedVenueConfig config = Config();
  config.leg_processes.opening.enabled = true;
  Build(std::move(config));
  Send(Order(2, 1, Side::kBuy, std::nullopt, 20));  // a market order
  Send(Order(3, 2, Side::kSell, Frac(3), 10));
  ASSERT_TRUE(venue_->StartOpening().ok());
  time_.RunUntilIdle(1000);
  EXPECT_EQ(venue_->series_phase(kCall).value(), SeriesPhase::kPreOpen);  // 10 would be left
  EXPECT_TRUE(parties_[2].fills.empty());
  const LegProcessActivity& activity = venue_->leg_process_activity();
  EXPECT_EQ(activity.openings(OpeningOutcome::kRetried), 1);
  EXPECT_EQ(activity.openings(OpeningOutcome::kOpened), 0);
  Send(Order(1, 3, Side::kSell, Frac(3, 1, 16), 10, ParticipantRole::kPrimaryMarketMaker));
  EXPECT_EQ(venue_->series_phase(kCall).value(), SeriesPhase::kOpen);
  EXPECT_EQ(activity.openings(OpeningOutcome::kOpened), 1);
  EXPECT_EQ(parties_[2].Filled(OrderId(1)), Quantity(20));
}

TEST_F(LegProcessesVenueTest, R26FillOrKillAndBlocksAreRefusedInACall) {
  SimulatedVenueConfig config = Config();
  config.leg_processes.fast_market.enabled = true;
  config.leg_processes.block.enabled = true;
  Build(std::move(config));
  ASSERT_TRUE(venue_->SetFastMarket(kCall, 1).ok());
  OrderRequest block = Order(2, 1, Side::kBuy, Frac(2, 1, 2), 500);
  block.handling = OrderHandling::kBlock;
  Send(block);
  OrderRequest fok = Order(2, 2, Side::kBuy, Frac(2, 1, 2), 5);
  fok.time_in_force = TimeInForce::kFillOrKill;
  Send(fok);
  ASSERT_EQ(parties_[2].rejects.size(), 2u);
  EXPECT_NE(parties_[2].rejects[0].reason.find("rejected while series 1 is in a fast market"),
            std::string::npos)
      << parties_[2].rejects[0].reason;
  EXPECT_EQ(parties_[2].rejects[1].code, RejectCode::kUnsupportedCondition);
}

TEST_F(LegProcessesVenueTest, R46FastMarketAccumulatesForTheLevelsDelayThenTradesAtOnePrice) {
  SimulatedVenueConfig config = Config();
  config.leg_processes.fast_market.enabled = true;
  Build(std::move(config));
  Send(Order(1, 1, Side::kBuy, Frac(3), 10, ParticipantRole::kPrimaryMarketMaker));
  Send(Order(1, 2, Side::kSell, Frac(3, 1, 2), 10, ParticipantRole::kPrimaryMarketMaker));
  // EX-R15: level 2 is 30 seconds.
  ASSERT_TRUE(venue_->SetFastMarket(kCall, 2).ok());
  time_.AdvanceBy(Duration::Milliseconds(1));
  EXPECT_EQ(venue_->leg_process_activity().fast_markets(FastMarketEvent::kEntered), 1);
  ASSERT_FALSE(market_.statuses.empty());
  EXPECT_EQ(market_.statuses.back().phase, SeriesPhase::kFastMarket);
  EXPECT_EQ(market_.statuses.back().call_delay, Duration::Seconds(30));
  const core::Timestamp start = time_.Now();
  ASSERT_TRUE(venue_->Submit(Order(2, 10, Side::kBuy, std::nullopt, 4)).ok());
  ASSERT_TRUE(venue_->Submit(Order(3, 11, Side::kBuy, Frac(3, 1, 2), 3)).ok());
  time_.AdvanceBy(Duration::Seconds(29));
  EXPECT_TRUE(parties_[2].fills.empty());  // still accumulating
  time_.AdvanceTo(start + Duration::Seconds(30));
  // One price for both: the PMM's offer 3 1/2 (the only price that trades 7).
  EXPECT_EQ(parties_[2].Filled(OrderId(10)), Quantity(4));
  EXPECT_EQ(parties_[3].Filled(OrderId(11)), Quantity(3));
  for (const Fill& fill : parties_[2].fills) EXPECT_EQ(fill.price, Frac(3, 1, 2));
  // Level 0 ends it.
  ASSERT_TRUE(venue_->SetFastMarket(kCall, 0).ok());
  EXPECT_EQ(venue_->series_phase(kCall).value(), SeriesPhase::kOpen);
  EXPECT_EQ(venue_->leg_process_activity().fast_markets(FastMarketEvent::kEnded), 1);
  EXPECT_FALSE(venue_->SetFastMarket(kCall, 7).ok());
  EXPECT_FALSE(venue_->SetFastMarket(kCall, 6).ok());  // level 6 needs the entered seconds
}

// The away market: a second venue whose market is this venue's third-party market.
class AwayMarketVenueTest : public LegProcessesVenueTest {
 protected:
  void SetUp() override {
    SimulatedVenueConfig away;
    away.id = kAway;
    away.name = "AWAY";
    away.instruments = {{kCall, core::TickRule::Uniform(Frac(0, 1, 16))}};
    away_ = SimulatedVenue::Create(std::move(away), &time_).value();
    ASSERT_TRUE(away_->Connect(ParticipantId(9), &away_party_).ok());
    SimulatedVenueConfig config = Config();
    config.aop.enabled = true;
    config.aop.third_party.sources = {kAway};
    config.aop.coverage = AopCoverage::kListedParticipants;  // AOP protects no one here
    config.aop.protected_participants = {ParticipantId(99)};
    config.leg_processes.away_market.enabled = true;
    Build(std::move(config));
    ASSERT_TRUE(venue_->ConnectAopSource(*away_).ok());
  }
  void AwayQuote(uint64_t id, Side side, Price price) {
    OrderRequest request = Order(9, id, side, price, 100);
    ASSERT_TRUE(away_->Submit(request).ok());
    time_.AdvanceBy(Duration::Milliseconds(1));  // the third-party market stays fresh
  }

  std::unique_ptr<SimulatedVenue> away_;
  Recorder away_party_;
};

// EX-R11 [derived]: the PMM offers 4 1/4, the away offer is 4 1/8 (1/8 better: 10 contracts).
TEST_F(AwayMarketVenueTest, ExR11ACustomerBuyBelowTheTableSizeTradesWithThePmmAtTheAwayPrice) {
  Send(Order(1, 1, Side::kSell, Frac(4, 1, 4), 50, ParticipantRole::kPrimaryMarketMaker));
  AwayQuote(1, Side::kSell, Frac(4, 1, 8));
  Send(Order(2, 1, Side::kBuy, std::nullopt, 8, ParticipantRole::kCustomer));
  EXPECT_EQ(parties_[2].Filled(OrderId(1)), Quantity(8));
  ASSERT_FALSE(parties_[2].fills.empty());
  EXPECT_EQ(parties_[2].fills.front().price, Frac(4, 1, 8));
  EXPECT_EQ(parties_[1].Filled(OrderId(1)), Quantity(8));
  // A professional's order skips the check (R28) and trades at the book's 4 1/4.
  Send(Order(3, 1, Side::kBuy, std::nullopt, 2));
  ASSERT_FALSE(parties_[3].fills.empty());
  EXPECT_EQ(parties_[3].fills.front().price, Frac(4, 1, 4));
}

TEST_F(AwayMarketVenueTest, ExR11ACustomerBuyAtOrAboveTheTableSizeAlertsThePmmAndIsHidden) {
  Send(Order(1, 1, Side::kSell, Frac(4, 1, 4), 50, ParticipantRole::kPrimaryMarketMaker));
  AwayQuote(1, Side::kSell, Frac(4, 1, 8));
  Send(Order(2, 1, Side::kBuy, Frac(4, 1, 4), 12, ParticipantRole::kCustomer));
  EXPECT_TRUE(parties_[2].fills.empty());
  ASSERT_EQ(parties_[1].alerts.size(), 1u);
  EXPECT_EQ(parties_[1].alerts[0].quantity, Quantity(12));
  EXPECT_EQ(parties_[1].alerts[0].away_price, Frac(4, 1, 8));
  EXPECT_EQ(venue_->hidden_orders(kCall), 1u);
  EXPECT_EQ(venue_->leg_process_activity().hidden_orders(HiddenOrderEvent::kHeld), 1);
  // R44: not shown: the bid side stays empty.
  EXPECT_FALSE(venue_->TopOfBook(kCall).value().bid.has_value());
  // The away market stops being better: the hidden order trades here at 4 1/4.
  ASSERT_TRUE(away_->Cancel({ParticipantId(9), OrderId(1)}).ok());
  time_.AdvanceBy(Duration::Milliseconds(1));
  EXPECT_EQ(venue_->hidden_orders(kCall), 0u);
  EXPECT_EQ(venue_->leg_process_activity().hidden_orders(HiddenOrderEvent::kReleased), 1);
  EXPECT_EQ(parties_[2].Filled(OrderId(1)), Quantity(12));
  EXPECT_EQ(parties_[2].fills.front().price, Frac(4, 1, 4));
}

// R44's example: best bid 4, best offer 4 1/4, away bid 4 1/8; a customer sells at 4.
TEST_F(AwayMarketVenueTest, R44AHiddenSellAtFourTradesWithABuyAtFourAndAQuarterBothBetter) {
  Send(Order(1, 1, Side::kBuy, Frac(4), 50, ParticipantRole::kPrimaryMarketMaker));
  Send(Order(1, 2, Side::kSell, Frac(4, 1, 4), 50, ParticipantRole::kPrimaryMarketMaker));
  AwayQuote(1, Side::kBuy, Frac(4, 1, 8));
  // The PMM's bid is 1/8 under the away bid: it matches up to 10; 20 is stored hidden.
  Send(Order(2, 1, Side::kSell, Frac(4), 20, ParticipantRole::kCustomer));
  EXPECT_EQ(venue_->hidden_orders(kCall), 1u);
  EXPECT_TRUE(parties_[2].fills.empty());
  Send(Order(3, 1, Side::kBuy, Frac(4, 1, 4), 5));
  // Both get a better price than the book: 4 1/8, between the seller's 4 and the offer 4 1/4.
  ASSERT_EQ(parties_[3].fills.size(), 1u);
  EXPECT_EQ(parties_[3].fills[0].price, Frac(4, 1, 8));
  EXPECT_EQ(parties_[2].Filled(OrderId(1)), Quantity(5));
  // Partly filled: 15 stay hidden.
  EXPECT_EQ(venue_->leg_process_activity().hidden_orders(HiddenOrderEvent::kTraded), 0);
  Send(Order(3, 2, Side::kBuy, Frac(4, 1, 4), 15));
  EXPECT_EQ(parties_[2].Filled(OrderId(1)), Quantity(20));
  EXPECT_EQ(venue_->leg_process_activity().hidden_orders(HiddenOrderEvent::kTraded), 1);
  // Hidden orders are never reported in market data.
  for (const core::LegBookUpdate& update : market_.updates) {
    EXPECT_FALSE(update.side == Side::kSell && update.price == Frac(4));
  }
}

// EX-R13 at the venue: a block to sell 75 at 3 3/4 against the book and responses.
TEST_F(LegProcessesVenueTest, ExR13ABlockSellIsExposedForMSecondsThenExecutesAtThreeSevenEighths) {
  SimulatedVenueConfig config = Config();
  config.instruments = {{kCall, core::TickRule::Uniform(Frac(0, 1, 8))}};
  config.leg_processes.block.enabled = true;
  Build(std::move(config));
  Send(Order(3, 1, Side::kBuy, Frac(4), 10));
  Send(Order(1, 1, Side::kBuy, Frac(3, 7, 8), 20, ParticipantRole::kPrimaryMarketMaker));
  Send(Order(3, 2, Side::kBuy, Frac(3, 3, 4), 10, ParticipantRole::kCustomer));
  OrderRequest block = Order(2, 1, Side::kSell, Frac(3, 3, 4), 75);
  block.handling = OrderHandling::kBlock;
  block.disclose_size = false;
  ASSERT_TRUE(venue_->Submit(block).ok());
  time_.AdvanceBy(Duration::Milliseconds(1));
  // The PMM and the member at the best bid hear of it, without its size.
  ASSERT_EQ(parties_[1].notices.size(), 1u);
  EXPECT_FALSE(parties_[1].notices[0].quantity.has_value());
  EXPECT_EQ(parties_[1].notices[0].limit_price, Frac(3, 3, 4));
  EXPECT_EQ(parties_[3].notices.size(), 1u);
  const uint64_t block_id = parties_[1].notices[0].block_id;
  BlockResponse response;
  response.participant = ParticipantId(4);
  response.order_id = OrderId(1);
  response.block_id = block_id;
  response.limit_price = Frac(3, 7, 8);
  response.quantity = Quantity(50);
  ASSERT_TRUE(venue_->RespondToBlock(response).ok());
  response.order_id = OrderId(2);
  response.limit_price = Frac(3, 3, 4);
  response.quantity = Quantity(10);
  ASSERT_TRUE(venue_->RespondToBlock(response).ok());
  time_.AdvanceBy(Duration::Seconds(29));
  EXPECT_TRUE(parties_[2].fills.empty());  // still collecting responses
  time_.AdvanceBy(Duration::Seconds(1));   // M = 30 s
  EXPECT_EQ(parties_[2].Filled(OrderId(1)), Quantity(75));
  for (const Fill& fill : parties_[2].fills) EXPECT_EQ(fill.price, Frac(3, 7, 8));
  EXPECT_EQ(parties_[3].Filled(OrderId(1)), Quantity(10));  // the buy at 4, at 3 7/8
  EXPECT_EQ(parties_[1].Filled(OrderId(1)), Quantity(20));
  EXPECT_EQ(parties_[4].Filled(OrderId(1)), Quantity(45));
  EXPECT_EQ(parties_[3].Filled(OrderId(2)), Quantity(0));
  // The unexecuted responses are deleted.
  ASSERT_EQ(parties_[4].cancels.size(), 2u);
  const LegProcessActivity& activity = venue_->leg_process_activity();
  EXPECT_EQ(activity.blocks(OrderHandling::kBlock, BlockEvent::kStarted), 1);
  EXPECT_EQ(activity.blocks(OrderHandling::kBlock, BlockEvent::kExecuted), 1);
  EXPECT_EQ(activity.blocks(OrderHandling::kBlock, BlockEvent::kExpired), 0);
}

// The value of the one series of `family` whose labels include every one of `labels`.
double CounterValue(prometheus::Registry& registry, const std::string& family,
                    const std::map<std::string, std::string>& labels) {
  double total = 0;
  for (const prometheus::MetricFamily& f : registry.Collect()) {
    if (f.name != family) continue;
    for (const prometheus::ClientMetric& metric : f.metric) {
      size_t matched = 0;
      for (const prometheus::ClientMetric::Label& label : metric.label) {
        const auto it = labels.find(label.name);
        if (it != labels.end() && it->second == label.value) ++matched;
      }
      if (matched == labels.size()) total += metric.counter.value;
    }
  }
  return total;
}

// R48 and R47 on /metrics: a block nothing meets expires when its window closes (its size is
// cancelled); a facilitation order always executes; the series' opening counts. Families exist
// only for the processes the venue runs.
TEST_F(LegProcessesVenueTest, R48BlocksAndR47OpeningsAreCountedOnTheVenuesRegistry) {
  prometheus::Registry registry;
  SimulatedVenueConfig config = Config();
  config.leg_processes.block.enabled = true;
  config.leg_processes.block.response_window = Duration::Seconds(10);
  config.leg_processes.opening.enabled = true;
  config.metrics = &registry;
  Build(std::move(config));
  ASSERT_TRUE(venue_->StartOpening().ok());
  time_.AdvanceBy(Duration::Milliseconds(1));
  EXPECT_EQ(CounterValue(registry, "combo_venue_opening_rotations_total",
                         {{"venue", "HOME"}, {"outcome", "opened"}}),
            1);
  Send(Order(1, 1, Side::kSell, Frac(3), 20, ParticipantRole::kPrimaryMarketMaker));
  OrderRequest block = Order(2, 1, Side::kBuy, Frac(2), 60);
  block.handling = OrderHandling::kBlock;
  Send(block);
  OrderRequest facilitation = Order(3, 1, Side::kBuy, Frac(3), 60);
  facilitation.handling = OrderHandling::kFacilitation;
  Send(facilitation);
  const std::map<std::string, std::string> blocks = {{"venue", "HOME"}, {"handling", "block"}};
  const std::map<std::string, std::string> facilitations = {{"venue", "HOME"},
                                                            {"handling", "facilitation"}};
  auto with = [](std::map<std::string, std::string> labels, const char* event) {
    labels["event"] = event;
    return labels;
  };
  EXPECT_EQ(CounterValue(registry, "combo_venue_block_orders_total", with(blocks, "started")), 1);
  EXPECT_EQ(
      CounterValue(registry, "combo_venue_block_orders_total", with(facilitations, "started")), 1);
  time_.AdvanceBy(Duration::Seconds(10));
  EXPECT_EQ(CounterValue(registry, "combo_venue_block_orders_total", with(blocks, "expired")), 1);
  EXPECT_EQ(CounterValue(registry, "combo_venue_block_orders_total", with(blocks, "executed")), 0);
  EXPECT_EQ(
      CounterValue(registry, "combo_venue_block_orders_total", with(facilitations, "executed")), 1);
  EXPECT_EQ(parties_[2].cancels.size(), 1u);
  EXPECT_EQ(parties_[3].Filled(OrderId(1)), Quantity(60));
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    EXPECT_NE(family.name, "combo_venue_fast_markets_total");
    EXPECT_NE(family.name, "combo_venue_hidden_orders_total");
  }
}

// R40 on EX-R0's quote: the PMM (1) bids 60 @ 4 and lets FARMM orders trade the lesser of 25 %
// and 35 contracts of it (15); a CMM (4) bids 10 @ 3 15/16. A FARMM order (2) selling 20 @ 4 is
// held apart from the book for the PMM's decision, which the market makers hear of.
class FarmmVenueTest : public LegProcessesVenueTest {
 protected:
  void SetUp() override {
    SimulatedVenueConfig config = Config();
    config.market_maker.farmm_availability = QuoteAvailability{25, Quantity(35)};
    config.market_maker.tick_worse_sizes = {Quantity(10)};
    config.leg_processes.farmm.enabled = true;
    config.leg_processes.fast_market.enabled = true;
    Build(std::move(config));
    Send(Order(1, 1, Side::kBuy, Frac(4), 60, ParticipantRole::kPrimaryMarketMaker));
    Send(Order(4, 1, Side::kBuy, Frac(3, 15, 16), 10, ParticipantRole::kMarketMaker));
  }
  // The FARMM sell of 20 @ 4; its id in the PMM's notice.
  uint64_t SendFarmm() {
    Send(Order(2, 1, Side::kSell, Frac(4), 20, ParticipantRole::kFarAwayMarketMaker));
    return parties_[1].farmm_notices.empty() ? 0 : parties_[1].farmm_notices.back().farmm_id;
  }
  FarmmDecision Decision(uint32_t participant, uint64_t id, uint64_t farmm_id, FarmmAction action,
                         Price price = Price()) {
    FarmmDecision decision;
    decision.participant = ParticipantId(participant);
    decision.order_id = OrderId(id);
    decision.farmm_id = farmm_id;
    decision.action = action;
    decision.price = price;
    return decision;
  }
  void Decide(const FarmmDecision& decision) {
    ASSERT_TRUE(venue_->DecideFarmm(decision).ok());
    time_.AdvanceBy(Duration::Milliseconds(1));
  }
};

TEST_F(FarmmVenueTest, R40AFarmmOrderIsHeldAndThePmmSendsItToMatchingWhereItTradesFifteen) {
  const uint64_t farmm_id = SendFarmm();
  // S21: accepted, held apart (not traded, not displayed), the PMM and the CMM notified.
  ASSERT_EQ(parties_[2].acks.size(), 1u);
  EXPECT_TRUE(parties_[2].fills.empty());
  EXPECT_EQ(venue_->held_farmm_orders(kCall), 1u);
  EXPECT_FALSE(venue_->TopOfBook(kCall)->ask.has_value());
  ASSERT_EQ(parties_[1].farmm_notices.size(), 1u);
  ASSERT_EQ(parties_[4].farmm_notices.size(), 1u);
  EXPECT_TRUE(parties_[2].farmm_notices.empty());
  EXPECT_TRUE(parties_[3].farmm_notices.empty());
  const FarmmNotice& notice = parties_[1].farmm_notices[0];
  EXPECT_EQ(notice.side, Side::kSell);
  EXPECT_EQ(notice.limit_price, Frac(4));
  EXPECT_EQ(notice.quantity, Quantity(20));
  EXPECT_EQ(notice.decide_until, notice.time + Duration::Seconds(5));

  // The PMM sends it to bid matching: EX-R0, a FARMM order trades 15 of the quote at 4; the
  // quote has nothing left for FARMM orders and ticks worse; the FARMM's 5 rest at 4.
  Decide(Decision(1, 100, farmm_id, FarmmAction::kMatch));
  EXPECT_EQ(parties_[1].acks.back().order_id, OrderId(100));
  EXPECT_EQ(venue_->held_farmm_orders(kCall), 0u);
  EXPECT_EQ(parties_[2].Filled(OrderId(1)), Quantity(15));
  for (const Fill& fill : parties_[2].fills) EXPECT_EQ(fill.price, Frac(4));
  EXPECT_EQ(parties_[1].Filled(OrderId(1)), Quantity(15));
  const core::TopOfBook top = venue_->TopOfBook(kCall).value();
  ASSERT_TRUE(top.ask.has_value());
  EXPECT_EQ(top.ask->price, Frac(4));
  EXPECT_EQ(top.ask->quantity, Quantity(5));
}

TEST_F(FarmmVenueTest, R40ThePmmExecutesTheFarmmOrderItselfWhole) {
  const uint64_t farmm_id = SendFarmm();
  Decide(Decision(1, 100, farmm_id, FarmmAction::kExecute, Frac(4)));
  // The PMM's own execution is not bound by R39's 15: all 20, on the PMM's decision id; its quote
  // of 60 @ 4 stays as it was.
  EXPECT_EQ(parties_[2].Filled(OrderId(1)), Quantity(20));
  EXPECT_EQ(parties_[1].Filled(OrderId(100)), Quantity(20));
  EXPECT_EQ(parties_[1].Filled(OrderId(1)), Quantity(0));
  ASSERT_EQ(parties_[1].fills.size(), 1u);
  EXPECT_EQ(parties_[1].fills[0].side, Side::kBuy);
  EXPECT_EQ(parties_[1].fills[0].price, Frac(4));
  EXPECT_EQ(parties_[1].fills[0].leaves_quantity, Quantity(0));
  const core::TopOfBook top = venue_->TopOfBook(kCall).value();
  EXPECT_EQ(top.bid->price, Frac(4));
  EXPECT_EQ(top.bid->quantity, Quantity(60));
  EXPECT_EQ(venue_->held_farmm_orders(kCall), 0u);
  ASSERT_EQ(market_.prints.size(), 1u);
  EXPECT_EQ(market_.prints[0].quantity, Quantity(20));
}

TEST_F(FarmmVenueTest, R40AnUndecidedFarmmOrderGoesToMatchingWhenTheDecisionWindowEnds) {
  SendFarmm();
  time_.AdvanceBy(Duration::Milliseconds(4900));
  EXPECT_EQ(venue_->held_farmm_orders(kCall), 1u);
  EXPECT_TRUE(parties_[2].fills.empty());
  time_.AdvanceBy(Duration::Milliseconds(200));
  EXPECT_EQ(venue_->held_farmm_orders(kCall), 0u);
  EXPECT_EQ(parties_[2].Filled(OrderId(1)), Quantity(15));
}

TEST_F(FarmmVenueTest, R40OnlyThePmmDecidesWithinTheFarmmOrdersLimit) {
  const uint64_t farmm_id = SendFarmm();
  // A CMM is told but does not decide.
  Decide(Decision(4, 100, farmm_id, FarmmAction::kMatch));
  ASSERT_EQ(parties_[4].rejects.size(), 1u);
  EXPECT_NE(parties_[4].rejects[0].reason.find("only the primary market maker"), std::string::npos);
  // Below the FARMM sell's limit of 4, or off the tick: refused, the order still held.
  Decide(Decision(1, 100, farmm_id, FarmmAction::kExecute, Frac(3, 15, 16)));
  Decide(Decision(1, 101, farmm_id, FarmmAction::kExecute, Frac(4, 1, 32)));
  ASSERT_EQ(parties_[1].rejects.size(), 2u);
  EXPECT_EQ(parties_[1].rejects[0].code, RejectCode::kInvalidPrice);
  EXPECT_NE(parties_[1].rejects[0].reason.find("worse for the FARMM sell"), std::string::npos)
      << parties_[1].rejects[0].reason;
  EXPECT_EQ(parties_[1].rejects[1].code, RejectCode::kOffTick);
  EXPECT_EQ(venue_->held_farmm_orders(kCall), 1u);
  EXPECT_TRUE(parties_[2].fills.empty());
  // Its owner cancels it; a decision after that finds nothing.
  ASSERT_TRUE(venue_->Cancel({ParticipantId(2), OrderId(1)}).ok());
  time_.AdvanceBy(Duration::Milliseconds(1));
  EXPECT_EQ(venue_->held_farmm_orders(kCall), 0u);
  ASSERT_EQ(parties_[2].cancels.size(), 1u);
  EXPECT_EQ(parties_[2].cancels[0].cancelled_quantity, Quantity(20));
  Decide(Decision(1, 102, farmm_id, FarmmAction::kExecute, Frac(4)));
  ASSERT_EQ(parties_[1].rejects.size(), 3u);
  EXPECT_EQ(parties_[1].rejects[2].code, RejectCode::kUnknownOrder);
  EXPECT_TRUE(parties_[2].fills.empty());
}

// R26 S17 / S19: a FARMM order is rejected while its series is in a fast market.
TEST_F(FarmmVenueTest, R26AFarmmOrderIsRejectedInAFastMarket) {
  ASSERT_TRUE(venue_->SetFastMarket(kCall, 1).ok());
  SendFarmm();
  ASSERT_EQ(parties_[2].rejects.size(), 1u);
  EXPECT_NE(parties_[2].rejects[0].reason.find("FARMM orders are rejected while series 1 is in a "
                                               "fast market"),
            std::string::npos)
      << parties_[2].rejects[0].reason;
  EXPECT_EQ(venue_->held_farmm_orders(kCall), 0u);
}

// Without the process a FARMM order is an ordinary professional order: R39 alone limits it.
TEST_F(LegProcessesVenueTest, R40WithoutTheFarmmProcessAFarmmOrderTradesAtOnceUnderR39) {
  SimulatedVenueConfig config = Config();
  config.market_maker.farmm_availability = QuoteAvailability{25, Quantity(35)};
  config.market_maker.tick_worse_sizes = {Quantity(10)};
  Build(std::move(config));
  Send(Order(1, 1, Side::kBuy, Frac(4), 60, ParticipantRole::kPrimaryMarketMaker));
  Send(Order(2, 1, Side::kSell, Frac(4), 20, ParticipantRole::kFarAwayMarketMaker));
  EXPECT_EQ(parties_[2].Filled(OrderId(1)), Quantity(15));
  EXPECT_TRUE(parties_[1].farmm_notices.empty());
}

// R46's automatic fast market: PRIMARY is the underlying stock's primary market; HOME lists the
// call on it with `automatic: {primary_market: PRIMARY, level: 2, interval: 60s}`. When PRIMARY
// calls a fast market in the stock, HOME sets one in the call at level 2 (EX-R15: 30 s between
// single-price trades) and ends it 60 s later; a renewed signal restarts the interval, and a fast
// market the exchange called itself is left alone.
class AutomaticFastMarketTest : public LegProcessesVenueTest {
 protected:
  static constexpr InstrumentId kStock{10};
  void SetUp() override {
    SimulatedVenueConfig config = Config();
    config.underlyings[kCall] = kStock;
    config.leg_processes.fast_market.enabled = true;
    config.leg_processes.fast_market.automatic =
        leg_processes::AutomaticFastMarket{kAway, 2, Duration::Seconds(60)};
    Build(std::move(config));
    SimulatedVenueConfig primary;
    primary.id = kAway;
    primary.name = "PRIMARY";
    primary.instruments = {{kStock, core::TickRule::Uniform(Frac(0, 1, 100))}};
    primary.leg_processes.fast_market.enabled = true;
    primary_ = SimulatedVenue::Create(std::move(primary), &time_).value();
    ASSERT_TRUE(venue_->ConnectPrimaryMarket(*primary_).ok());
  }
  std::unique_ptr<SimulatedVenue> primary_;
};

TEST_F(AutomaticFastMarketTest, R46ThePrimaryMarketsFastMarketSetsOneForThePredeterminedInterval) {
  ASSERT_TRUE(primary_->SetFastMarket(kStock, 1).ok());
  time_.AdvanceBy(Duration::Milliseconds(1));
  EXPECT_EQ(venue_->series_phase(kCall).value(), SeriesPhase::kFastMarket);
  ASSERT_FALSE(market_.statuses.empty());
  EXPECT_EQ(market_.statuses.back().fast_market_level, 2);
  EXPECT_EQ(market_.statuses.back().call_delay, Duration::Seconds(30));
  // Orders accumulate for the single-price trade as in any fast market.
  Send(Order(1, 1, Side::kBuy, Frac(3), 10, ParticipantRole::kPrimaryMarketMaker));
  Send(Order(2, 1, Side::kSell, Frac(3), 4));
  EXPECT_TRUE(parties_[2].fills.empty());
  // The primary market signals again 40 s in: the interval starts again.
  time_.AdvanceBy(Duration::Seconds(40));
  EXPECT_EQ(parties_[2].Filled(OrderId(1)), Quantity(4));  // the 30 s trade
  ASSERT_TRUE(primary_->SetFastMarket(kStock, 2).ok());
  time_.AdvanceBy(Duration::Seconds(59));
  EXPECT_EQ(venue_->series_phase(kCall).value(), SeriesPhase::kFastMarket);
  time_.AdvanceBy(Duration::Seconds(1));
  EXPECT_EQ(venue_->series_phase(kCall).value(), SeriesPhase::kOpen);
  // The primary market's end of its fast market changes nothing more here.
  ASSERT_TRUE(primary_->SetFastMarket(kStock, 0).ok());
  time_.AdvanceBy(Duration::Seconds(1));
  EXPECT_EQ(venue_->series_phase(kCall).value(), SeriesPhase::kOpen);
}

TEST_F(AutomaticFastMarketTest, R46AFastMarketTheExchangeCalledIsNotEndedAutomatically) {
  ASSERT_TRUE(venue_->SetFastMarket(kCall, 5).ok());
  ASSERT_TRUE(primary_->SetFastMarket(kStock, 1).ok());
  time_.AdvanceBy(Duration::Seconds(61));
  EXPECT_EQ(venue_->series_phase(kCall).value(), SeriesPhase::kFastMarket);
  EXPECT_EQ(market_.statuses.back().fast_market_level, 5);
  // Another venue than the configured primary market is refused.
  SimulatedVenueConfig other;
  other.id = core::VenueId(3);
  other.name = "OTHER";
  other.instruments = {{kStock, core::TickRule::Uniform(Frac(0, 1, 100))}};
  std::unique_ptr<SimulatedVenue> venue = SimulatedVenue::Create(std::move(other), &time_).value();
  EXPECT_FALSE(venue_->ConnectPrimaryMarket(*venue).ok());
}

}  // namespace
}  // namespace combo::venues
