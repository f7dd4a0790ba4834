// SimulatedVenue: admission, events, fees, latency both ways, step isolation, independent books.
#include "venues/simulated_venue.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/random.h"
#include "core/simulated_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace combo::venues {
namespace {

using core::Duration;
using core::InstrumentId;
using core::OrderId;
using core::ParticipantId;
using core::Price;
using core::Quantity;
using core::Side;
using ::testing::HasSubstr;

constexpr InstrumentId kSpy(1);
constexpr InstrumentId kQqq(2);
constexpr InstrumentId kUnlisted(9);

Price Cents(int64_t cents) { return Price::FromRaw(cents * 10'000'000); }

// Everything a participant receives, with the time it arrived.
class RecordingListener : public VenueListener {
 public:
  explicit RecordingListener(core::Clock* clock) : clock_(clock) {}
  void OnAck(const OrderAcked& e) override { Record("ack", e.order_id), acks.push_back(e); }
  void OnReject(const OrderRejected& e) override {
    Record("reject", e.order_id);
    rejects.push_back(e);
  }
  void OnFill(const Fill& e) override {
    Record("fill", e.order_id);
    fills.push_back(e);
    if (on_fill) on_fill(e);
  }
  void OnComplexFill(const ComplexFill& e) override { Record("complex_fill", e.order_id); }
  void OnCancelled(const OrderCancelled& e) override {
    Record("cancelled", e.order_id);
    cancels.push_back(e);
  }
  void OnRestated(const OrderRestated& e) override {
    Record("restated", e.order_id);
    restates.push_back(e);
  }

  std::vector<std::string> log;
  std::vector<core::Timestamp> times;
  std::vector<OrderAcked> acks;
  std::vector<OrderRejected> rejects;
  std::vector<Fill> fills;
  std::vector<OrderCancelled> cancels;
  std::vector<OrderRestated> restates;
  std::function<void(const Fill&)> on_fill;

 private:
  void Record(const std::string& what, OrderId id) {
    log.push_back(what + " " + std::to_string(id.value()));
    times.push_back(clock_->Now());
  }
  core::Clock* clock_;
};

class RecordingMarketData : public MarketDataListener {
 public:
  void OnLegBookUpdate(const core::LegBookUpdate& update) override { updates.push_back(update); }
  void OnTradePrint(const core::TradePrint& print) override { prints.push_back(print); }
  std::vector<core::LegBookUpdate> updates;
  std::vector<core::TradePrint> prints;
};

SimulatedVenueConfig BasicConfig(std::string name = "ALPHA") {
  SimulatedVenueConfig config;
  config.id = core::VenueId(1);
  config.name = std::move(name);
  config.instruments = {{kSpy, Cents(1)}, {kQqq, Cents(5)}};
  config.maker_fee_per_contract = -Cents(20);  // a 0.20 rebate
  config.taker_fee_per_contract = Cents(30);
  return config;
}

OrderRequest Limit(uint32_t participant, uint64_t id, Side side, Price price, int64_t quantity,
                   InstrumentId instrument = kSpy) {
  OrderRequest request;
  request.participant = ParticipantId(participant);
  request.order_id = OrderId(id);
  request.instrument = instrument;
  request.side = side;
  request.limit_price = price;
  request.quantity = Quantity(quantity);
  return request;
}

class SimulatedVenueTest : public ::testing::Test {
 protected:
  void SetUp() override { Build(BasicConfig()); }

  void Build(SimulatedVenueConfig config) {
    venue_ = SimulatedVenue::Create(std::move(config), &time_).value();
    ASSERT_TRUE(venue_->Connect(ParticipantId(1), &alice_).ok());
    ASSERT_TRUE(venue_->Connect(ParticipantId(2), &bob_).ok());
    ASSERT_TRUE(venue_->Subscribe(&market_data_).ok());
  }

  core::SimulatedTime time_;
  RecordingListener alice_{&time_};
  RecordingListener bob_{&time_};
  RecordingMarketData market_data_;
  std::unique_ptr<SimulatedVenue> venue_;
};

TEST_F(SimulatedVenueTest, UnconnectedParticipantFailsAdmission) {
  const absl::Status status = venue_->Submit(Limit(7, 1, Side::kBuy, Cents(100), 1));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("participant 7 is not connected"));
  EXPECT_EQ(venue_->Cancel({ParticipantId(7), OrderId(1)}).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(SimulatedVenueTest, ReusedOrderIdFailsAdmission) {
  ASSERT_TRUE(venue_->Submit(Limit(1, 1, Side::kBuy, Cents(100), 1)).ok());
  const absl::Status status = venue_->Submit(Limit(1, 1, Side::kBuy, Cents(100), 1));
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  // Another participant may use the same number.
  EXPECT_TRUE(venue_->Submit(Limit(2, 1, Side::kBuy, Cents(100), 1)).ok());
}

TEST_F(SimulatedVenueTest, OutcomesArriveLaterAsEvents) {
  ASSERT_TRUE(venue_->Submit(Limit(1, 1, Side::kBuy, Cents(100), 5)).ok());
  EXPECT_TRUE(alice_.log.empty());
  time_.RunUntilIdle();
  EXPECT_THAT(alice_.log, ::testing::ElementsAre("ack 1"));
}

TEST_F(SimulatedVenueTest, FillsCarryPriceQuantityLiquidityAndFee) {
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kSell, Cents(100), 10)).ok());
  time_.RunUntilIdle();
  EXPECT_TRUE(venue_->Submit(Limit(2, 5, Side::kBuy, Cents(101), 4)).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice_.fills.size(), 1u);
  ASSERT_EQ(bob_.fills.size(), 1u);
  const Fill& maker = alice_.fills[0];
  const Fill& taker = bob_.fills[0];
  EXPECT_EQ(maker.price, Cents(100));
  EXPECT_EQ(taker.price, Cents(100));
  EXPECT_EQ(maker.quantity, Quantity(4));
  EXPECT_EQ(maker.leaves_quantity, Quantity(6));
  EXPECT_EQ(taker.leaves_quantity, Quantity(0));
  EXPECT_EQ(maker.liquidity, Liquidity::kAdded);
  EXPECT_EQ(taker.liquidity, Liquidity::kRemoved);
  EXPECT_EQ(maker.fee, core::Money::FromPrice(-Cents(80)));  // 4 x -0.20
  EXPECT_EQ(taker.fee, core::Money::FromPrice(Cents(120)));  // 4 x 0.30
  EXPECT_EQ(maker.execution_id, taker.execution_id);
  EXPECT_EQ(maker.side, Side::kSell);
  EXPECT_EQ(taker.side, Side::kBuy);
  EXPECT_EQ(taker.instrument, kSpy);
  EXPECT_THAT(bob_.log, ::testing::ElementsAre("ack 5", "fill 5"));
}

