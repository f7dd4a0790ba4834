// SimulatedVenue with a complex-order book: routing of complex orders, cancels and replaces,
// complex fills and the leg owners' fills, native combo market data, triggers across steps,
// the exposure delay on the venue's scheduler, trading status, and the venue without a book.
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/simulated_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "venues/complex_book_test_util.h"
#include "venues/simulated_venue.h"

namespace combo::venues {
namespace {

using core::ComboId;
using core::InstrumentId;
using core::OrderId;
using core::ParticipantId;
using core::Price;
using core::Quantity;
using core::Side;
using testing::Cents;
using ::testing::HasSubstr;
using testing::MakeCombo;

constexpr InstrumentId kLeg1(3);
constexpr InstrumentId kLeg2(4);
constexpr ComboId kTwoToOne(2);
constexpr ComboId kUnlistedCombo(77);

class Recorder : public VenueListener {
 public:
  void OnAck(const OrderAcked& e) override { acks.push_back(e); }
  void OnReject(const OrderRejected& e) override { rejects.push_back(e); }
  void OnFill(const Fill& e) override { fills.push_back(e); }
  void OnComplexFill(const ComplexFill& e) override { complex_fills.push_back(e); }
  void OnCancelled(const OrderCancelled& e) override { cancels.push_back(e); }
  void OnRestated(const OrderRestated& e) override { restates.push_back(e); }
  std::vector<OrderAcked> acks;
  std::vector<OrderRejected> rejects;
  std::vector<Fill> fills;
  std::vector<ComplexFill> complex_fills;
  std::vector<OrderCancelled> cancels;
  std::vector<OrderRestated> restates;
};

class MarketData : public MarketDataListener {
 public:
  void OnLegBookUpdate(const core::LegBookUpdate& update) override { legs.push_back(update); }
  void OnNativeComboUpdate(const core::NativeComboUpdate& update) override {
    combos.push_back(update);
  }
  void OnTradePrint(const core::TradePrint& print) override { prints.push_back(print); }
  void OnComboTradePrint(const core::ComboTradePrint& print) override {
    combo_prints.push_back(print);
  }
  std::vector<core::LegBookUpdate> legs;
  std::vector<core::NativeComboUpdate> combos;
  std::vector<core::TradePrint> prints;
  std::vector<core::ComboTradePrint> combo_prints;
};

SimulatedVenueConfig Config(bool with_complex_book = true) {
  SimulatedVenueConfig config;
  config.id = core::VenueId(5);
  config.name = "ISE-SIM";
  config.instruments = {{kLeg1, Cents(1)}, {kLeg2, Cents(1)}};
  config.maker_fee_per_contract = -Cents(10);
  config.taker_fee_per_contract = Cents(20);
  config.latency.inbound.complex_order.fixed = core::Duration::Microseconds(100);
  config.latency.inbound.new_order.fixed = core::Duration::Microseconds(100);
  config.latency.outbound.fill.fixed = core::Duration::Microseconds(50);
  config.latency.outbound.market_data.fixed = core::Duration::Microseconds(30);
  if (with_complex_book) {
    config.complex_book.enabled = true;
    config.complex_book.combos.push_back(
        MakeCombo(kTwoToOne.value(), {{kLeg1, 2, Side::kBuy}, {kLeg2, 1, Side::kSell}}));
  }
  return config;
}

OrderRequest Leg(uint32_t participant, uint64_t id, InstrumentId instrument, Side side, Price price,
                 int64_t quantity) {
  OrderRequest request;
  request.participant = ParticipantId(participant);
  request.order_id = OrderId(id);
  request.instrument = instrument;
  request.side = side;
  request.limit_price = price;
  request.quantity = Quantity(quantity);
  return request;
}

ComplexOrderRequest Complex(uint32_t participant, uint64_t id, Side side, Price price,
                            int64_t quantity, ComboId combo = kTwoToOne) {
  ComplexOrderRequest request;
  request.participant = ParticipantId(participant);
  request.order_id = OrderId(id);
  request.combo = combo;
  request.side = side;
  request.limit_price = price;
  request.quantity = Quantity(quantity);
  return request;
}

Price Dollars(int64_t units) { return Price::FromParts(units, 0); }

class ComplexVenueTest : public ::testing::Test {
 protected:
  void SetUp() override { Build(Config()); }
  void Build(SimulatedVenueConfig config) {
    venue_ = SimulatedVenue::Create(std::move(config), &time_).value();
    for (uint32_t p = 1; p <= 3; ++p) {
      ASSERT_TRUE(venue_->Connect(ParticipantId(p), &recorders_[p - 1]).ok());
    }
    ASSERT_TRUE(venue_->Subscribe(&market_data_).ok());
  }
  Recorder& alice() { return recorders_[0]; }
  Recorder& bob() { return recorders_[1]; }
  Recorder& carol() { return recorders_[2]; }

  // EX-C1's leg books: Bob sells 100 Leg 1 @ 10, Carol bids 30 Leg 2 @ 5.
  void SeedExC1() {
    ASSERT_TRUE(venue_->Submit(Leg(2, 1, kLeg1, Side::kSell, Dollars(10), 100)).ok());
    ASSERT_TRUE(venue_->Submit(Leg(3, 1, kLeg2, Side::kBuy, Dollars(5), 30)).ok());
    time_.RunUntilIdle();
  }

  core::SimulatedTime time_;
  Recorder recorders_[3];
  MarketData market_data_;
  std::unique_ptr<SimulatedVenue> venue_;
};

TEST_F(ComplexVenueTest, VenueWithoutComplexBookRejectsComplexOrdersWithAReason) {
  Build(Config(/*with_complex_book=*/false));
  EXPECT_FALSE(venue_->TradesNatively(kTwoToOne));
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 1, Side::kBuy, Dollars(15), 5)).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().rejects.size(), 1u);
  EXPECT_EQ(alice().rejects[0].code, RejectCode::kNoComplexBook);
  EXPECT_EQ(alice().rejects[0].request, RequestKind::kNewComplex);
  EXPECT_THAT(alice().rejects[0].reason, HasSubstr("has no complex-order book"));
  EXPECT_FALSE(venue_->NativeTopOfBook(kTwoToOne).ok());
}

TEST_F(ComplexVenueTest, TradesNativelyAnswersFromTheConfig) {
  EXPECT_TRUE(venue_->TradesNatively(kTwoToOne));
  EXPECT_FALSE(venue_->TradesNatively(kUnlistedCombo));
}

TEST_F(ComplexVenueTest, ComplexOrderForAnUnlistedComboIsRejected) {
  ASSERT_TRUE(
      venue_->SubmitComplex(Complex(1, 1, Side::kBuy, Dollars(15), 5, kUnlistedCombo)).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().rejects.size(), 1u);
  EXPECT_EQ(alice().rejects[0].code, RejectCode::kUnknownCombo);
  EXPECT_THAT(alice().rejects[0].reason, HasSubstr("combo 77"));
  EXPECT_EQ(venue_->open_orders(), 0u);
}

