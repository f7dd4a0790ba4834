// Latency protection of complex-order executions (seed 002 spec 6.1): a complex
// execution, with every leg-book order it trades against, is held as one package for the longest
// period among its parties; nothing of it executes during the hold; cancels and replaces apply at
// once; at expiry it executes in whole combo units, all legs together, or is prevented entirely.
// Everything runs on simulated time with zero network latency, so events land at the step's
// instant.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/simulated_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "venues/complex_book_test_util.h"
#include "venues/simulated_venue.h"

namespace combo::venues {
namespace {

using core::ComboId;
using core::Duration;
using core::InstrumentId;
using core::OrderId;
using core::ParticipantId;
using core::Price;
using core::Quantity;
using core::Side;
using core::Timestamp;
using testing::Cents;
using ::testing::HasSubstr;
using testing::MakeCombo;

constexpr InstrumentId kLeg1(3);
constexpr InstrumentId kLeg2(4);
constexpr InstrumentId kTestProduct(99);
// Buy 2 of leg 1, sell 1 of leg 2: net = 2 x leg1 - leg2.
constexpr ComboId kTwoToOne(2);
// Latencies (figure 2 tiers): Alice and Dave 0.12 s (no period), Bob 0.31 s (0.20 s), Carol
// 0.65 s (0.40 s).
constexpr ParticipantId kAlice(1);
constexpr ParticipantId kBob(2);
constexpr ParticipantId kCarol(3);
constexpr ParticipantId kDave(4);

Duration Ms(int64_t ms) { return Duration::Milliseconds(ms); }

class Recorder : public VenueListener {
 public:
  void OnAck(const OrderAcked& /*e*/) override {}
  void OnReject(const OrderRejected& e) override { rejects.push_back(e); }
  void OnFill(const Fill& e) override { fills.push_back(e); }
  void OnComplexFill(const ComplexFill& e) override { complex_fills.push_back(e); }
  void OnCancelled(const OrderCancelled& e) override { cancels.push_back(e); }
  void OnRestated(const OrderRestated& /*e*/) override {}
  void OnTradePending(const TradePending& e) override { pending.push_back(e); }
  void OnTradeVoided(const TradeVoided& e) override { voided.push_back(e); }
  std::vector<OrderRejected> rejects;
  std::vector<Fill> fills;
  std::vector<ComplexFill> complex_fills;
  std::vector<OrderCancelled> cancels;
  std::vector<TradePending> pending;
  std::vector<TradeVoided> voided;
};

class NullLatencyListener : public LatencyListener {
 public:
  void OnTestOrderAccepted(const TestOrderAccepted& /*e*/) override {}
  void OnLatencyReport(const LatencyReport& /*e*/) override {}
};

OrderRequest Leg(ParticipantId participant, uint64_t id, InstrumentId instrument, Side side,
                 Price price, int64_t quantity) {
  OrderRequest request;
  request.participant = participant;
  request.order_id = OrderId(id);
  request.instrument = instrument;
  request.side = side;
  request.limit_price = price;
  request.quantity = Quantity(quantity);
  return request;
}

ComplexOrderRequest Complex(ParticipantId participant, uint64_t id, Side side, Price price,
                            int64_t quantity) {
  ComplexOrderRequest request;
  request.participant = participant;
  request.order_id = OrderId(id);
  request.combo = kTwoToOne;
  request.side = side;
  request.limit_price = price;
  request.quantity = Quantity(quantity);
  return request;
}

class ComplexPackageHoldTest : public ::testing::Test {
 protected:
  void Build(ConditionScope scope) {
    SimulatedVenueConfig config;
    config.id = core::VenueId(9);
    config.name = "PKG";
    config.instruments = {{kLeg1, Cents(1)}, {kLeg2, Cents(1)}};
    config.complex_book.enabled = true;
    config.complex_book.combos.push_back(
        MakeCombo(kTwoToOne.value(), {{kLeg1, 2, Side::kBuy}, {kLeg2, 1, Side::kSell}}));
    config.latency_protection.enabled = true;
    config.latency_protection.scope = scope;
    config.latency_protection.test_instrument = kTestProduct;
    config.latency_protection.metrics = &registry_;
    venue_ = SimulatedVenue::Create(std::move(config), &time_).value();
    for (uint32_t p = 1; p <= 4; ++p) {
      ASSERT_TRUE(venue_->Connect(ParticipantId(p), &recorders_[p - 1]).ok());
      ASSERT_TRUE(venue_->ConnectLatency(ParticipantId(p), &latency_listener_).ok());
    }
    ASSERT_TRUE(venue_->ReportLatency(kAlice, Ms(120)).ok());
    ASSERT_TRUE(venue_->ReportLatency(kBob, Ms(310)).ok());
    ASSERT_TRUE(venue_->ReportLatency(kCarol, Ms(650)).ok());
    ASSERT_TRUE(venue_->ReportLatency(kDave, Ms(120)).ok());
    Settle();
    start_ = time_.Now();
  }
  // Processes everything due now (timers in the future stay pending).
  void Settle() { time_.AdvanceTo(time_.Now()); }
  void RunTo(Duration since_start) { time_.AdvanceTo(start_ + since_start); }
  void Submit(const OrderRequest& request) {
    ASSERT_TRUE(venue_->Submit(request).ok());
    Settle();
  }
  void SubmitComplex(const ComplexOrderRequest& request) {
    ASSERT_TRUE(venue_->SubmitComplex(request).ok());
    Settle();
  }
  void Cancel(ParticipantId participant, uint64_t id) {
    ASSERT_TRUE(venue_->Cancel({participant, OrderId(id)}).ok());
    Settle();
  }
  void Replace(ParticipantId participant, uint64_t id, Price price, int64_t total) {
    ReplaceRequest request;
    request.participant = participant;
    request.order_id = OrderId(id);
    request.limit_price = price;
    request.total_quantity = Quantity(total);
    ASSERT_TRUE(venue_->Replace(request).ok());
    Settle();
  }
  Recorder& Of(ParticipantId participant) { return recorders_[participant.value() - 1]; }
  double Counter(const std::string& outcome) {
    for (const auto& family : registry_.Collect()) {
      if (family.name != "combo_venue_latency_trades_total") continue;
      for (const auto& metric : family.metric) {
        for (const auto& label : metric.label) {
          if (label.name == "outcome" && label.value == outcome) return metric.counter.value;
        }
      }
    }
    return -1;
  }
  // The leg-in scene: Bob offers 10 of leg 1 at 1.00, Carol bids 5 of leg 2 at 0.50, so buying
  // the combo legs in at 2 x 1.00 - 0.50 = 1.50 for up to 5 units.
  void LegInScene() {
    Submit(Leg(kBob, 1, kLeg1, Side::kSell, Cents(100), 10));
    Submit(Leg(kCarol, 1, kLeg2, Side::kBuy, Cents(50), 5));
  }