TEST_F(SimulatedVenueTest, OffTickOrderIsRejectedWithReasonAndBookUnchanged) {
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kBuy, Cents(100), 5)).ok());
  // QQQ ticks in 0.05.
  EXPECT_TRUE(venue_->Submit(Limit(2, 2, Side::kSell, Cents(103), 5, kQqq)).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(bob_.rejects.size(), 1u);
  EXPECT_EQ(bob_.rejects[0].code, RejectCode::kOffTick);
  EXPECT_THAT(bob_.rejects[0].reason, HasSubstr("1.03"));
  EXPECT_THAT(bob_.rejects[0].reason, HasSubstr("0.05"));
  EXPECT_TRUE(venue_->TopOfBook(kQqq)->empty());
  EXPECT_EQ(venue_->open_orders(), 1u);
}

TEST_F(SimulatedVenueTest, ZeroQuantityIsRejected) {
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kBuy, Cents(100), 0)).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice_.rejects.size(), 1u);
  EXPECT_EQ(alice_.rejects[0].code, RejectCode::kInvalidQuantity);
  EXPECT_TRUE(venue_->TopOfBook(kSpy)->empty());
}

TEST_F(SimulatedVenueTest, UnlistedInstrumentIsRejected) {
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kBuy, Cents(100), 5, kUnlisted)).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice_.rejects.size(), 1u);
  EXPECT_EQ(alice_.rejects[0].code, RejectCode::kUnlistedInstrument);
  EXPECT_THAT(alice_.rejects[0].reason, HasSubstr("instrument 9 is not listed"));
  EXPECT_FALSE(venue_->Lists(kUnlisted));
  EXPECT_EQ(venue_->TopOfBook(kUnlisted).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SimulatedVenueTest, ComplexOrderIsRejectedWithoutComplexBook) {
  ComplexOrderRequest request;
  request.participant = ParticipantId(1);
  request.order_id = OrderId(3);
  request.combo = core::ComboId(1);
  request.limit_price = Cents(15);
  request.quantity = Quantity(1);
  ASSERT_TRUE(venue_->SubmitComplex(request).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice_.rejects.size(), 1u);
  EXPECT_EQ(alice_.rejects[0].code, RejectCode::kNoComplexBook);
  EXPECT_EQ(alice_.rejects[0].request, RequestKind::kNewComplex);
  EXPECT_THAT(alice_.rejects[0].reason, HasSubstr("venue ALPHA has no complex-order book"));
}

TEST_F(SimulatedVenueTest, CancelRemovesOrderAndReportsQuantity) {
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kBuy, Cents(100), 5)).ok());
  EXPECT_TRUE(venue_->Cancel({ParticipantId(1), OrderId(1)}).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice_.cancels.size(), 1u);
  EXPECT_EQ(alice_.cancels[0].reason, CancelReason::kRequested);
  EXPECT_EQ(alice_.cancels[0].cancelled_quantity, Quantity(5));
  EXPECT_TRUE(venue_->TopOfBook(kSpy)->empty());
  EXPECT_EQ(venue_->open_orders(), 0u);
}

TEST_F(SimulatedVenueTest, CancelOfOrderNotOpenIsRejected) {
  EXPECT_TRUE(venue_->Cancel({ParticipantId(1), OrderId(42)}).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice_.rejects.size(), 1u);
  EXPECT_EQ(alice_.rejects[0].code, RejectCode::kUnknownOrder);
  EXPECT_EQ(alice_.rejects[0].request, RequestKind::kCancel);
}

TEST_F(SimulatedVenueTest, ReplaceQuantityDownIsRestatedKeepingPriority) {
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kSell, Cents(100), 10)).ok());
  EXPECT_TRUE(venue_->Submit(Limit(2, 2, Side::kSell, Cents(100), 10)).ok());
  EXPECT_TRUE(venue_->Replace({ParticipantId(1), OrderId(1), Cents(100), Quantity(6)}).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice_.restates.size(), 1u);
  EXPECT_EQ(alice_.restates[0].priority, QueuePriority::kKept);
  EXPECT_EQ(alice_.restates[0].leaves_quantity, Quantity(6));
  EXPECT_EQ(alice_.restates[0].reason, RestatementReason::kReplaced);
  EXPECT_EQ(venue_->TopOfBook(kSpy)->ask, (core::PriceLevel{Cents(100), Quantity(16)}));
}

TEST_F(SimulatedVenueTest, ReplacePriceChangeLosesPriorityAndMayTrade) {
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kSell, Cents(101), 10)).ok());
  EXPECT_TRUE(venue_->Submit(Limit(2, 2, Side::kBuy, Cents(100), 4)).ok());
  EXPECT_TRUE(venue_->Replace({ParticipantId(1), OrderId(1), Cents(100), Quantity(10)}).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice_.restates.size(), 1u);
  EXPECT_EQ(alice_.restates[0].priority, QueuePriority::kLost);
  ASSERT_EQ(alice_.fills.size(), 1u);
  EXPECT_EQ(alice_.fills[0].liquidity, Liquidity::kRemoved);
  EXPECT_EQ(alice_.fills[0].leaves_quantity, Quantity(6));
  EXPECT_THAT(alice_.log, ::testing::ElementsAre("ack 1", "restated 1", "fill 1"));
}

TEST_F(SimulatedVenueTest, ReplaceTotalAtOrBelowFilledFinishesOrder) {
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kSell, Cents(100), 10)).ok());
  EXPECT_TRUE(venue_->Submit(Limit(2, 2, Side::kBuy, Cents(100), 4)).ok());
  // Total 4, of which 4 filled: nothing is left open.
  EXPECT_TRUE(venue_->Replace({ParticipantId(1), OrderId(1), Cents(100), Quantity(4)}).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice_.cancels.size(), 1u);
  EXPECT_EQ(alice_.cancels[0].reason, CancelReason::kReplacedBelowFilled);
  EXPECT_EQ(alice_.cancels[0].cancelled_quantity, Quantity(6));
  EXPECT_EQ(venue_->open_orders(), 0u);
}