// Seed 001 Part B R4, "delete after n minutes": two resting complex orders with a 2-minute
// lifetime; the first, cancelled by its owner before, is not touched again, the second is deleted
// by the venue when its lifetime runs out (cancelled, reason expired, its leaves); a lifetime on
// an IOC, or one that is not positive, is refused.
TEST_F(ComplexVenueTest, R4AComplexOrderDeletedAfterNMinutesIsCancelledAsExpired) {
  ComplexOrderRequest cancelled = Complex(1, 1, Side::kBuy, Dollars(15), 5);
  cancelled.time_in_force = TimeInForce::kGoodTillCancel;
  cancelled.delete_after = core::Duration::Seconds(120);
  ASSERT_TRUE(venue_->SubmitComplex(cancelled).ok());
  ComplexOrderRequest expiring = Complex(1, 2, Side::kBuy, Dollars(15), 3);
  expiring.delete_after = core::Duration::Seconds(120);
  ASSERT_TRUE(venue_->SubmitComplex(expiring).ok());
  // (RunUntilIdle would run the lifetimes' timers too: time moves by steps here.)
  time_.AdvanceBy(core::Duration::Seconds(10));
  ASSERT_EQ(alice().acks.size(), 2u);
  ASSERT_TRUE(venue_->Cancel(CancelRequest{ParticipantId(1), OrderId(1)}).ok());
  time_.AdvanceBy(core::Duration::Seconds(109));
  ASSERT_EQ(alice().cancels.size(), 1u);
  EXPECT_EQ(alice().cancels[0].reason, CancelReason::kRequested);
  // The lifetime counts from the venue's acceptance, after the 100 us inbound latency.
  time_.AdvanceBy(core::Duration::Seconds(1));
  ASSERT_EQ(alice().cancels.size(), 1u);
  time_.AdvanceBy(core::Duration::Milliseconds(1));
  ASSERT_EQ(alice().cancels.size(), 2u);
  EXPECT_EQ(alice().cancels[1].order_id, OrderId(2));
  EXPECT_EQ(alice().cancels[1].reason, CancelReason::kExpired);
  EXPECT_EQ(alice().cancels[1].cancelled_quantity, Quantity(3));
  EXPECT_EQ(venue_->open_orders(), 0u);

  ComplexOrderRequest ioc = Complex(1, 3, Side::kBuy, Dollars(15), 1);
  ioc.time_in_force = TimeInForce::kImmediateOrCancel;
  ioc.delete_after = core::Duration::Seconds(60);
  ComplexOrderRequest zero = Complex(1, 4, Side::kBuy, Dollars(15), 1);
  zero.delete_after = core::Duration::Zero();
  ASSERT_TRUE(venue_->SubmitComplex(ioc).ok());
  ASSERT_TRUE(venue_->SubmitComplex(zero).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().rejects.size(), 2u);
  EXPECT_EQ(alice().rejects[0].code, RejectCode::kUnsupportedCondition);
  EXPECT_THAT(alice().rejects[0].reason, HasSubstr("applies to an order that rests"));
  EXPECT_EQ(alice().rejects[1].code, RejectCode::kInvalidRequest);
  EXPECT_THAT(alice().rejects[1].reason, HasSubstr("the lifetime must be positive"));
  EXPECT_EQ(venue_->open_orders(), 0u);
}

TEST_F(ComplexVenueTest, ExC1LegInReportsTheComplexFillAndTheLegOwnersFills) {
  SeedExC1();
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 7, Side::kBuy, Dollars(15), 50)).ok());
  // Nothing reaches anyone before the inbound and outbound latencies have passed.
  time_.AdvanceBy(core::Duration::Microseconds(149));
  EXPECT_TRUE(alice().complex_fills.empty());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().acks.size(), 1u);
  EXPECT_EQ(alice().acks[0].request, RequestKind::kNewComplex);
  ASSERT_EQ(alice().complex_fills.size(), 1u);
  const ComplexFill& fill = alice().complex_fills[0];
  EXPECT_EQ(fill.combo, kTwoToOne);
  EXPECT_EQ(fill.quantity, Quantity(30));
  EXPECT_EQ(fill.leaves_quantity, Quantity(20));
  EXPECT_EQ(fill.net_price, Dollars(15));
  EXPECT_EQ(fill.liquidity, Liquidity::kRemoved);
  // 90 contracts at the 0.20 taker fee.
  EXPECT_EQ(fill.fee, core::Money::Notional(Cents(20), Quantity(90), 1));
  ASSERT_EQ(fill.legs.size(), 2u);
  EXPECT_EQ(fill.legs[0].instrument, kLeg1);
  EXPECT_EQ(fill.legs[0].side, Side::kBuy);
  EXPECT_EQ(fill.legs[0].quantity, Quantity(60));
  EXPECT_EQ(fill.legs[0].price, Dollars(10));
  EXPECT_EQ(fill.legs[1].side, Side::kSell);
  EXPECT_EQ(fill.legs[1].quantity, Quantity(30));
  EXPECT_EQ(fill.legs[1].price, Dollars(5));
  // The leg books' owners get ordinary fills.
  ASSERT_EQ(bob().fills.size(), 1u);
  EXPECT_EQ(bob().fills[0].quantity, Quantity(60));
  EXPECT_EQ(bob().fills[0].leaves_quantity, Quantity(40));
  EXPECT_EQ(bob().fills[0].liquidity, Liquidity::kAdded);
  ASSERT_EQ(carol().fills.size(), 1u);
  EXPECT_EQ(carol().fills[0].quantity, Quantity(30));
  EXPECT_EQ(carol().fills[0].price, Dollars(5));
  // Prints for both legs; the remainder is the native bid: 15 for 20 units.
  EXPECT_EQ(market_data_.prints.size(), 2u);
  ASSERT_FALSE(market_data_.combos.empty());
  const core::NativeComboUpdate& update = market_data_.combos.back();
  EXPECT_EQ(update.venue, core::VenueId(5));
  EXPECT_EQ(update.combo, kTwoToOne);
  // Numbered 1, 2, ... per combo (the leg orders' arrivals changed its legs-implied top first).
  for (size_t i = 0; i < market_data_.combos.size(); ++i) {
    EXPECT_EQ(market_data_.combos[i].sequence, i + 1);
  }
  EXPECT_EQ(update.top.bid, (core::PriceLevel{Dollars(15), Quantity(20)}));
  // Leg 2's bid is gone: nothing is left to leg into either way.
  EXPECT_TRUE(update.legs_implied.empty());
  EXPECT_FALSE(update.top.ask.has_value());
  EXPECT_EQ(venue_->NativeTopOfBook(kTwoToOne)->bid, update.top.bid);
}