  core::SimulatedTime time_;
  prometheus::Registry registry_;
  std::unique_ptr<SimulatedVenue> venue_;
  Recorder recorders_[4];
  NullLatencyListener latency_listener_;
  Timestamp start_;
};

TEST_F(ComplexPackageHoldTest, LegInPackageIsHeldForTheLongestPeriodAmongItsParties) {
  Build(ConditionScope::kPerSubmitter);
  LegInScene();
  // Alice (no period of her own) buys 5 units at 1.50: Bob's 0.20 s and Carol's 0.40 s are
  // parties too, so the whole package waits 0.40 s.
  SubmitComplex(Complex(kAlice, 7, Side::kBuy, Cents(150), 5));
  EXPECT_EQ(venue_->latency_guard()->pending_package_count(), 1u);
  ASSERT_EQ(Of(kAlice).pending.size(), 1u);
  EXPECT_EQ(Of(kAlice).pending[0].price, Cents(150));
  EXPECT_EQ(Of(kAlice).pending[0].quantity, Quantity(5));
  ASSERT_EQ(Of(kBob).pending.size(), 1u);
  EXPECT_EQ(Of(kBob).pending[0].price, Cents(100));
  EXPECT_EQ(Of(kBob).pending[0].quantity, Quantity(10));
  ASSERT_EQ(Of(kCarol).pending.size(), 1u);
  EXPECT_EQ(Of(kCarol).pending[0].quantity, Quantity(5));
  // During the hold nothing executes and the leg orders stay listed.
  RunTo(Ms(400) - Duration::Nanoseconds(1));
  EXPECT_TRUE(Of(kAlice).complex_fills.empty());
  EXPECT_TRUE(Of(kBob).fills.empty());
  EXPECT_TRUE(Of(kCarol).fills.empty());
  EXPECT_EQ(venue_->TopOfBook(kLeg1).value().ask->quantity, Quantity(10));
  EXPECT_EQ(venue_->TopOfBook(kLeg2).value().bid->quantity, Quantity(5));
  RunTo(Ms(400));
  ASSERT_EQ(Of(kAlice).complex_fills.size(), 1u);
  EXPECT_EQ(Of(kAlice).complex_fills[0].quantity, Quantity(5));
  EXPECT_EQ(Of(kAlice).complex_fills[0].net_price, Cents(150));
  ASSERT_EQ(Of(kBob).fills.size(), 1u);
  EXPECT_EQ(Of(kBob).fills[0].quantity, Quantity(10));
  EXPECT_EQ(Of(kBob).fills[0].price, Cents(100));
  ASSERT_EQ(Of(kCarol).fills.size(), 1u);
  EXPECT_EQ(Of(kCarol).fills[0].quantity, Quantity(5));
  EXPECT_EQ(Of(kCarol).fills[0].price, Cents(50));
  EXPECT_TRUE(Of(kAlice).voided.empty());
  EXPECT_EQ(venue_->open_orders(), 0u);
  EXPECT_EQ(Counter("held"), 1);
  EXPECT_EQ(Counter("executed"), 1);
  EXPECT_EQ(Counter("prevented"), 0);
}

TEST_F(ComplexPackageHoldTest, LegCounterpartyCancellingDuringTheHoldPreventsTheWholePackage) {
  Build(ConditionScope::kPerSubmitter);
  LegInScene();
  SubmitComplex(Complex(kAlice, 7, Side::kBuy, Cents(150), 5));
  RunTo(Ms(100));
  Cancel(kCarol, 1);  // applied at once
  ASSERT_EQ(Of(kCarol).cancels.size(), 1u);
  EXPECT_EQ(Of(kCarol).cancels[0].cancelled_quantity, Quantity(5));
  EXPECT_FALSE(venue_->TopOfBook(kLeg2).value().bid.has_value());
  RunTo(Ms(400));
  // No leg is traded: Bob's offer is untouched although its own part still matched.
  EXPECT_TRUE(Of(kAlice).complex_fills.empty());
  EXPECT_TRUE(Of(kBob).fills.empty());
  ASSERT_EQ(Of(kAlice).voided.size(), 1u);
  EXPECT_EQ(Of(kAlice).voided[0].quantity, Quantity(5));
  EXPECT_THAT(Of(kAlice).voided[0].reason, HasSubstr("left the book"));
  ASSERT_EQ(Of(kBob).voided.size(), 1u);
  EXPECT_EQ(Of(kBob).voided[0].quantity, Quantity(10));
  // The survivors rest, with nothing reserved any more.
  EXPECT_EQ(venue_->TopOfBook(kLeg1).value().ask->quantity, Quantity(10));
  EXPECT_EQ(venue_->NativeTopOfBook(kTwoToOne).value().bid->quantity, Quantity(5));
  EXPECT_EQ(Counter("prevented"), 1);
  EXPECT_EQ(Counter("executed"), 0);
  // Bob's offer trades normally again: a new leg bid takes it (held for Bob's 0.20 s).
  Submit(Leg(kDave, 1, kLeg1, Side::kBuy, Cents(100), 10));
  RunTo(Ms(400) + Ms(200));
  ASSERT_EQ(Of(kDave).fills.size(), 1u);
  EXPECT_EQ(Of(kDave).fills[0].quantity, Quantity(10));
}

TEST_F(ComplexPackageHoldTest, LegQuantityDecreaseShrinksThePackageToWholeUnits) {
  Build(ConditionScope::kPerSubmitter);
  LegInScene();
  SubmitComplex(Complex(kAlice, 7, Side::kBuy, Cents(150), 5));
  RunTo(Ms(100));
  Replace(kBob, 1, Cents(100), 7);  // 7 of leg 1 make 3 whole units (ratio 2)
  RunTo(Ms(400));
  ASSERT_EQ(Of(kAlice).complex_fills.size(), 1u);
  EXPECT_EQ(Of(kAlice).complex_fills[0].quantity, Quantity(3));
  EXPECT_EQ(Of(kAlice).complex_fills[0].leaves_quantity, Quantity(2));
  ASSERT_EQ(Of(kAlice).complex_fills[0].legs.size(), 2u);
  EXPECT_EQ(Of(kAlice).complex_fills[0].legs[0].quantity, Quantity(6));
  EXPECT_EQ(Of(kAlice).complex_fills[0].legs[1].quantity, Quantity(3));
  ASSERT_EQ(Of(kBob).fills.size(), 1u);
  EXPECT_EQ(Of(kBob).fills[0].quantity, Quantity(6));
  EXPECT_EQ(Of(kBob).fills[0].leaves_quantity, Quantity(1));
  ASSERT_EQ(Of(kCarol).fills.size(), 1u);
  EXPECT_EQ(Of(kCarol).fills[0].quantity, Quantity(3));
  ASSERT_EQ(Of(kAlice).voided.size(), 1u);
  EXPECT_EQ(Of(kAlice).voided[0].quantity, Quantity(2));
  EXPECT_THAT(Of(kAlice).voided[0].reason, HasSubstr("shrank"));
  ASSERT_EQ(Of(kBob).voided.size(), 1u);
  EXPECT_EQ(Of(kBob).voided[0].quantity, Quantity(4));  // held 10, traded 6
  ASSERT_EQ(Of(kCarol).voided.size(), 1u);
  EXPECT_EQ(Of(kCarol).voided[0].quantity, Quantity(2));
  EXPECT_EQ(Counter("executed"), 1);
}

TEST_F(ComplexPackageHoldTest, LegPriceChangeDuringTheHoldPreventsThePackage) {
  Build(ConditionScope::kPerSubmitter);
  LegInScene();
  SubmitComplex(Complex(kAlice, 7, Side::kBuy, Cents(150), 5));
  RunTo(Ms(100));
  Replace(kCarol, 1, Cents(49), 5);
  RunTo(Ms(400));
  EXPECT_TRUE(Of(kAlice).complex_fills.empty());
  EXPECT_TRUE(Of(kBob).fills.empty());
  ASSERT_EQ(Of(kAlice).voided.size(), 1u);
  EXPECT_THAT(Of(kAlice).voided[0].reason, HasSubstr("changed its price"));
  // Re-evaluated at once: 2 x 1.00 - 0.49 = 1.51 is above the 1.50 limit, so nothing legs in.
  EXPECT_EQ(venue_->latency_guard()->pending_package_count(), 0u);
}

TEST_F(ComplexPackageHoldTest, ComplexVersusComplexIsHeldAndReservedAgainstThirdOrders) {
  Build(ConditionScope::kPerSubmitter);
  // Leg markets: leg 1 0.90 / 1.10, leg 2 0.40 / 0.60: the range is [1.20, 1.80].
  Submit(Leg(kAlice, 1, kLeg1, Side::kBuy, Cents(90), 100));
  Submit(Leg(kAlice, 2, kLeg1, Side::kSell, Cents(110), 100));
  Submit(Leg(kAlice, 3, kLeg2, Side::kBuy, Cents(40), 100));
  Submit(Leg(kAlice, 4, kLeg2, Side::kSell, Cents(60), 100));
  SubmitComplex(Complex(kCarol, 1, Side::kSell, Cents(150), 4));  // 0.40 s
  RunTo(Ms(10));
  SubmitComplex(Complex(kBob, 1, Side::kBuy, Cents(150), 4));  // 0.20 s; the package 0.40 s
  ASSERT_EQ(Of(kBob).pending.size(), 1u);
  ASSERT_EQ(Of(kCarol).pending.size(), 1u);
  EXPECT_EQ(Of(kCarol).pending[0].quantity, Quantity(4));
  // Dave's buy at the same price cannot take Carol's held units: it rests.
  SubmitComplex(Complex(kDave, 1, Side::kBuy, Cents(150), 4));
  EXPECT_TRUE(Of(kDave).pending.empty());
  EXPECT_EQ(venue_->latency_guard()->pending_package_count(), 1u);
  RunTo(Ms(410) - Duration::Nanoseconds(1));
  EXPECT_TRUE(Of(kBob).complex_fills.empty());
  RunTo(Ms(410));
  ASSERT_EQ(Of(kBob).complex_fills.size(), 1u);
  EXPECT_EQ(Of(kBob).complex_fills[0].quantity, Quantity(4));
  EXPECT_EQ(Of(kBob).complex_fills[0].net_price, Cents(150));
  ASSERT_EQ(Of(kCarol).complex_fills.size(), 1u);
  EXPECT_EQ(Of(kCarol).complex_fills[0].liquidity, Liquidity::kAdded);
  EXPECT_TRUE(Of(kDave).complex_fills.empty());
  EXPECT_TRUE(Of(kAlice).fills.empty());  // no leg book traded
}

TEST_F(ComplexPackageHoldTest, ComplexLimitChangedDuringTheHoldPreventsAndSurvivorsRest) {
  Build(ConditionScope::kWholeLog);  // Carol's 0.65 s puts everyone at 0.40 s
  Submit(Leg(kAlice, 1, kLeg1, Side::kBuy, Cents(90), 100));
  Submit(Leg(kAlice, 2, kLeg1, Side::kSell, Cents(110), 100));
  Submit(Leg(kAlice, 3, kLeg2, Side::kBuy, Cents(40), 100));
  Submit(Leg(kAlice, 4, kLeg2, Side::kSell, Cents(60), 100));
  SubmitComplex(Complex(kCarol, 1, Side::kSell, Cents(150), 4));
  SubmitComplex(Complex(kBob, 1, Side::kBuy, Cents(150), 4));
  ASSERT_EQ(Of(kBob).pending.size(), 1u);
  RunTo(Ms(100));
  Replace(kBob, 1, Cents(140), 4);  // applied at once; 1.40 no longer pays 1.50
  RunTo(Ms(400));
  EXPECT_TRUE(Of(kBob).complex_fills.empty());
  EXPECT_TRUE(Of(kCarol).complex_fills.empty());
  ASSERT_EQ(Of(kCarol).voided.size(), 1u);
  EXPECT_EQ(Of(kCarol).voided[0].quantity, Quantity(4));
  EXPECT_THAT(Of(kCarol).voided[0].reason, HasSubstr("no longer accepts"));
  const core::TopOfBook top = venue_->NativeTopOfBook(kTwoToOne).value();
  EXPECT_EQ(top.bid->price, Cents(140));
  EXPECT_EQ(top.ask->price, Cents(150));
}

TEST_F(ComplexPackageHoldTest, OverlappingPackageAndLegHoldsResolveOnTheirOwnTimers) {
  Build(ConditionScope::kWholeLog);  // 0.40 s for every hold
  Submit(Leg(kBob, 1, kLeg1, Side::kSell, Cents(100), 10));
  Submit(Leg(kCarol, 1, kLeg2, Side::kBuy, Cents(50), 3));
  // t = 0: Dave's leg bid for 4 holds 4 of Bob's 10.
  Submit(Leg(kDave, 1, kLeg1, Side::kBuy, Cents(100), 4));
  ASSERT_EQ(Of(kDave).pending.size(), 1u);
  // t = 0.1 s: Alice's combo takes what is free: 6 of leg 1 (3 units) and Carol's 3 of leg 2.
  RunTo(Ms(100));
  SubmitComplex(Complex(kAlice, 1, Side::kBuy, Cents(150), 5));
  ASSERT_EQ(Of(kAlice).pending.size(), 1u);
  EXPECT_EQ(Of(kAlice).pending[0].quantity, Quantity(3));
  ASSERT_EQ(Of(kBob).pending.size(), 2u);
  EXPECT_EQ(Of(kBob).pending[1].quantity, Quantity(6));
  // t = 0.15 s: all of Bob's offer is held; a further bid rests without trading.
  RunTo(Ms(150));
  Submit(Leg(kDave, 2, kLeg1, Side::kBuy, Cents(100), 1));
  EXPECT_EQ(Of(kDave).pending.size(), 1u);
  // t = 0.4 s: the leg hold executes; the package is still pending.
  RunTo(Ms(400));
  ASSERT_EQ(Of(kDave).fills.size(), 1u);
  EXPECT_EQ(Of(kDave).fills[0].quantity, Quantity(4));
  EXPECT_TRUE(Of(kAlice).complex_fills.empty());
  EXPECT_EQ(venue_->latency_guard()->pending_package_count(), 1u);
  // t = 0.5 s: the package executes with the 6 reserved for it.
  RunTo(Ms(500));
  ASSERT_EQ(Of(kAlice).complex_fills.size(), 1u);
  EXPECT_EQ(Of(kAlice).complex_fills[0].quantity, Quantity(3));
  ASSERT_EQ(Of(kBob).fills.size(), 2u);
  EXPECT_EQ(Of(kBob).fills[1].quantity, Quantity(6));
  EXPECT_EQ(Of(kBob).fills[1].leaves_quantity, Quantity(0));
  ASSERT_EQ(Of(kCarol).fills.size(), 1u);
  EXPECT_EQ(Of(kCarol).fills[0].quantity, Quantity(3));
  EXPECT_EQ(Of(kDave).fills.size(), 1u);  // Dave's second bid never took held quantity
  EXPECT_EQ(Counter("held"), 2);
  EXPECT_EQ(Counter("executed"), 2);
}

TEST_F(ComplexPackageHoldTest, ImmediateComplexOrderCancelsItsRestAndItsHeldPartWaits) {
  Build(ConditionScope::kWholeLog);
  LegInScene();
  ComplexOrderRequest ioc = Complex(kAlice, 7, Side::kBuy, Cents(150), 8);
  ioc.time_in_force = TimeInForce::kImmediateOrCancel;
  SubmitComplex(ioc);
  // 5 units are held; the 3 that found nothing are cancelled at once (D7).
  ASSERT_EQ(Of(kAlice).cancels.size(), 1u);
  EXPECT_EQ(Of(kAlice).cancels[0].cancelled_quantity, Quantity(3));
  ASSERT_EQ(Of(kAlice).pending.size(), 1u);
  EXPECT_EQ(Of(kAlice).pending[0].quantity, Quantity(5));
  RunTo(Ms(100));
  Cancel(kCarol, 1);
  RunTo(Ms(400));
  // The held part failed: it is cancelled, never rested.
  EXPECT_TRUE(Of(kAlice).complex_fills.empty());
  ASSERT_EQ(Of(kAlice).cancels.size(), 2u);
  EXPECT_EQ(Of(kAlice).cancels[1].cancelled_quantity, Quantity(5));
  EXPECT_FALSE(venue_->NativeTopOfBook(kTwoToOne).value().bid.has_value());
  EXPECT_EQ(venue_->open_orders(), 1u);  // Bob's offer
}

TEST_F(ComplexPackageHoldTest, HaltedLegDuringTheHoldPreventsThePackage) {
  Build(ConditionScope::kWholeLog);
  LegInScene();
  SubmitComplex(Complex(kAlice, 7, Side::kBuy, Cents(150), 5));
  RunTo(Ms(100));
  ASSERT_TRUE(venue_->SetLegTradingStatus(kLeg2, LegTradingStatus::kHalted).ok());
  RunTo(Ms(400));
  EXPECT_TRUE(Of(kAlice).complex_fills.empty());
  ASSERT_EQ(Of(kAlice).voided.size(), 1u);
  EXPECT_THAT(Of(kAlice).voided[0].reason, HasSubstr("halted"));
}

TEST_F(ComplexPackageHoldTest, HeldImmediateOrderCannotBeReplacedAndNothingChanges) {
  Build(ConditionScope::kWholeLog);
  LegInScene();
  ComplexOrderRequest ioc = Complex(kAlice, 7, Side::kBuy, Cents(150), 5);
  ioc.time_in_force = TimeInForce::kImmediateOrCancel;
  SubmitComplex(ioc);
  Replace(kAlice, 7, Cents(160), 5);
  ASSERT_EQ(Of(kAlice).rejects.size(), 1u);
  EXPECT_THAT(Of(kAlice).rejects[0].reason, HasSubstr("cannot be replaced"));
  RunTo(Ms(400));
  ASSERT_EQ(Of(kAlice).complex_fills.size(), 1u);
  EXPECT_EQ(Of(kAlice).complex_fills[0].net_price, Cents(150));
}

// Found by the randomized run: a leg order that finishes as a survivor's trade must leave the
// venue's records, or a later cancel or replace of it would reach whatever reuses its place.
TEST_F(ComplexPackageHoldTest, SurvivorLegOrderFilledOnRematchLeavesTheVenue) {
  Build(ConditionScope::kPerSubmitter);
  Submit(Leg(kDave, 1, kLeg1, Side::kSell, Cents(100), 10));
  Submit(Leg(kAlice, 1, kLeg2, Side::kBuy, Cents(50), 5));
  SubmitComplex(Complex(kCarol, 1, Side::kBuy, Cents(150), 5));  // Carol's 0.40 s: held
  ASSERT_EQ(Of(kDave).pending.size(), 1u);
  // Alice bids for Dave's held offer: nothing is free, so it rests (the book looks locked).
  Submit(Leg(kAlice, 2, kLeg1, Side::kBuy, Cents(100), 10));
  EXPECT_TRUE(Of(kAlice).fills.empty());
  Cancel(kAlice, 1);  // the package loses its leg 2
  RunTo(Ms(400));
  ASSERT_EQ(Of(kDave).voided.size(), 1u);
  // Dave's released offer meets Alice's bid at once (both fast): it fills as the incoming side.
  ASSERT_EQ(Of(kDave).fills.size(), 1u);
  EXPECT_EQ(Of(kDave).fills[0].quantity, Quantity(10));
  EXPECT_EQ(Of(kDave).fills[0].liquidity, Liquidity::kRemoved);
  EXPECT_EQ(venue_->open_orders(), 1u);  // Carol's complex order only
  Cancel(kDave, 1);
  ASSERT_EQ(Of(kDave).rejects.size(), 1u);
  EXPECT_EQ(Of(kDave).rejects[0].code, RejectCode::kUnknownOrder);
}

TEST_F(ComplexPackageHoldTest, BelowTheConditionTheComplexExecutionIsImmediate) {
  Build(ConditionScope::kPerSubmitter);
  Submit(Leg(kDave, 1, kLeg1, Side::kSell, Cents(100), 10));
  Submit(Leg(kDave, 2, kLeg2, Side::kBuy, Cents(50), 5));
  SubmitComplex(Complex(kAlice, 7, Side::kBuy, Cents(150), 5));
  ASSERT_EQ(Of(kAlice).complex_fills.size(), 1u);
  EXPECT_TRUE(Of(kAlice).pending.empty());
  EXPECT_EQ(Counter("held"), 0);
}

}  // namespace
}  // namespace combo::venues