TEST_F(SimulatedVenueTest, ReplaceOffTickIsRejectedAndOrderUnchanged) {
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kSell, Cents(100), 10)).ok());
  ReplaceRequest replace{ParticipantId(1), OrderId(1), Price::FromRaw(1'005'000'000), Quantity(10)};
  EXPECT_TRUE(venue_->Replace(replace).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice_.rejects.size(), 1u);
  EXPECT_EQ(alice_.rejects[0].code, RejectCode::kOffTick);
  EXPECT_EQ(alice_.rejects[0].request, RequestKind::kReplace);
  EXPECT_EQ(venue_->TopOfBook(kSpy)->ask, (core::PriceLevel{Cents(100), Quantity(10)}));
}

// A penny-pilot option (0.01 below 3.00, 0.05 from 3.00): a leg order is checked against the
// tick of the band its price lies in, and the reason names that tick.
TEST_F(SimulatedVenueTest, ALegOrderOffTheTickRuleAtItsPriceIsRefusedNamingThatTick) {
  constexpr InstrumentId kOption(3);
  SimulatedVenueConfig config = BasicConfig();
  config.instruments.push_back({kOption, *core::TickRule::Parse("0.01<3.00;0.05")});
  Build(std::move(config));
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kBuy, Cents(297), 5, kOption)).ok());
  EXPECT_TRUE(venue_->Submit(Limit(1, 2, Side::kSell, Cents(302), 5, kOption)).ok());
  EXPECT_TRUE(venue_->Submit(Limit(1, 3, Side::kSell, Cents(305), 5, kOption)).ok());
  EXPECT_TRUE(venue_->Submit(Limit(1, 4, Side::kSell, Cents(300), 5, kOption)).ok());
  time_.RunUntilIdle();
  EXPECT_THAT(alice_.log, ::testing::ElementsAre("ack 1", "reject 2", "ack 3", "ack 4"));
  ASSERT_EQ(alice_.rejects.size(), 1u);
  EXPECT_EQ(alice_.rejects[0].code, RejectCode::kOffTick);
  EXPECT_EQ(alice_.rejects[0].reason,
            "venue ALPHA: price 3.02 is not a multiple of tick 0.05 (the tick at that price; rule "
            "0.01<3;0.05) for instrument 3");
  EXPECT_EQ(venue_->TopOfBook(kOption)->bid, (core::PriceLevel{Cents(297), Quantity(5)}));
  EXPECT_EQ(venue_->TopOfBook(kOption)->ask, (core::PriceLevel{Cents(300), Quantity(5)}));
  // A replace onto an off-tick price in the upper band is refused too; below 3.00 a cent is fine.
  EXPECT_TRUE(venue_->Replace({ParticipantId(1), OrderId(3), Cents(303), Quantity(5)}).ok());
  EXPECT_TRUE(venue_->Replace({ParticipantId(1), OrderId(1), Cents(298), Quantity(5)}).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice_.rejects.size(), 2u);
  EXPECT_EQ(alice_.rejects[1].request, RequestKind::kReplace);
  EXPECT_THAT(alice_.rejects[1].reason, HasSubstr("price 3.03 is not a multiple of tick 0.05"));
  EXPECT_EQ(venue_->TopOfBook(kOption)->bid, (core::PriceLevel{Cents(298), Quantity(5)}));
}

TEST_F(SimulatedVenueTest, SelfTradePreventionCancelsOwnRestingOrder) {
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kSell, Cents(100), 10)).ok());
  EXPECT_TRUE(venue_->Submit(Limit(1, 2, Side::kBuy, Cents(100), 5)).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice_.cancels.size(), 1u);
  EXPECT_EQ(alice_.cancels[0].order_id, OrderId(1));
  EXPECT_EQ(alice_.cancels[0].reason, CancelReason::kSelfTradePrevention);
  EXPECT_TRUE(alice_.fills.empty());
  EXPECT_EQ(venue_->TopOfBook(kSpy)->bid, (core::PriceLevel{Cents(100), Quantity(5)}));
}

TEST_F(SimulatedVenueTest, MarketDataCarriesNumberedLevelUpdatesWithTopAndTradePrints) {
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kSell, Cents(101), 5)).ok());
  EXPECT_TRUE(venue_->Submit(Limit(1, 2, Side::kSell, Cents(102), 5)).ok());
  EXPECT_TRUE(venue_->Submit(Limit(2, 3, Side::kBuy, Cents(102), 7)).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(market_data_.updates.size(), 4u);
  for (size_t i = 0; i < market_data_.updates.size(); ++i) {
    EXPECT_EQ(market_data_.updates[i].sequence, i + 1);
    EXPECT_EQ(market_data_.updates[i].instrument, kSpy);
    EXPECT_EQ(market_data_.updates[i].venue, core::VenueId(1));
  }
  const core::LegBookUpdate& last = market_data_.updates.back();
  EXPECT_EQ(last.price, Cents(102));
  EXPECT_EQ(last.quantity, Quantity(3));
  EXPECT_EQ(last.top.ask, (core::PriceLevel{Cents(102), Quantity(3)}));
  EXPECT_FALSE(last.top.bid.has_value());
  ASSERT_EQ(market_data_.prints.size(), 2u);
  EXPECT_EQ(market_data_.prints[0].price, Cents(101));
  EXPECT_EQ(market_data_.prints[1].quantity, Quantity(2));
  EXPECT_EQ(market_data_.prints[1].aggressor, Side::kBuy);
}

// A listener that submits from inside a callback sees the whole step done, and its order is a
// new step.
TEST_F(SimulatedVenueTest, ListenerSubmittingFromCallbackSeesCompleteBook) {
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kSell, Cents(101), 5)).ok());
  EXPECT_TRUE(venue_->Submit(Limit(1, 2, Side::kSell, Cents(102), 5)).ok());
  EXPECT_TRUE(venue_->Submit(Limit(1, 3, Side::kSell, Cents(103), 5)).ok());
  time_.RunUntilIdle();
  std::vector<core::TopOfBook> seen;
  bool submitted = false;
  bob_.on_fill = [&](const Fill&) {
    seen.push_back(venue_->TopOfBook(kSpy).value());
    if (!submitted) {
      submitted = true;
      ASSERT_TRUE(venue_->Submit(Limit(2, 11, Side::kBuy, Cents(103), 5)).ok());
    }
  };
  EXPECT_TRUE(venue_->Submit(Limit(2, 10, Side::kBuy, Cents(103), 12)).ok());
  time_.RunUntilIdle();
  // The sweep's three fills all saw the book after the sweep: 3 left at 1.03.
  ASSERT_GE(seen.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(seen[i].ask, (core::PriceLevel{Cents(103), Quantity(3)})) << i;
  }
  // The order sent from the callback traded the 3 left and rests 2.
  EXPECT_EQ(venue_->TopOfBook(kSpy)->bid, (core::PriceLevel{Cents(103), Quantity(2)}));
  EXPECT_THAT(bob_.log, ::testing::ElementsAre("ack 10", "fill 10", "fill 10", "fill 10", "ack 11",
                                               "fill 11"));
}