TEST_F(ComplexVenueTest, D12LegOrderInALaterStepLegsTheRemainderIn) {
  SeedExC1();
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 7, Side::kBuy, Dollars(15), 50)).ok());
  time_.RunUntilIdle();
  ASSERT_TRUE(venue_->Submit(Leg(3, 2, kLeg2, Side::kBuy, Dollars(5), 20)).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().complex_fills.size(), 2u);
  EXPECT_EQ(alice().complex_fills[1].quantity, Quantity(20));
  EXPECT_EQ(alice().complex_fills[1].leaves_quantity, Quantity::Zero());
  EXPECT_EQ(alice().complex_fills[1].legs[0].quantity, Quantity(40));
  ASSERT_EQ(carol().fills.size(), 2u);
  EXPECT_EQ(carol().fills[1].order_id, OrderId(2));
  EXPECT_EQ(carol().fills[1].quantity, Quantity(20));
  // The native bid is gone: the last update shows an empty book.
  EXPECT_EQ(market_data_.combos.back().sequence, market_data_.combos.size());
  EXPECT_TRUE(market_data_.combos.back().top.empty());
  EXPECT_EQ(venue_->open_orders(), 0u);  // Bob's 100 of Leg 1 all bought
}

TEST_F(ComplexVenueTest, ComplexVersusComplexFillsBothSidesAtOneNetPrice) {
  // A two-sided market on both legs: high 2 x 10.10 - 4.90 = 15.30, low 2 x 9.90 - 5.10 = 14.70.
  ASSERT_TRUE(venue_->Submit(Leg(3, 1, kLeg1, Side::kBuy, Cents(990), 100)).ok());
  ASSERT_TRUE(venue_->Submit(Leg(3, 2, kLeg1, Side::kSell, Cents(1010), 100)).ok());
  ASSERT_TRUE(venue_->Submit(Leg(3, 3, kLeg2, Side::kBuy, Cents(490), 100)).ok());
  ASSERT_TRUE(venue_->Submit(Leg(3, 4, kLeg2, Side::kSell, Cents(510), 100)).ok());
  time_.RunUntilIdle();
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 1, Side::kBuy, Cents(1500), 10)).ok());
  time_.RunUntilIdle();
  ASSERT_TRUE(venue_->SubmitComplex(Complex(2, 1, Side::kSell, Cents(1490), 4)).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().complex_fills.size(), 1u);
  ASSERT_EQ(bob().complex_fills.size(), 1u);
  const ComplexFill& buy = alice().complex_fills[0];
  const ComplexFill& sell = bob().complex_fills[0];
  EXPECT_EQ(buy.net_price, Cents(1500));  // the older order's price
  EXPECT_EQ(sell.net_price, Cents(1500));
  EXPECT_EQ(buy.execution_id, sell.execution_id);
  EXPECT_EQ(buy.liquidity, Liquidity::kAdded);
  EXPECT_EQ(sell.liquidity, Liquidity::kRemoved);
  EXPECT_EQ(buy.leaves_quantity, Quantity(6));
  EXPECT_EQ(sell.leaves_quantity, Quantity::Zero());
  // The seller's legs are the buyer's legs with the sides flipped, at the same prices.
  ASSERT_EQ(sell.legs.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(sell.legs[i].side, core::Opposite(buy.legs[i].side));
    EXPECT_EQ(sell.legs[i].price, buy.legs[i].price);
    EXPECT_EQ(sell.legs[i].quantity, buy.legs[i].quantity);
  }
  EXPECT_EQ(buy.legs[0].price * 2 - buy.legs[1].price, Cents(1500));
  // No leg book traded: the only leg prints are the complex trade's own.
  EXPECT_TRUE(carol().fills.empty());
  for (const core::TradePrint& print : market_data_.prints) {
    EXPECT_EQ(print.kind, core::PrintKind::kComplexVsComplex);
  }
}

TEST_F(ComplexVenueTest, CancelAndReplaceReachTheComplexBook) {
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 1, Side::kBuy, Dollars(15), 10)).ok());
  time_.RunUntilIdle();
  ReplaceRequest replace;
  replace.participant = ParticipantId(1);
  replace.order_id = OrderId(1);
  replace.limit_price = Dollars(15);
  replace.total_quantity = Quantity(6);
  ASSERT_TRUE(venue_->Replace(replace).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().restates.size(), 1u);
  EXPECT_EQ(alice().restates[0].priority, QueuePriority::kKept);
  EXPECT_EQ(alice().restates[0].leaves_quantity, Quantity(6));
  EXPECT_EQ(venue_->NativeTopOfBook(kTwoToOne)->bid->quantity, Quantity(6));
  replace.limit_price = Price::FromParts(15, 5'000'000);  // off the 0.01 net tick
  ASSERT_TRUE(venue_->Replace(replace).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().rejects.size(), 1u);
  EXPECT_EQ(alice().rejects[0].code, RejectCode::kOffTick);
  ASSERT_TRUE(venue_->Cancel(CancelRequest{ParticipantId(1), OrderId(1)}).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().cancels.size(), 1u);
  EXPECT_EQ(alice().cancels[0].cancelled_quantity, Quantity(6));
  EXPECT_EQ(venue_->open_orders(), 0u);
  EXPECT_TRUE(market_data_.combos.back().top.empty());
  ASSERT_TRUE(venue_->Cancel(CancelRequest{ParticipantId(1), OrderId(1)}).ok());
  time_.RunUntilIdle();
  EXPECT_EQ(alice().rejects.back().code, RejectCode::kUnknownOrder);
}

TEST_F(ComplexVenueTest, ExposureDelayRunsOnTheVenueScheduler) {
  SeedExC1();
  ASSERT_TRUE(venue_->SetComplexExposureDelay(core::Duration::Seconds(2)).ok());
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 7, Side::kBuy, Dollars(15), 10)).ok());
  time_.AdvanceBy(core::Duration::Seconds(1));
  EXPECT_EQ(alice().acks.size(), 1u);
  EXPECT_TRUE(alice().complex_fills.empty());
  time_.AdvanceBy(core::Duration::Seconds(2));
  ASSERT_EQ(alice().complex_fills.size(), 1u);
  EXPECT_EQ(alice().complex_fills[0].quantity, Quantity(10));
  EXPECT_FALSE(venue_->SetComplexExposureDelay(core::Duration::Seconds(-1)).ok());
}

TEST_F(ComplexVenueTest, HaltedLegHoldsComplexOrdersUntilReopened) {
  ASSERT_TRUE(venue_->SetLegTradingStatus(kLeg2, LegTradingStatus::kHalted).ok());
  SeedExC1();
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 7, Side::kBuy, Dollars(15), 10)).ok());
  time_.RunUntilIdle();
  EXPECT_TRUE(alice().complex_fills.empty());
  ASSERT_TRUE(venue_->SetLegTradingStatus(kLeg2, LegTradingStatus::kOpen).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().complex_fills.size(), 1u);
  EXPECT_FALSE(venue_->SetLegTradingStatus(InstrumentId(99), LegTradingStatus::kOpen).ok());
}

TEST_F(ComplexVenueTest, EndOfDayCancelsComplexDayOrders) {
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 1, Side::kBuy, Dollars(15), 10)).ok());
  ComplexOrderRequest gtc = Complex(1, 2, Side::kBuy, Dollars(14), 10);
  gtc.time_in_force = TimeInForce::kGoodTillCancel;
  ASSERT_TRUE(venue_->SubmitComplex(gtc).ok());
  time_.RunUntilIdle();
  venue_->EndOfDay();
  time_.RunUntilIdle();
  ASSERT_EQ(alice().cancels.size(), 1u);
  EXPECT_EQ(alice().cancels[0].order_id, OrderId(1));
  EXPECT_EQ(alice().cancels[0].reason, CancelReason::kEndOfDay);
  EXPECT_EQ(venue_->open_orders(), 1u);
}

TEST_F(ComplexVenueTest, DuplicateComplexOrderIdFailsAdmission) {
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 1, Side::kBuy, Dollars(15), 10)).ok());
  EXPECT_FALSE(venue_->SubmitComplex(Complex(1, 1, Side::kBuy, Dollars(15), 10)).ok());
}

TEST(ComplexVenueConfigTest, ComboOnAnUnlistedLegIsAConfigError) {
  SimulatedVenueConfig config = Config();
  config.complex_book.combos.push_back(
      MakeCombo(9, {{kLeg1, 1, Side::kBuy}, {InstrumentId(42), 1, Side::kSell}}));
  core::SimulatedTime time;
  absl::StatusOr<std::unique_ptr<SimulatedVenue>> venue =
      SimulatedVenue::Create(std::move(config), &time);
  ASSERT_FALSE(venue.ok());
  EXPECT_THAT(std::string(venue.status().message()), HasSubstr("leg instrument 42 is not listed"));
}

// ---------------------------------------------------------------------------------------------
// Prints by kind (seed 001 R18, R21, R50; docs/VENUES.md "Prints") and the customer rules the
// venue counts.

TEST_F(ComplexVenueTest, R50ExC1LegInPrintsTheComboThenItsLegsMarkedComplexVsLeg) {
  SeedExC1();
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 7, Side::kBuy, Dollars(15), 50)).ok());
  time_.RunUntilIdle();
  // The combo print: 30 units at 15 = 2 x 10 - 5, buying 60 Leg 1 and selling 30 Leg 2.
  ASSERT_EQ(market_data_.combo_prints.size(), 1u);
  const core::ComboTradePrint& combo = market_data_.combo_prints[0];
  EXPECT_EQ(combo.venue, core::VenueId(5));
  EXPECT_EQ(combo.combo, kTwoToOne);
  EXPECT_EQ(combo.sequence, 1u);
  EXPECT_EQ(combo.kind, core::PrintKind::kComplexVsLeg);
  EXPECT_EQ(combo.net_price, Dollars(15));
  EXPECT_EQ(combo.units, Quantity(30));
  EXPECT_EQ(combo.aggressor, Side::kBuy);
  ASSERT_EQ(combo.legs.size(), 2u);
  EXPECT_EQ(combo.legs[0].instrument, kLeg1);
  EXPECT_EQ(combo.legs[0].side, Side::kBuy);
  EXPECT_EQ(combo.legs[0].price, Dollars(10));
  EXPECT_EQ(combo.legs[0].quantity, Quantity(60));
  EXPECT_EQ(combo.legs[1].instrument, kLeg2);
  EXPECT_EQ(combo.legs[1].side, Side::kSell);
  EXPECT_EQ(combo.legs[1].price, Dollars(5));
  EXPECT_EQ(combo.legs[1].quantity, Quantity(30));
  // The leg books' trades print on the legs' tapes, marked as a complex order legging in.
  ASSERT_EQ(market_data_.prints.size(), 2u);
  EXPECT_EQ(market_data_.prints[0].instrument, kLeg1);
  EXPECT_EQ(market_data_.prints[0].price, Dollars(10));
  EXPECT_EQ(market_data_.prints[0].quantity, Quantity(60));
  EXPECT_EQ(market_data_.prints[0].aggressor, Side::kBuy);
  EXPECT_EQ(market_data_.prints[1].instrument, kLeg2);
  EXPECT_EQ(market_data_.prints[1].price, Dollars(5));
  EXPECT_EQ(market_data_.prints[1].aggressor, Side::kSell);
  for (const core::TradePrint& print : market_data_.prints) {
    EXPECT_EQ(print.kind, core::PrintKind::kComplexVsLeg);
  }
  const VenueActivity& activity = venue_->activity();
  EXPECT_EQ(activity.prints(PrintSubject::kCombo, core::PrintKind::kComplexVsLeg), 1);
  EXPECT_EQ(activity.prints(PrintSubject::kLeg, core::PrintKind::kComplexVsLeg), 2);
  EXPECT_EQ(activity.prints(PrintSubject::kLeg, core::PrintKind::kLegVsLeg), 0);
  // EX-C1's remainder of 20 units rests: one resting complex order (the seeded legs rest too).
  EXPECT_EQ(activity.resting_orders(BookKind::kComplex, ParticipantRole::kProfessional), 1);
  EXPECT_EQ(activity.resting_orders(BookKind::kLeg, ParticipantRole::kProfessional), 2);
}