TEST_F(SimulatedVenueTest, EndOfDayCancelsDayOrdersOnly) {
  OrderRequest gtc = Limit(1, 2, Side::kBuy, Cents(99), 5);
  gtc.time_in_force = TimeInForce::kGoodTillCancel;
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kBuy, Cents(100), 5)).ok());
  EXPECT_TRUE(venue_->Submit(gtc).ok());
  time_.RunUntilIdle();
  venue_->EndOfDay();
  time_.RunUntilIdle();
  ASSERT_EQ(alice_.cancels.size(), 1u);
  EXPECT_EQ(alice_.cancels[0].order_id, OrderId(1));
  EXPECT_EQ(alice_.cancels[0].reason, CancelReason::kEndOfDay);
  EXPECT_EQ(venue_->TopOfBook(kSpy)->bid, (core::PriceLevel{Cents(99), Quantity(5)}));
}

TEST_F(SimulatedVenueTest, MarketOrderSweepsAndItsRestIsCancelled) {
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kSell, Cents(100), 3)).ok());
  EXPECT_TRUE(venue_->Submit(Limit(1, 2, Side::kSell, Cents(105), 3)).ok());
  OrderRequest market = Limit(2, 7, Side::kBuy, Price::Zero(), 10);
  market.type = OrderType::kMarket;
  EXPECT_TRUE(venue_->Submit(market).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(bob_.fills.size(), 2u);
  EXPECT_EQ(bob_.fills[0].price, Cents(100));
  EXPECT_EQ(bob_.fills[1].price, Cents(105));
  ASSERT_EQ(bob_.cancels.size(), 1u);
  EXPECT_EQ(bob_.cancels[0].reason, CancelReason::kImmediateOrCancel);
  EXPECT_EQ(bob_.cancels[0].cancelled_quantity, Quantity(4));
  EXPECT_THAT(bob_.log, ::testing::ElementsAre("ack 7", "fill 7", "fill 7", "cancelled 7"));
  EXPECT_EQ(venue_->open_orders(), 0u);
}