TEST_F(ComplexVenueTest, R18ComplexVsComplexPrintsTheComboAndEachLegMarkedComplex) {
  ASSERT_TRUE(venue_->Submit(Leg(3, 1, kLeg1, Side::kBuy, Cents(990), 100)).ok());
  ASSERT_TRUE(venue_->Submit(Leg(3, 2, kLeg1, Side::kSell, Cents(1010), 100)).ok());
  ASSERT_TRUE(venue_->Submit(Leg(3, 3, kLeg2, Side::kBuy, Cents(490), 100)).ok());
  ASSERT_TRUE(venue_->Submit(Leg(3, 4, kLeg2, Side::kSell, Cents(510), 100)).ok());
  ASSERT_TRUE(venue_->Submit(Leg(1, 9, kLeg2, Side::kSell, Cents(490), 1)).ok());  // a leg trade
  time_.RunUntilIdle();
  ASSERT_EQ(market_data_.prints.size(), 1u);
  EXPECT_EQ(market_data_.prints[0].kind, core::PrintKind::kLegVsLeg);
  EXPECT_EQ(market_data_.prints[0].sequence, 1u);
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 1, Side::kBuy, Cents(1500), 10)).ok());
  time_.RunUntilIdle();
  ASSERT_TRUE(venue_->SubmitComplex(Complex(2, 1, Side::kSell, Cents(1490), 4)).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().complex_fills.size(), 1u);
  const ComplexFill& buy = alice().complex_fills[0];
  ASSERT_EQ(market_data_.combo_prints.size(), 1u);
  const core::ComboTradePrint& combo = market_data_.combo_prints[0];
  EXPECT_EQ(combo.kind, core::PrintKind::kComplexVsComplex);
  EXPECT_EQ(combo.net_price, Cents(1500));  // the older order's price
  EXPECT_EQ(combo.units, Quantity(4));
  EXPECT_EQ(combo.aggressor, Side::kSell);  // the incoming seller removed
  ASSERT_EQ(combo.legs.size(), 2u);
  // Each leg prints at the price the complex trade gave it, on its own tape, marked complex.
  ASSERT_EQ(market_data_.prints.size(), 3u);
  for (size_t i = 0; i < 2; ++i) {
    const core::TradePrint& leg = market_data_.prints[1 + i];
    EXPECT_EQ(leg.kind, core::PrintKind::kComplexVsComplex);
    EXPECT_EQ(leg.instrument, buy.legs[i].instrument);
    EXPECT_EQ(leg.price, buy.legs[i].price);
    EXPECT_EQ(leg.quantity, buy.legs[i].quantity);
    EXPECT_EQ(combo.legs[i].price, buy.legs[i].price);
    EXPECT_EQ(combo.legs[i].quantity, buy.legs[i].quantity);
    // The incoming seller sells the buyer's buy legs and buys its sell legs.
    EXPECT_EQ(leg.aggressor, core::Opposite(buy.legs[i].side));
  }
  EXPECT_EQ(market_data_.prints[1].quantity, Quantity(8));
  EXPECT_EQ(market_data_.prints[2].quantity, Quantity(4));
  EXPECT_EQ(market_data_.prints[1].sequence, 1u);  // Leg 1's first print
  EXPECT_EQ(market_data_.prints[2].sequence, 2u);  // after Leg 2's regular trade
  EXPECT_EQ(combo.legs[0].price * 2 - combo.legs[1].price, combo.net_price);
  const VenueActivity& activity = venue_->activity();
  EXPECT_EQ(activity.prints(PrintSubject::kCombo, core::PrintKind::kComplexVsComplex), 1);
  EXPECT_EQ(activity.prints(PrintSubject::kLeg, core::PrintKind::kComplexVsComplex), 2);
  EXPECT_EQ(activity.prints(PrintSubject::kLeg, core::PrintKind::kLegVsLeg), 1);
  EXPECT_EQ(activity.complex_trades_at_customer_edge(), 0);  // no customer in the books
}

TEST_F(ComplexVenueTest, R16AComplexTradeWithACustomerAtTheLowIsCountedAndStepsOffTheCustomer) {
  ASSERT_TRUE(venue_->Submit(Leg(3, 2, kLeg1, Side::kSell, Cents(1010), 100)).ok());
  ASSERT_TRUE(venue_->Submit(Leg(3, 3, kLeg2, Side::kBuy, Cents(490), 100)).ok());
  ASSERT_TRUE(venue_->Submit(Leg(3, 4, kLeg2, Side::kSell, Cents(510), 100)).ok());
  OrderRequest customer = Leg(3, 1, kLeg1, Side::kBuy, Cents(990), 100);
  customer.role = ParticipantRole::kCustomer;
  ASSERT_TRUE(venue_->Submit(customer).ok());
  time_.RunUntilIdle();
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 1, Side::kBuy, Cents(1500), 10)).ok());
  time_.RunUntilIdle();
  ASSERT_TRUE(venue_->SubmitComplex(Complex(2, 1, Side::kSell, Cents(1490), 4)).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(market_data_.combo_prints.size(), 1u);
  // The low uses Leg 1's bid, where the customer rests: Leg 1 does not print at 9.90.
  EXPECT_GT(market_data_.combo_prints[0].legs[0].price, Cents(990));
  EXPECT_EQ(venue_->activity().complex_trades_at_customer_edge(), 1);
  EXPECT_EQ(venue_->activity().resting_orders(BookKind::kLeg, ParticipantRole::kCustomer), 1);
}

// Bob (a market maker) bids 10 Leg 1 @ 1, then Carol (a customer) joins with 2; Alice sells 5 IOC.
void MakerThenCustomerBidThenASellerOn(SimulatedVenue& venue, core::SimulatedTime& time) {
  OrderRequest maker = Leg(2, 1, kLeg1, Side::kBuy, Dollars(1), 10);
  maker.role = ParticipantRole::kMarketMaker;
  ASSERT_TRUE(venue.Submit(maker).ok());
  time.RunUntilIdle();
  OrderRequest customer = Leg(3, 1, kLeg1, Side::kBuy, Dollars(1), 2);
  customer.role = ParticipantRole::kCustomer;
  ASSERT_TRUE(venue.Submit(customer).ok());
  time.RunUntilIdle();
  OrderRequest seller = Leg(1, 1, kLeg1, Side::kSell, Dollars(1), 5);
  seller.time_in_force = TimeInForce::kImmediateOrCancel;
  ASSERT_TRUE(venue.Submit(seller).ok());
  time.RunUntilIdle();
}

// Seed 001 R30 at a seed-001 venue: a customer who joined a price after a market maker is filled
// first; the venue counts the level as a customer-priority allocation (and exports it).
TEST_F(ComplexVenueTest,
       R30CustomerFilledAheadOfAnEarlierMarketMakerIsACustomerPriorityAllocation) {
  prometheus::Registry registry;
  SimulatedVenueConfig config = Config();
  config.allocation = AllocationRule::kSeed001Options;
  config.metrics = &registry;
  Build(std::move(config));
  MakerThenCustomerBidThenASellerOn(*venue_, time_);
  ASSERT_EQ(carol().fills.size(), 1u);
  EXPECT_EQ(carol().fills[0].quantity, Quantity(2));
  ASSERT_EQ(bob().fills.size(), 1u);
  EXPECT_EQ(bob().fills[0].quantity, Quantity(3));
  EXPECT_LT(carol().fills[0].execution_id, bob().fills[0].execution_id);
  EXPECT_EQ(venue_->activity().customer_priority_allocations(), 1);
  EXPECT_EQ(venue_->activity().resting_orders(BookKind::kLeg, ParticipantRole::kCustomer), 1);
  EXPECT_EQ(venue_->activity().resting_orders(BookKind::kLeg, ParticipantRole::kMarketMaker), 1);
  double exported = -1;
  for (const auto& family : registry.Collect()) {
    if (family.name != "combo_venue_customer_priority_allocations_total") continue;
    ASSERT_EQ(family.metric.size(), 1u);
    exported = family.metric[0].counter.value;
  }
  EXPECT_EQ(exported, 1);
}

TEST_F(ComplexVenueTest, R30PriceTimeVenueFillsTheEarlierMakerFirstAndCountsNoPriority) {
  MakerThenCustomerBidThenASellerOn(*venue_, time_);
  ASSERT_EQ(bob().fills.size(), 1u);
  EXPECT_EQ(bob().fills[0].quantity, Quantity(5));
  EXPECT_TRUE(carol().fills.empty());
  EXPECT_EQ(venue_->activity().customer_priority_allocations(), 0);
}

// ---- Seed 001 R5: the entering user's changes that keep time priority ----

ReplaceRequest Change(uint32_t participant, uint64_t id, Price price, int64_t total) {
  ReplaceRequest replace;
  replace.participant = ParticipantId(participant);
  replace.order_id = OrderId(id);
  replace.limit_price = price;
  replace.total_quantity = Quantity(total);
  return replace;
}

// Carol's leg quotes give the 2:1 combo the range [2 x 9 - 6, 2 x 11 - 4] = [12, 18], so complex
// orders at 15 match each other and none legs in.
void SeedRangeTwelveToEighteen(SimulatedVenue& venue, core::SimulatedTime& time) {
  ASSERT_TRUE(venue.Submit(Leg(3, 10, kLeg1, Side::kBuy, Dollars(9), 100)).ok());
  ASSERT_TRUE(venue.Submit(Leg(3, 11, kLeg1, Side::kSell, Dollars(11), 100)).ok());
  ASSERT_TRUE(venue.Submit(Leg(3, 12, kLeg2, Side::kBuy, Dollars(4), 100)).ok());
  ASSERT_TRUE(venue.Submit(Leg(3, 13, kLeg2, Side::kSell, Dollars(6), 100)).ok());
  time.RunUntilIdle();
}

// Decrease the volume, open -> close, GTC -> rest of day, new broker, client, free text and
// clearing member: one replace, time priority kept (Alice still trades before Bob's later order
// at the same price), the fill carries the new terms, and the day's end now cancels the rest.
TEST_F(ComplexVenueTest, R5AdministrativeChangesKeepTimePriorityAndReachTheFills) {
  SeedRangeTwelveToEighteen(*venue_, time_);
  ComplexOrderRequest gtc = Complex(1, 1, Side::kBuy, Dollars(15), 10);
  gtc.time_in_force = TimeInForce::kGoodTillCancel;
  gtc.details = ComplexOrderDetails{PositionEffect::kOpen, "BRK1", "CLI1", "entered", "CM1"};
  ASSERT_TRUE(venue_->SubmitComplex(gtc).ok());
  time_.RunUntilIdle();
  ASSERT_TRUE(venue_->SubmitComplex(Complex(2, 1, Side::kBuy, Dollars(15), 10)).ok());
  time_.RunUntilIdle();

  ReplaceRequest change = Change(1, 1, Dollars(15), 8);
  change.time_in_force = TimeInForce::kDay;
  const ComplexOrderDetails changed{PositionEffect::kClose, "BRK2", "CLI2", "rest of day", "CM2"};
  change.details = changed;
  ASSERT_TRUE(venue_->Replace(change).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().restates.size(), 1u);
  EXPECT_EQ(alice().restates[0].priority, QueuePriority::kKept);
  EXPECT_EQ(alice().restates[0].leaves_quantity, Quantity(8));
  EXPECT_EQ(venue_->NativeTopOfBook(kTwoToOne)->bid, (core::PriceLevel{Dollars(15), Quantity(18)}));

  // Carol sells 6 at 15: Alice's order, still the older, trades first and whole.
  ASSERT_TRUE(venue_->SubmitComplex(Complex(3, 1, Side::kSell, Dollars(15), 6)).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().complex_fills.size(), 1u);
  EXPECT_TRUE(bob().complex_fills.empty());
  EXPECT_EQ(alice().complex_fills[0].quantity, Quantity(6));
  EXPECT_EQ(alice().complex_fills[0].leaves_quantity, Quantity(2));
  EXPECT_EQ(alice().complex_fills[0].details, changed);
  EXPECT_EQ(carol().complex_fills[0].details, ComplexOrderDetails{});

  // GTC became Day: the venue's end of day cancels Alice's rest as it does Bob's.
  venue_->EndOfDay();
  time_.RunUntilIdle();
  ASSERT_EQ(alice().cancels.size(), 1u);
  EXPECT_EQ(alice().cancels[0].reason, CancelReason::kEndOfDay);
  EXPECT_EQ(alice().cancels[0].cancelled_quantity, Quantity(2));
  EXPECT_EQ(venue_->open_orders(), 0u);
}

// An interest order takes its place in time without being displayed or traded; changed to a
// limit order it is displayed and trades in the time it entered, ahead of a later limit order.
TEST_F(ComplexVenueTest, R5InterestOrderBecomesALimitOrderInTheTimeItEntered) {
  SeedRangeTwelveToEighteen(*venue_, time_);
  ComplexOrderRequest interest = Complex(1, 1, Side::kBuy, Dollars(15), 5);
  interest.type = OrderType::kInterest;
  ASSERT_TRUE(venue_->SubmitComplex(interest).ok());
  time_.RunUntilIdle();
  ASSERT_TRUE(venue_->SubmitComplex(Complex(2, 1, Side::kBuy, Dollars(15), 5)).ok());
  time_.RunUntilIdle();
  EXPECT_EQ(venue_->NativeTopOfBook(kTwoToOne)->bid, (core::PriceLevel{Dollars(15), Quantity(5)}));
  // Not traded while an interest: Carol's sell meets Bob's order only.
  ASSERT_TRUE(venue_->SubmitComplex(Complex(3, 1, Side::kSell, Dollars(15), 2)).ok());
  time_.RunUntilIdle();
  EXPECT_TRUE(alice().complex_fills.empty());
  ASSERT_EQ(bob().complex_fills.size(), 1u);

  ReplaceRequest to_limit = Change(1, 1, Dollars(15), 5);
  to_limit.type = OrderType::kLimit;
  ASSERT_TRUE(venue_->Replace(to_limit).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().restates.size(), 1u);
  EXPECT_EQ(alice().restates[0].priority, QueuePriority::kKept);
  EXPECT_EQ(venue_->NativeTopOfBook(kTwoToOne)->bid, (core::PriceLevel{Dollars(15), Quantity(8)}));
  ASSERT_TRUE(venue_->SubmitComplex(Complex(3, 2, Side::kSell, Dollars(15), 5)).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().complex_fills.size(), 1u);
  EXPECT_EQ(alice().complex_fills[0].quantity, Quantity(5));
  EXPECT_EQ(bob().complex_fills.size(), 1u);
}