TEST_F(SimulatedVenueTest, UnsubscribedListenerReceivesNoMoreMarketData) {
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kBuy, Cents(100), 5)).ok());
  ASSERT_TRUE(venue_->Unsubscribe(&market_data_).ok());
  time_.RunUntilIdle();
  EXPECT_TRUE(market_data_.updates.empty());
  EXPECT_EQ(venue_->Unsubscribe(&market_data_).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(venue_->Subscribe(&market_data_).ok());
  EXPECT_EQ(venue_->Subscribe(&market_data_).code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(SimulatedVenueTest, ConnectWithoutListenerFails) {
  EXPECT_EQ(venue_->Connect(ParticipantId(3), nullptr).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SimulatedVenueTest, DestroyingVenueWithMessagesInFlightIsSafe) {
  EXPECT_TRUE(venue_->Submit(Limit(1, 1, Side::kBuy, Cents(100), 5)).ok());
  venue_.reset();
  EXPECT_EQ(time_.RunUntilIdle(), 1);
  EXPECT_TRUE(alice_.log.empty());
}

TEST(SimulatedVenueLatencyTest, LatencyAppliesInBothDirectionsByMessageType) {
  core::SimulatedTime time;
  SimulatedVenueConfig config = BasicConfig();
  config.latency.inbound.new_order.fixed = Duration::Microseconds(100);
  config.latency.inbound.cancel.fixed = Duration::Microseconds(30);
  config.latency.outbound.ack.fixed = Duration::Microseconds(50);
  config.latency.outbound.cancelled.fixed = Duration::Microseconds(70);
  auto venue = SimulatedVenue::Create(config, &time).value();
  RecordingListener alice(&time);
  ASSERT_TRUE(venue->Connect(ParticipantId(1), &alice).ok());
  const core::Timestamp start = time.Now();
  EXPECT_TRUE(venue->Submit(Limit(1, 1, Side::kBuy, Cents(100), 5)).ok());
  time.AdvanceTo(start + Duration::Microseconds(99));
  EXPECT_TRUE(venue->TopOfBook(kSpy)->empty());
  time.AdvanceTo(start + Duration::Microseconds(100));
  EXPECT_FALSE(venue->TopOfBook(kSpy)->empty());
  EXPECT_TRUE(alice.log.empty());
  time.AdvanceTo(start + Duration::Microseconds(150));
  ASSERT_EQ(alice.times.size(), 1u);
  EXPECT_EQ(alice.times[0], start + Duration::Microseconds(150));
  EXPECT_TRUE(venue->Cancel({ParticipantId(1), OrderId(1)}).ok());
  time.RunUntilIdle();
  ASSERT_EQ(alice.times.size(), 2u);
  EXPECT_EQ(alice.times[1], start + Duration::Microseconds(150 + 30 + 70));
}

TEST(SimulatedVenueLatencyTest, LaterMessageNeverOvertakesEarlierOneOfSameParticipant) {
  core::SimulatedTime time;
  SimulatedVenueConfig config = BasicConfig();
  config.latency.inbound.new_order.fixed = Duration::Milliseconds(5);
  config.latency.inbound.cancel.fixed = Duration::Zero();
  auto venue = SimulatedVenue::Create(config, &time).value();
  RecordingListener alice(&time);
  ASSERT_TRUE(venue->Connect(ParticipantId(1), &alice).ok());
  EXPECT_TRUE(venue->Submit(Limit(1, 1, Side::kBuy, Cents(100), 5)).ok());
  EXPECT_TRUE(venue->Cancel({ParticipantId(1), OrderId(1)}).ok());
  time.RunUntilIdle();
  EXPECT_THAT(alice.log, ::testing::ElementsAre("ack 1", "cancelled 1"));
}

// Delivery times of a fixed script of orders under a latency model with jitter.
std::vector<core::Timestamp> ScriptTimes(uint64_t seed) {
  core::SimulatedTime time;
  SimulatedVenueConfig config = BasicConfig();
  config.latency.seed = seed;
  config.latency.inbound.new_order = {Duration::Microseconds(100), Duration::Microseconds(400)};
  config.latency.outbound.ack = {Duration::Microseconds(20), Duration::Microseconds(300)};
  auto venue = SimulatedVenue::Create(config, &time).value();
  RecordingListener alice(&time);
  EXPECT_TRUE(venue->Connect(ParticipantId(1), &alice).ok());
  for (uint64_t id = 1; id <= 20; ++id) {
    EXPECT_TRUE(
        venue->Submit(Limit(1, id, Side::kBuy, Cents(100 - static_cast<int64_t>(id)), 1)).ok());
    time.AdvanceBy(Duration::Milliseconds(1));
  }
  time.RunUntilIdle();
  EXPECT_EQ(alice.times.size(), 20u);
  const core::Timestamp start = core::SimulatedTime().Now();
  for (size_t i = 0; i < alice.times.size(); ++i) {
    const Duration delay =
        alice.times[i] - (start + Duration::Milliseconds(static_cast<int64_t>(i)));
    EXPECT_GE(delay, Duration::Microseconds(120));
    EXPECT_LE(delay, Duration::Microseconds(820));
  }
  return alice.times;
}

TEST(SimulatedVenueLatencyTest, JitterIsSeededWithinBounds) {
  EXPECT_EQ(ScriptTimes(7), ScriptTimes(7));
  EXPECT_NE(ScriptTimes(7), ScriptTimes(8));
}

TEST(SimulatedVenueMultiTest, VenuesListingSameInstrumentKeepIndependentBooks) {
  core::SimulatedTime time;
  auto alpha = SimulatedVenue::Create(BasicConfig("ALPHA"), &time).value();
  SimulatedVenueConfig beta_config = BasicConfig("BETA");
  beta_config.id = core::VenueId(2);
  auto beta = SimulatedVenue::Create(beta_config, &time).value();
  RecordingListener alice(&time);
  RecordingListener bob(&time);
  ASSERT_TRUE(alpha->Connect(ParticipantId(1), &alice).ok());
  ASSERT_TRUE(beta->Connect(ParticipantId(2), &bob).ok());
  EXPECT_TRUE(alpha->Submit(Limit(1, 1, Side::kSell, Cents(100), 5)).ok());
  EXPECT_TRUE(beta->Submit(Limit(2, 1, Side::kBuy, Cents(100), 5)).ok());
  time.RunUntilIdle();
  // Crossed across venues, but neither book trades with the other.
  EXPECT_TRUE(alice.fills.empty());
  EXPECT_TRUE(bob.fills.empty());
  EXPECT_EQ(alpha->TopOfBook(kSpy)->ask, (core::PriceLevel{Cents(100), Quantity(5)}));
  EXPECT_FALSE(alpha->TopOfBook(kSpy)->bid.has_value());
  EXPECT_EQ(beta->TopOfBook(kSpy)->bid, (core::PriceLevel{Cents(100), Quantity(5)}));
  EXPECT_FALSE(beta->TopOfBook(kSpy)->ask.has_value());
}

// The allocation rule is per venue: seed 001 EX-R3 through the venue's events.
TEST(SimulatedVenueAllocationTest, Seed001AllocationIsSelectablePerVenue) {
  core::SimulatedTime time;
  SimulatedVenueConfig config = BasicConfig("ISE");
  config.instruments = {{kSpy, Price::FromRaw(62'500'000)}};  // 1/16
  config.allocation = AllocationRule::kSeed001Options;
  auto venue = SimulatedVenue::Create(config, &time).value();
  std::vector<std::unique_ptr<RecordingListener>> listeners;
  for (uint32_t p = 1; p <= 4; ++p) {
    listeners.push_back(std::make_unique<RecordingListener>(&time));
    ASSERT_TRUE(venue->Connect(ParticipantId(p), listeners.back().get()).ok());
  }
  const Price three_and_half = Price::FromParts(3, 500'000'000);
  OrderRequest customer = Limit(1, 1, Side::kSell, three_and_half, 10);
  customer.role = ParticipantRole::kCustomer;
  OrderRequest pro = Limit(2, 1, Side::kSell, three_and_half, 5);
  pro.role = ParticipantRole::kProfessional;
  OrderRequest pmm = Limit(3, 1, Side::kSell, three_and_half, 20);
  pmm.role = ParticipantRole::kPrimaryMarketMaker;
  EXPECT_TRUE(venue->Submit(customer).ok());
  EXPECT_TRUE(venue->Submit(pro).ok());
  EXPECT_TRUE(venue->Submit(pmm).ok());
  EXPECT_TRUE(venue->Submit(Limit(4, 1, Side::kBuy, three_and_half, 30)).ok());
  time.RunUntilIdle();
  ASSERT_EQ(listeners[0]->fills.size(), 1u);
  ASSERT_EQ(listeners[1]->fills.size(), 1u);
  ASSERT_EQ(listeners[2]->fills.size(), 1u);
  EXPECT_EQ(listeners[0]->fills[0].quantity, Quantity(10));  // customer first
  EXPECT_EQ(listeners[2]->fills[0].quantity, Quantity(16));  // PMM 80% of 20
  EXPECT_EQ(listeners[1]->fills[0].quantity, Quantity(4));   // PRO#1
  EXPECT_EQ(listeners[3]->fills.size(), 3u);
}

// Keeps each order's open quantity from the events alone and checks every event against it.
class AccountingListener : public VenueListener {
 public:
  void OnAck(const OrderAcked& e) override {
    open[e.order_id.value()] = submitted.at(e.order_id.value());
  }
  void OnReject(const OrderRejected&) override {}
  void OnFill(const Fill& e) override {
    int64_t& left = open.at(e.order_id.value());
    left -= e.quantity.value();
    EXPECT_EQ(left, e.leaves_quantity.value()) << "order " << e.order_id;
    fills.push_back(e);
  }
  void OnComplexFill(const ComplexFill&) override { ADD_FAILURE() << "no complex orders sent"; }
  void OnCancelled(const OrderCancelled& e) override {
    int64_t& left = open.at(e.order_id.value());
    EXPECT_EQ(left, e.cancelled_quantity.value()) << "order " << e.order_id;
    left = 0;
  }
  void OnRestated(const OrderRestated& e) override {
    open.at(e.order_id.value()) = e.leaves_quantity.value();
  }

  std::map<uint64_t, int64_t> submitted;
  std::map<uint64_t, int64_t> open;
  std::vector<Fill> fills;
};

// Random traffic from several participants through a venue with jittered latency: every fill's
// and cancel's quantities agree with the open quantity the participant's earlier events imply,
// each execution has exactly two sides at one price, and cancelling what the events say is open
// empties the book.
TEST(SimulatedVenueRandomTest, EveryContractIsAccountedForUnderRandomTraffic) {
  core::SimulatedTime time;
  SimulatedVenueConfig config = BasicConfig();
  config.instruments = {{kSpy, Cents(1)}};
  config.latency.seed = 99;
  config.latency.inbound.new_order = {Duration::Microseconds(50), Duration::Microseconds(200)};
  config.latency.inbound.cancel = {Duration::Microseconds(10), Duration::Microseconds(100)};
  config.latency.inbound.replace = {Duration::Microseconds(10), Duration::Microseconds(100)};
  config.latency.outbound.fill = {Duration::Microseconds(5), Duration::Microseconds(50)};
  auto venue = SimulatedVenue::Create(config, &time).value();
  constexpr uint32_t kParticipants = 4;
  std::vector<std::unique_ptr<AccountingListener>> listeners;
  for (uint32_t p = 1; p <= kParticipants; ++p) {
    listeners.push_back(std::make_unique<AccountingListener>());
    ASSERT_TRUE(venue->Connect(ParticipantId(p), listeners.back().get()).ok());
  }
  core::Rng rng(5);
  std::vector<uint64_t> next_id(kParticipants + 1, 1);
  for (int step = 0; step < 5'000; ++step) {
    const uint32_t p = static_cast<uint32_t>(rng.UniformInt(1, kParticipants));
    const int64_t kind = rng.UniformInt(0, 9);
    if (kind < 6 || next_id[p] == 1) {
      OrderRequest request =
          Limit(p, next_id[p]++, rng.UniformInt(0, 1) == 0 ? Side::kBuy : Side::kSell,
                Cents(rng.UniformInt(95, 105)), rng.UniformInt(1, 20));
      if (rng.UniformInt(0, 9) == 0) request.time_in_force = TimeInForce::kImmediateOrCancel;
      listeners[p - 1]->submitted[request.order_id.value()] = request.quantity.value();
      ASSERT_TRUE(venue->Submit(request).ok());
    } else {
      const uint64_t id =
          static_cast<uint64_t>(rng.UniformInt(1, static_cast<int64_t>(next_id[p]) - 1));
      if (kind < 8) {
        ASSERT_TRUE(venue->Cancel({ParticipantId(p), OrderId(id)}).ok());
      } else {
        ASSERT_TRUE(venue
                        ->Replace({ParticipantId(p), OrderId(id), Cents(rng.UniformInt(95, 105)),
                                   Quantity(rng.UniformInt(1, 25))})
                        .ok());
      }
    }
    time.AdvanceBy(Duration::Microseconds(rng.UniformInt(0, 100)));
  }
  time.RunUntilIdle();

  std::map<uint64_t, std::vector<Fill>> executions;
  size_t still_open = 0;
  for (uint32_t p = 1; p <= kParticipants; ++p) {
    for (const Fill& fill : listeners[p - 1]->fills) executions[fill.execution_id].push_back(fill);
    for (const auto& [id, left] : listeners[p - 1]->open) {
      if (left > 0) {
        ++still_open;
        ASSERT_TRUE(venue->Cancel({ParticipantId(p), OrderId(id)}).ok());
      }
    }
  }
  EXPECT_EQ(still_open, venue->open_orders());
  for (const auto& [execution_id, sides] : executions) {
    ASSERT_EQ(sides.size(), 2u) << execution_id;
    EXPECT_NE(sides[0].side, sides[1].side);
    EXPECT_EQ(sides[0].price, sides[1].price);
    EXPECT_EQ(sides[0].quantity, sides[1].quantity);
    EXPECT_NE(sides[0].liquidity, sides[1].liquidity);
  }
  EXPECT_GT(executions.size(), 100u);
  time.RunUntilIdle();
  EXPECT_EQ(venue->open_orders(), 0u);
  EXPECT_TRUE(venue->TopOfBook(kSpy)->empty());
  for (const auto& listener : listeners) {
    for (const auto& [id, left] : listener->open) EXPECT_EQ(left, 0) << "order " << id;
  }
}

// The venue's trading-status changes as its market-data subscribers see them.
class RecordingTradingStatus : public MarketDataListener {
 public:
  explicit RecordingTradingStatus(core::Clock* clock) : clock_(clock) {}
  void OnLegBookUpdate(const core::LegBookUpdate& /*update*/) override {}
  void OnVenueTradingStatus(const VenueTradingStatusChanged& change) override {
    changes.push_back(change);
    arrivals.push_back(clock_->Now());
  }
  std::vector<VenueTradingStatusChanged> changes;
  std::vector<core::Timestamp> arrivals;

 private:
  core::Clock* clock_;
};

TEST(SimulatedVenueTradingStatusTest, AnExchangeWideHaltIsPublishedAsTheVenuesOwnMarketData) {
  core::SimulatedTime time;
  SimulatedVenueConfig config = BasicConfig();
  config.latency.outbound.market_data.fixed = Duration::Microseconds(40);
  std::unique_ptr<SimulatedVenue> venue = SimulatedVenue::Create(config, &time).value();
  RecordingListener alice(&time);
  ASSERT_TRUE(venue->Connect(ParticipantId(1), &alice).ok());
  RecordingTradingStatus status(&time);
  ASSERT_TRUE(venue->Subscribe(&status).ok());
  ASSERT_TRUE(venue->Submit(Limit(1, 1, Side::kBuy, Cents(10'000), 5)).ok());
  time.RunUntilIdle();

  const core::Timestamp halted_at = time.Now();
  ASSERT_TRUE(venue->SetTradingStatus(VenueTradingStatus::kHalted).ok());
  EXPECT_EQ(venue->trading_status(), VenueTradingStatus::kHalted);
  EXPECT_TRUE(status.changes.empty());  // market data crosses the outbound latency
  time.RunUntilIdle();
  ASSERT_EQ(status.changes.size(), 1u);
  EXPECT_EQ(status.changes[0].venue, core::VenueId(1));
  EXPECT_EQ(status.changes[0].status, VenueTradingStatus::kHalted);
  EXPECT_EQ(status.changes[0].time, halted_at);
  EXPECT_EQ(status.arrivals[0], halted_at + Duration::Microseconds(40));
  // A halt leaves resting orders where they are.
  EXPECT_EQ(venue->open_orders(), 1u);

  ASSERT_TRUE(venue->SetTradingStatus(VenueTradingStatus::kOpen).ok());
  time.RunUntilIdle();
  ASSERT_EQ(status.changes.size(), 2u);
  EXPECT_EQ(status.changes[1].status, VenueTradingStatus::kOpen);
  EXPECT_EQ(venue->trading_status(), VenueTradingStatus::kOpen);
}

TEST(SimulatedVenueConfigTest, InvalidConfigIsRejectedWithReason) {
  core::SimulatedTime time;
  SimulatedVenueConfig twice = BasicConfig();
  twice.instruments.push_back({kSpy, Cents(1)});
  EXPECT_THAT(std::string(SimulatedVenue::Create(twice, &time).status().message()),
              HasSubstr("instrument 1 is listed twice"));
  SimulatedVenueConfig zero_tick = BasicConfig();
  zero_tick.instruments[0].tick_rule = core::TickRule::Uniform(Price::Zero());
  EXPECT_THAT(std::string(SimulatedVenue::Create(zero_tick, &time).status().message()),
              HasSubstr("is not positive"));
  SimulatedVenueConfig negative = BasicConfig();
  negative.latency.outbound.fill.fixed = Duration::Microseconds(-1);
  EXPECT_THAT(std::string(SimulatedVenue::Create(negative, &time).status().message()),
              HasSubstr("outbound fill must not be negative"));
  SimulatedVenueConfig unnamed = BasicConfig("");
  EXPECT_EQ(SimulatedVenue::Create(unnamed, &time).status().code(),
            absl::StatusCode::kInvalidArgument);
  SimulatedVenueConfig percent = BasicConfig();
  percent.seed001.pmm_share_percent_two_others = 140;
  EXPECT_THAT(std::string(SimulatedVenue::Create(percent, &time).status().message()),
              HasSubstr("140%"));
}

// Seed 001 R42 at the venue: a primary market maker's quote that a customer's order exhausts is
// renewed one tick worse at its table's size; the owner hears the fill (still open at the renewed
// size) and then the restatement, and the venue counts it.
TEST_F(SimulatedVenueTest, R42AnExhaustedQuoteIsRestatedTickWorseToItsOwner) {
  prometheus::Registry registry;
  SimulatedVenueConfig config = BasicConfig();
  config.allocation = AllocationRule::kSeed001Options;
  config.market_maker.tick_worse_sizes = {Quantity(10)};
  config.metrics = &registry;
  Build(std::move(config));
  OrderRequest quote = Limit(1, 1, Side::kBuy, Cents(100), 30);
  quote.role = ParticipantRole::kPrimaryMarketMaker;
  ASSERT_TRUE(venue_->Submit(quote).ok());
  time_.RunUntilIdle();
  OrderRequest sell = Limit(2, 1, Side::kSell, Cents(99), 35);
  sell.role = ParticipantRole::kCustomer;
  sell.time_in_force = TimeInForce::kImmediateOrCancel;
  ASSERT_TRUE(venue_->Submit(sell).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice_.fills.size(), 2u);
  EXPECT_EQ(alice_.fills[0].price, Cents(100));
  EXPECT_EQ(alice_.fills[0].quantity, Quantity(30));
  EXPECT_EQ(alice_.fills[0].leaves_quantity, Quantity(10));
  EXPECT_EQ(alice_.fills[1].price, Cents(99));
  EXPECT_EQ(alice_.fills[1].quantity, Quantity(5));
  EXPECT_EQ(alice_.fills[1].leaves_quantity, Quantity(5));
  ASSERT_EQ(alice_.restates.size(), 1u);
  EXPECT_EQ(alice_.restates[0].reason, RestatementReason::kTickWorse);
  EXPECT_EQ(alice_.restates[0].limit_price, Cents(99));
  EXPECT_EQ(alice_.restates[0].leaves_quantity, Quantity(10));
  EXPECT_EQ(alice_.log, (std::vector<std::string>{"ack 1", "fill 1", "restated 1", "fill 1"}));
  EXPECT_EQ(venue_->TopOfBook(kSpy)->bid->price, Cents(99));
  EXPECT_EQ(venue_->TopOfBook(kSpy)->bid->quantity, Quantity(5));
  EXPECT_EQ(venue_->open_orders(), 1u);
  double tick_worse = 0;
  for (const auto& family : registry.Collect()) {
    if (family.name != "combo_venue_quote_restatements_total") continue;
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) {
        if (label.name == "reason" && label.value == "tick_worse")
          tick_worse = metric.counter.value;
      }
    }
  }
  EXPECT_EQ(tick_worse, 1);
}

// Seed 001 R41 / EX-R14 (Fig. 13), T = 2 s: a quotation to buy @ 4 rests; a CMM's quotation to
// sell @ 4 would match it. It is not executed at once: both rest (marked); after T the match is
// still there, so the two quotes trade.
OrderRequest Quote(uint32_t participant, uint64_t id, Side side, Price price, int64_t quantity) {
  OrderRequest quote = Limit(participant, id, side, price, quantity);
  quote.role = ParticipantRole::kMarketMaker;
  return quote;
}

TEST_F(SimulatedVenueTest, ExR14QuoteMatchingAQuoteWaitsTAndTradesIfStillMatched) {
  SimulatedVenueConfig config = BasicConfig();
  config.market_maker.quote_match_delay = core::Duration::Seconds(2);
  Build(std::move(config));
  ASSERT_TRUE(venue_->Submit(Quote(1, 1, Side::kBuy, Cents(400), 10)).ok());
  time_.AdvanceBy(core::Duration::Milliseconds(100));
  ASSERT_TRUE(venue_->Submit(Quote(2, 1, Side::kSell, Cents(400), 10)).ok());
  time_.AdvanceBy(core::Duration::Seconds(1));
  EXPECT_TRUE(alice_.fills.empty());
  EXPECT_TRUE(bob_.fills.empty());
  EXPECT_EQ(venue_->TopOfBook(kSpy)->ask->price, Cents(400));  // both rest, marked
  time_.AdvanceBy(core::Duration::Seconds(1));
  ASSERT_EQ(alice_.fills.size(), 1u);
  ASSERT_EQ(bob_.fills.size(), 1u);
  EXPECT_EQ(bob_.fills[0].price, Cents(400));
  EXPECT_EQ(bob_.fills[0].quantity, Quantity(10));
  EXPECT_EQ(bob_.fills[0].liquidity, Liquidity::kRemoved);
  EXPECT_EQ(venue_->open_orders(), 0u);
}

// EX-R14, the other branch: the resting quote moves away within T; after T there is no match,
// the marks go and nothing trades. A customer's order is never delayed.
TEST_F(SimulatedVenueTest, ExR14NoMatchAfterTUnmarksTheQuotes) {
  SimulatedVenueConfig config = BasicConfig();
  config.market_maker.quote_match_delay = core::Duration::Seconds(2);
  Build(std::move(config));
  ASSERT_TRUE(venue_->Submit(Quote(1, 1, Side::kBuy, Cents(400), 10)).ok());
  time_.AdvanceBy(core::Duration::Milliseconds(100));
  ASSERT_TRUE(venue_->Submit(Quote(2, 1, Side::kSell, Cents(400), 10)).ok());
  time_.AdvanceBy(core::Duration::Seconds(1));
  ASSERT_TRUE(venue_->Cancel({ParticipantId(1), OrderId(1)}).ok());
  time_.AdvanceBy(core::Duration::Seconds(2));
  EXPECT_TRUE(alice_.fills.empty());
  EXPECT_TRUE(bob_.fills.empty());
  EXPECT_EQ(venue_->TopOfBook(kSpy)->ask->price, Cents(400));
  EXPECT_EQ(venue_->open_orders(), 1u);
  OrderRequest customer = Limit(1, 2, Side::kBuy, Cents(400), 4);
  customer.role = ParticipantRole::kCustomer;
  ASSERT_TRUE(venue_->Submit(customer).ok());
  time_.AdvanceBy(core::Duration::Milliseconds(100));
  ASSERT_EQ(alice_.fills.size(), 1u);
  EXPECT_EQ(alice_.fills[0].quantity, Quantity(4));
}

// The value of one series of a venue counter in `registry` (0 when absent); `label` names the
// series by one label beside `venue`, or is empty for a family labelled by venue only.
double VenueCounter(prometheus::Registry& registry, const std::string& family_name,
                    const std::pair<std::string, std::string>& label = {}) {
  for (const auto& family : registry.Collect()) {
    if (family.name != family_name) continue;
    for (const auto& metric : family.metric) {
      const bool matches = label.first.empty() ||
                           std::any_of(metric.label.begin(), metric.label.end(),
                                       [&](const prometheus::ClientMetric::Label& l) {
                                         return l.name == label.first && l.value == label.second;
                                       });
      if (matches) return metric.counter.value;
    }
  }
  return 0;
}

// Seed 001 R34 at the venue, counted: X = 10 and Y = 7 up to 5 cents of improvement. The PMM
// quotes 30 @ 1.00 / 30 @ 1.10. A customer's buy 4 @ 1.02 leaves a shortfall of 6 <= 7: the PMM
// is derived a bid for 6 beside it. A customer's buy 2 @ 1.04 leaves 8 > 7: it trades against
// the PMM's offer at 1.04. The venue counts one of each outcome.
TEST_F(SimulatedVenueTest, R34DeriveOrTradeOutcomesAreCounted) {
  prometheus::Registry registry;
  SimulatedVenueConfig config = BasicConfig();
  config.market_maker.minimum_market_size = Quantity(10);
  config.market_maker.derive_matrix = {{Cents(5), Quantity(7)}};
  config.metrics = &registry;
  Build(std::move(config));
  const std::string family = "combo_venue_derive_or_trade_total";
  EXPECT_EQ(VenueCounter(registry, family, {"outcome", "derived"}), 0);
  for (auto [id, side, price] :
       {std::tuple{1, Side::kBuy, Cents(100)}, std::tuple{2, Side::kSell, Cents(110)}}) {
    OrderRequest quote = Limit(1, id, side, price, 30);
    quote.role = ParticipantRole::kPrimaryMarketMaker;
    ASSERT_TRUE(venue_->Submit(quote).ok());
  }
  time_.RunUntilIdle();
  OrderRequest small = Limit(2, 1, Side::kBuy, Cents(102), 4);
  small.role = ParticipantRole::kCustomer;
  ASSERT_TRUE(venue_->Submit(small).ok());
  time_.RunUntilIdle();
  EXPECT_EQ(venue_->TopOfBook(kSpy)->bid->price, Cents(102));
  EXPECT_EQ(venue_->TopOfBook(kSpy)->bid->quantity, Quantity(10));
  EXPECT_EQ(VenueCounter(registry, family, {"outcome", "derived"}), 1);
  EXPECT_EQ(VenueCounter(registry, family, {"outcome", "traded"}), 0);
  OrderRequest smaller = Limit(2, 2, Side::kBuy, Cents(104), 2);
  smaller.role = ParticipantRole::kCustomer;
  ASSERT_TRUE(venue_->Submit(smaller).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(bob_.fills.size(), 1u);
  EXPECT_EQ(bob_.fills[0].price, Cents(104));
  EXPECT_EQ(bob_.fills[0].quantity, Quantity(2));
  EXPECT_EQ(venue_->TopOfBook(kSpy)->bid->price, Cents(102));
  EXPECT_EQ(VenueCounter(registry, family, {"outcome", "derived"}), 1);
  EXPECT_EQ(VenueCounter(registry, family, {"outcome", "traded"}), 1);
}

// Seed 001 R41 at the venue, counted: EX-R14's quote that would match another maker's waits T,
// and the venue counts the delay once; a customer's order is never delayed (no count).
TEST_F(SimulatedVenueTest, R41QuoteMatchDelaysAreCounted) {
  prometheus::Registry registry;
  SimulatedVenueConfig config = BasicConfig();
  config.market_maker.quote_match_delay = core::Duration::Seconds(2);
  config.metrics = &registry;
  Build(std::move(config));
  const std::string family = "combo_venue_quote_match_delays_total";
  ASSERT_TRUE(venue_->Submit(Quote(1, 1, Side::kBuy, Cents(400), 10)).ok());
  time_.AdvanceBy(core::Duration::Milliseconds(100));
  OrderRequest customer = Limit(2, 1, Side::kSell, Cents(400), 4);
  customer.role = ParticipantRole::kCustomer;
  ASSERT_TRUE(venue_->Submit(customer).ok());
  time_.AdvanceBy(core::Duration::Milliseconds(100));
  EXPECT_EQ(VenueCounter(registry, family), 0);
  ASSERT_TRUE(venue_->Submit(Quote(2, 2, Side::kSell, Cents(400), 6)).ok());
  time_.AdvanceBy(core::Duration::Milliseconds(100));
  EXPECT_EQ(VenueCounter(registry, family), 1);
  time_.AdvanceBy(core::Duration::Seconds(2));
  EXPECT_EQ(VenueCounter(registry, family), 1);
  EXPECT_EQ(venue_->open_orders(), 0u);
}

// The market-maker rules and latency protection do not run together (the config says so).
TEST(SimulatedVenueConfigTest, MarketMakerRulesRefuseLatencyProtection) {
  SimulatedVenueConfig config = BasicConfig();
  config.market_maker.tick_worse_sizes = {Quantity(10)};
  config.latency_protection.enabled = true;
  EXPECT_THAT(std::string(ValidateSimulatedVenueConfig(config).message()),
              HasSubstr("market-maker rules and latency protection cannot run together"));
}

}  // namespace
}  // namespace combo::venues