// What R5 does not allow is refused with a reason and changes nothing: a limit order to
// interest, a validity that does not rest, an interest order that does not rest, and any R5
// change of (or new interest) leg order.
TEST_F(ComplexVenueTest, R5ChangesOutsideTheRuleAreRejectedWithAReason) {
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 1, Side::kBuy, Dollars(15), 5)).ok());
  ASSERT_TRUE(venue_->Submit(Leg(1, 2, kLeg1, Side::kBuy, Dollars(9), 5)).ok());
  time_.RunUntilIdle();
  ReplaceRequest to_interest = Change(1, 1, Dollars(15), 5);
  to_interest.type = OrderType::kInterest;
  ReplaceRequest to_ioc = Change(1, 1, Dollars(15), 5);
  to_ioc.time_in_force = TimeInForce::kImmediateOrCancel;
  ReplaceRequest leg_details = Change(1, 2, Dollars(9), 5);
  leg_details.details = ComplexOrderDetails{PositionEffect::kClose, "", "", "", "CM9"};
  for (const ReplaceRequest& request : {to_interest, to_ioc, leg_details}) {
    ASSERT_TRUE(venue_->Replace(request).ok());
  }
  ComplexOrderRequest ioc_interest = Complex(1, 3, Side::kBuy, Dollars(15), 5);
  ioc_interest.type = OrderType::kInterest;
  ioc_interest.time_in_force = TimeInForce::kImmediateOrCancel;
  ASSERT_TRUE(venue_->SubmitComplex(ioc_interest).ok());
  OrderRequest leg_interest = Leg(1, 4, kLeg1, Side::kBuy, Dollars(9), 5);
  leg_interest.type = OrderType::kInterest;
  ASSERT_TRUE(venue_->Submit(leg_interest).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().rejects.size(), 5u);
  for (const OrderRejected& reject : alice().rejects) {
    EXPECT_EQ(reject.code, RejectCode::kUnsupportedCondition) << reject.reason;
  }
  EXPECT_THAT(alice().rejects[0].reason, HasSubstr("only from interest to limit"));
  EXPECT_THAT(alice().rejects[1].reason, HasSubstr("between day and gtc only"));
  EXPECT_THAT(alice().rejects[2].reason, HasSubstr("applies to complex orders only"));
  EXPECT_THAT(alice().rejects[3].reason, HasSubstr("its time in force must be day or gtc"));
  EXPECT_THAT(alice().rejects[4].reason, HasSubstr("an interest order is a complex order only"));
  EXPECT_TRUE(alice().restates.empty());
  EXPECT_EQ(venue_->NativeTopOfBook(kTwoToOne)->bid, (core::PriceLevel{Dollars(15), Quantity(5)}));
  EXPECT_EQ(venue_->TopOfBook(kLeg1)->bid, (core::PriceLevel{Dollars(9), Quantity(5)}));
}

// ---- R17 published: the legs-implied top ----

// EX-C1's leg books (sell 100 Leg 1 @ 10, bid 30 Leg 2 @ 5) imply, for the 2:1 combo, an ask
// of 2 x 10 - 5 = 15 for min(100 / 2, 30 / 1) = 30 units and no bid (Leg 1 has none): published
// with the native top and readable without latency.
// R22 at the venue: Leg 2 is a stock whose short sales the up-tick rule restricts, and the
// venue's own trades in it are its last sales. After 5.01 then 5.00 (a down-tick), EX-C1's
// complex buy marked short (50 units at 15) cannot sell Leg 2 at the bid of 5 and rests. Bob then
// offers 1 @ 5.01 and Carol buys 31 @ 5.01: the print at 5.01 is an up-tick (the trigger) and
// Carol's 30 rest at 5.01, where the short sale may now sell: 30 units at 2 x 10 - 5.01 = 14.99.
TEST_F(ComplexVenueTest, R22TheVenuesStockPrintsAreTheLastSaleAndAnUpTickLegsTheShortSaleIn) {
  SimulatedVenueConfig config = Config();
  config.complex_book.up_tick_restricted = {kLeg2};
  Build(std::move(config));
  for (int64_t cents : {501, 500}) {
    const Price price = Price::FromParts(cents / 100, (cents % 100) * 10'000'000);
    ASSERT_TRUE(
        venue_->Submit(Leg(2, static_cast<uint64_t>(cents), kLeg2, Side::kSell, price, 1)).ok());
    ASSERT_TRUE(
        venue_->Submit(Leg(1, static_cast<uint64_t>(cents), kLeg2, Side::kBuy, price, 1)).ok());
    time_.RunUntilIdle();
  }
  ASSERT_EQ(market_data_.prints.size(), 2u);
  SeedExC1();
  ComplexOrderRequest short_sale = Complex(1, 7, Side::kBuy, Dollars(15), 50);
  short_sale.short_sale = true;
  ASSERT_TRUE(venue_->SubmitComplex(short_sale).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().acks.size(), 3u);
  EXPECT_TRUE(alice().complex_fills.empty());
  const Price five_01 = Price::FromParts(5, 10'000'000);
  ASSERT_TRUE(venue_->Submit(Leg(2, 2, kLeg2, Side::kSell, five_01, 1)).ok());
  ASSERT_TRUE(venue_->Submit(Leg(3, 2, kLeg2, Side::kBuy, five_01, 31)).ok());
  time_.RunUntilIdle();
  ASSERT_EQ(alice().complex_fills.size(), 1u);
  EXPECT_EQ(alice().complex_fills[0].quantity, Quantity(30));
  EXPECT_EQ(alice().complex_fills[0].net_price, Price::FromParts(14, 990'000'000));
  EXPECT_EQ(alice().complex_fills[0].legs[1].price, five_01);
  EXPECT_EQ(alice().complex_fills[0].leaves_quantity, Quantity(20));
}

TEST_F(ComplexVenueTest, R17LegsImpliedTopIsPublishedRatioAware) {
  SeedExC1();
  ASSERT_FALSE(market_data_.combos.empty());
  const core::NativeComboUpdate& update = market_data_.combos.back();
  EXPECT_TRUE(update.top.empty());
  EXPECT_EQ(update.legs_implied.ask, (core::PriceLevel{Dollars(15), Quantity(30)}));
  EXPECT_FALSE(update.legs_implied.bid.has_value());
  EXPECT_EQ(*venue_->LegsImpliedTopOfBook(kTwoToOne), update.legs_implied);
  // A halted leg cannot be legged into: both sides go.
  ASSERT_TRUE(venue_->SetLegTradingStatus(kLeg2, LegTradingStatus::kHalted).ok());
  time_.RunUntilIdle();
  EXPECT_TRUE(market_data_.combos.back().legs_implied.empty());
  EXPECT_FALSE(venue_->LegsImpliedTopOfBook(kUnlistedCombo).ok());
}

// ---- R10 (OPRA trigger) and R15 (inverted legs) with the away market ----

constexpr core::VenueId kAwayVenue(6);

// The complex venue runs AOP only for a participant that never trades here (99), so its
// third-party market, fed by the away venue, serves only as the complex book's away market.
class ComplexAwayMarketTest : public ComplexVenueTest {
 protected:
  void SetUp() override {
    SimulatedVenueConfig away;
    away.id = kAwayVenue;
    away.name = "AWAY";
    away.instruments = {{kLeg1, Cents(1)}, {kLeg2, Cents(1)}};
    away_ = SimulatedVenue::Create(std::move(away), &time_).value();
    ASSERT_TRUE(away_->Connect(ParticipantId(9), &away_orders_).ok());
    SimulatedVenueConfig config = Config();
    config.complex_book.combos = {
        MakeCombo(kSpread.value(), {{kLeg1, 1, Side::kBuy}, {kLeg2, 1, Side::kSell}})};
    config.aop.enabled = true;
    config.aop.third_party.sources = {kAwayVenue};
    config.aop.third_party.stale_after = core::Duration::Seconds(30);
    config.aop.coverage = AopCoverage::kListedParticipants;
    config.aop.protected_participants = {ParticipantId(99)};
    Build(std::move(config));
    ASSERT_TRUE(venue_->ConnectAopSource(*away_).ok());
  }
  // EX-C2's legs at the complex venue: S1 (Leg 1) 0.50 / 0.60, S2 (Leg 2) 0.30 / 0.40, 100 each:
  // the spread's range is [0.10, 0.30].
  void SeedExC2() {
    uint64_t id = 1;
    for (auto [instrument, bid, ask] :
         {std::tuple{kLeg1, Cents(50), Cents(60)}, std::tuple{kLeg2, Cents(30), Cents(40)}}) {
      ASSERT_TRUE(venue_->Submit(Leg(2, id++, instrument, Side::kBuy, bid, 100)).ok());
      ASSERT_TRUE(venue_->Submit(Leg(2, id++, instrument, Side::kSell, ask, 100)).ok());
    }
    time_.AdvanceBy(core::Duration::Milliseconds(1));
  }
  void Away(uint64_t id, InstrumentId instrument, Side side, Price price) {
    ASSERT_TRUE(away_->Submit(Leg(9, id, instrument, side, price, 10)).ok());
    time_.AdvanceBy(core::Duration::Milliseconds(1));
  }

  static constexpr ComboId kSpread{8};
  Recorder away_orders_;
  std::unique_ptr<SimulatedVenue> away_;
};

// The away market offers S1 at 0.58, below the complex venue's 0.60: buying the spread would
// leg S1 in through the away market, so S1 is inverted for a buyer. A buy at the high (0.30)
// does not leg in and rests; the venue publishes no legs-implied ask (a seller of the spread
// still legs in: its bid stays). When the away offer goes (an OPRA BBO update, R10 trigger 3),
// the order is evaluated again and legs in at 0.30.
TEST_F(ComplexAwayMarketTest, R15InvertedLegBlocksLegInUntilTheAwayMarketUpdateRetriggers) {
  SeedExC2();
  Away(1, kLeg1, Side::kSell, Cents(58));
  EXPECT_FALSE(venue_->LegsImpliedTopOfBook(kSpread)->ask.has_value());
  EXPECT_EQ(venue_->LegsImpliedTopOfBook(kSpread)->bid,
            (core::PriceLevel{Cents(10), Quantity(100)}));
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 1, Side::kBuy, Cents(30), 10, kSpread)).ok());
  time_.AdvanceBy(core::Duration::Milliseconds(1));
  EXPECT_TRUE(alice().complex_fills.empty());
  EXPECT_EQ(venue_->NativeTopOfBook(kSpread)->bid, (core::PriceLevel{Cents(30), Quantity(10)}));

  ASSERT_TRUE(away_->Cancel(CancelRequest{ParticipantId(9), OrderId(1)}).ok());
  time_.AdvanceBy(core::Duration::Milliseconds(1));
  ASSERT_EQ(alice().complex_fills.size(), 1u);
  EXPECT_EQ(alice().complex_fills[0].net_price, Cents(30));
  EXPECT_EQ(alice().complex_fills[0].quantity, Quantity(10));
  EXPECT_EQ(market_data_.combos.back().legs_implied.ask,
            (core::PriceLevel{Cents(30), Quantity(90)}));
}

// R15 step S808: with a leg inverted the order seeks an inverse complex order instead, which
// still trades (at the older order's price, 0.30, the high).
TEST_F(ComplexAwayMarketTest, R15InvertedLegStillTradesAgainstAnInverseComplexOrder) {
  SeedExC2();
  Away(1, kLeg2, Side::kBuy, Cents(31));  // S2 bid 0.31 away: selling S2 here at 0.30 inverts
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 1, Side::kBuy, Cents(30), 10, kSpread)).ok());
  time_.AdvanceBy(core::Duration::Milliseconds(1));
  EXPECT_TRUE(alice().complex_fills.empty());
  ASSERT_TRUE(venue_->SubmitComplex(Complex(3, 1, Side::kSell, Cents(25), 4, kSpread)).ok());
  time_.AdvanceBy(core::Duration::Milliseconds(1));
  ASSERT_EQ(alice().complex_fills.size(), 1u);
  EXPECT_EQ(alice().complex_fills[0].net_price, Cents(30));
  EXPECT_EQ(carol().complex_fills[0].quantity, Quantity(4));
  EXPECT_TRUE(carol().fills.empty() && bob().fills.empty());  // no leg traded
}

// A stale away market does not count: when the away venue falls silent past stale_after, the
// feed's change of state re-evaluates the book (R10) and the blocked order legs in.
TEST_F(ComplexAwayMarketTest, R10StaleAwayMarketNoLongerBlocksTheLegIn) {
  SeedExC2();
  Away(1, kLeg1, Side::kSell, Cents(58));
  ASSERT_TRUE(venue_->SubmitComplex(Complex(1, 1, Side::kBuy, Cents(30), 10, kSpread)).ok());
  time_.AdvanceBy(core::Duration::Seconds(29));
  EXPECT_TRUE(alice().complex_fills.empty());
  time_.AdvanceBy(core::Duration::Seconds(2));
  ASSERT_EQ(alice().complex_fills.size(), 1u);
  EXPECT_EQ(alice().complex_fills[0].net_price, Cents(30));
}

}  // namespace
}  // namespace combo::venues
