// Latency protection (seed 002): the tier table and log, holds in the book and at the venue,
// the timer queue's ordering, measurement with test orders, events and metrics. Every worked
// example of the seed appears with its own numbers.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/simulated_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "venues/latency_guard.h"
#include "venues/latency_log.h"
#include "venues/latency_probe.h"
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
using core::Timestamp;
using ::testing::HasSubstr;

constexpr InstrumentId kProductX(1);
constexpr InstrumentId kTestProduct(99);
constexpr ParticipantId kTraderA(1);
constexpr ParticipantId kTraderB(2);
constexpr ParticipantId kTraderC(3);
constexpr ParticipantId kTraderD(4);

Price Dollars(int64_t dollars) { return Price::FromParts(dollars, 0); }
Duration Ms(int64_t ms) { return Duration::Milliseconds(ms); }

// --- The tier table (section 3.3) -----------------------------------------------------------

TEST(LatencyTiersTest, ExactlyThirtyHundredthsGivesNoProtection) {  // WE-C3
  EXPECT_EQ(PeriodForLatency(Seed002Tiers(), Ms(300)), Duration::Zero());
  EXPECT_EQ(PeriodForLatency(Seed002Tiers(), Ms(300) + Duration::Nanoseconds(1)), Ms(200));
}

TEST(LatencyTiersTest, ExactlySixtyHundredthsGivesTheLongestPeriod) {  // WE-C4
  EXPECT_EQ(PeriodForLatency(Seed002Tiers(), Ms(600)), Ms(400));
  EXPECT_EQ(PeriodForLatency(Seed002Tiers(), Ms(600) - Duration::Nanoseconds(1)), Ms(200));
}

TEST(LatencyTiersTest, InvalidTablesAreRejectedWithTheReason) {
  std::vector<LatencyTier> unordered = Seed002Tiers();
  std::swap(unordered[1], unordered[2]);
  EXPECT_THAT(std::string(ValidateLatencyTiers(unordered).message()),
              HasSubstr("does not come after"));
  std::vector<LatencyTier> negative = Seed002Tiers();
  negative[2].period = -Ms(1);
  EXPECT_THAT(std::string(ValidateLatencyTiers(negative).message()), HasSubstr("negative period"));
  std::vector<LatencyTier> no_zero = Seed002Tiers();
  no_zero.erase(no_zero.begin());
  EXPECT_THAT(std::string(ValidateLatencyTiers(no_zero).message()), HasSubstr("start at 0"));
  EXPECT_FALSE(ValidateLatencyTiers({}).ok());
}

// --- The guard's period over the log --------------------------------------------------------

class LatencyGuardTest : public ::testing::Test {
 protected:
  std::unique_ptr<LatencyGuard> Make(LatencyProtectionConfig config) {
    config.enabled = true;
    return LatencyGuard::Create(std::move(config), "TEST", &time_,
                                [this](const PendingTrade& trade) { expired_.push_back(trade); })
        .value();
  }
  void Log(LatencyGuard& guard, ParticipantId participant, Duration value) {
    guard.log().Record({participant, LatencySource::kReportedRoundTrip, value, time_.Now()});
  }
  core::SimulatedTime time_;
  std::vector<PendingTrade> expired_;
};

TEST_F(LatencyGuardTest, FigureTwoLogGivesTwentyHundredths) {  // WE-C1
  auto guard = Make({});
  Log(*guard, kTraderA, Ms(220));
  Log(*guard, kTraderB, Ms(310));
  Log(*guard, kTraderC, Ms(570));
  Log(*guard, kTraderD, Ms(120));
  EXPECT_EQ(guard->WholeLogPeriod(), Ms(200));
  // Whole-log mode: even a trade between the two fast participants is held.
  EXPECT_EQ(guard->PeriodFor(kTraderA, kTraderD), Ms(200));
}

TEST_F(LatencyGuardTest, AllValuesAtOrBelowThirtyHundredthsGiveNoPeriod) {  // WE-C2, WE-C3
  auto guard = Make({});
  Log(*guard, kTraderA, Ms(220));
  Log(*guard, kTraderD, Ms(120));
  EXPECT_EQ(guard->WholeLogPeriod(), Duration::Zero());
  Log(*guard, kTraderB, Ms(300));
  EXPECT_EQ(guard->WholeLogPeriod(), Duration::Zero());
}

TEST_F(LatencyGuardTest, BoundaryAtSixtyHundredthsAndOverlappingTiersTakeTheLongest) {
  auto guard = Make({});
  Log(*guard, kTraderA, Ms(220));
  Log(*guard, kTraderB, Ms(600));
  EXPECT_EQ(guard->WholeLogPeriod(), Ms(400));  // WE-C4
  auto overlapping = Make({});
  Log(*overlapping, kTraderA, Ms(220));
  Log(*overlapping, kTraderB, Ms(450));
  Log(*overlapping, kTraderC, Ms(610));
  EXPECT_EQ(overlapping->WholeLogPeriod(), Ms(400));  // WE-C5, D1
}

TEST_F(LatencyGuardTest, PerSubmitterTakesTheLargerOfTheTwoSides) {
  LatencyProtectionConfig config;
  config.scope = ConditionScope::kPerSubmitter;
  auto guard = Make(config);
  Log(*guard, kTraderA, Ms(220));
  Log(*guard, kTraderB, Ms(310));
  Log(*guard, kTraderC, Ms(650));
  EXPECT_EQ(guard->PeriodFor(kTraderA, kTraderD), Duration::Zero());
  EXPECT_EQ(guard->PeriodFor(kTraderA, kTraderB), Ms(200));
  EXPECT_EQ(guard->PeriodFor(kTraderC, kTraderB), Ms(400));
  EXPECT_EQ(guard->PeriodFor(kTraderB, kTraderC), Ms(400));
  config.submitter_rule = SubmitterRule::kRestingOnly;
  auto resting_only = Make(config);
  Log(*resting_only, kTraderB, Ms(310));
  EXPECT_EQ(resting_only->PeriodFor(kTraderA, kTraderB), Duration::Zero());
  EXPECT_EQ(resting_only->PeriodFor(kTraderB, kTraderA), Ms(200));
}

TEST_F(LatencyGuardTest, CurrentValueModeUsesTheLatestValueHistoryModeTheLargest) {
  auto current = Make({});
  Log(*current, kTraderA, Ms(650));
  Log(*current, kTraderA, Ms(100));
  EXPECT_EQ(current->WholeLogPeriod(), Duration::Zero());
  LatencyProtectionConfig config;
  config.log_scope = LogScope::kHistory;
  config.history_per_participant = 2;
  auto history = Make(config);
  Log(*history, kTraderA, Ms(650));
  Log(*history, kTraderA, Ms(100));
  EXPECT_EQ(history->WholeLogPeriod(), Ms(400));
  Log(*history, kTraderA, Ms(100));  // the 0.65 s value drops out of the history
  EXPECT_EQ(history->WholeLogPeriod(), Duration::Zero());
}

TEST_F(LatencyGuardTest, NegativeOneWayIsClampedAndFlagged) {  // D10
  auto guard = Make({});
  guard->log().Record({kTraderA, LatencySource::kVenueOneWay, -Ms(5), time_.Now()});
  ASSERT_EQ(guard->log().History(kTraderA).size(), 1u);
  EXPECT_EQ(guard->log().History(kTraderA)[0].value, Duration::Zero());
  EXPECT_TRUE(guard->log().History(kTraderA)[0].clamped);
}

TEST_F(LatencyGuardTest, BadConfigIsRejected) {
  LatencyProtectionConfig config;
  config.history_per_participant = 0;
  EXPECT_THAT(
      std::string(
          LatencyGuard::Create(config, "T", &time_, [](const PendingTrade&) {}).status().message()),
      HasSubstr("history_per_participant"));
  config = {};
  config.reported_cap = -Ms(1);
  EXPECT_FALSE(LatencyGuard::Create(config, "T", &time_, [](const PendingTrade&) {}).ok());
}

// --- The venue ---------------------------------------------------------------------------------

// What a participant receives, with times.
class Recorder : public VenueListener, public LatencyListener {
 public:
  explicit Recorder(core::Clock* clock) : clock_(clock) {}
  void OnAck(const OrderAcked& /*e*/) override {}
  void OnReject(const OrderRejected& e) override { rejects.push_back(e); }
  void OnFill(const Fill& e) override {
    fills.push_back(e);
    fill_times.push_back(clock_->Now());
  }
  void OnComplexFill(const ComplexFill& /*e*/) override {}
  void OnCancelled(const OrderCancelled& e) override { cancels.push_back(e); }
  void OnRestated(const OrderRestated& e) override { restates.push_back(e); }
  void OnTradePending(const TradePending& e) override { pending.push_back(e); }
  void OnTradeVoided(const TradeVoided& e) override { voided.push_back(e); }
  void OnTestOrderAccepted(const TestOrderAccepted& e) override { accepted.push_back(e); }
  void OnLatencyReport(const LatencyReport& e) override { reports.push_back(e); }

  std::vector<OrderRejected> rejects;
  std::vector<Fill> fills;
  std::vector<Timestamp> fill_times;
  std::vector<OrderCancelled> cancels;
  std::vector<OrderRestated> restates;
  std::vector<TradePending> pending;
  std::vector<TradeVoided> voided;
  std::vector<TestOrderAccepted> accepted;
  std::vector<LatencyReport> reports;

 private:
  core::Clock* clock_;
};

SimulatedVenueConfig ProtectedConfig() {
  SimulatedVenueConfig config;
  config.id = core::VenueId(7);
  config.name = "PROTECTED";
  config.instruments = {{kProductX, Price::FromParts(0, 10'000'000)}};
  config.latency_protection.enabled = true;
  config.latency_protection.test_instrument = kTestProduct;
  return config;
}

OrderRequest Limit(ParticipantId participant, uint64_t id, Side side, Price price,
                   int64_t quantity) {
  OrderRequest request;
  request.participant = participant;
  request.order_id = OrderId(id);
  request.instrument = kProductX;
  request.side = side;
  request.limit_price = price;
  request.quantity = Quantity(quantity);
  return request;
}

class ProtectedVenueTest : public ::testing::Test {
 protected:
  // 2026-11-20 14:22:27.000 UTC.
  ProtectedVenueTest() : time_(Timestamp::FromUtc(2026, 11, 20, 14, 22, 27)) {}

  void SetUp() override { Build(ProtectedConfig()); }

  void Build(SimulatedVenueConfig config) {
    config.latency_protection.metrics = &registry_;
    venue_ = SimulatedVenue::Create(std::move(config), &time_).value();
    for (ParticipantId participant : {kTraderA, kTraderB, kTraderC, kTraderD}) {
      recorders_.push_back(std::make_unique<Recorder>(&time_));
      ASSERT_TRUE(venue_->Connect(participant, recorders_.back().get()).ok());
      ASSERT_TRUE(venue_->ConnectLatency(participant, recorders_.back().get()).ok());
    }
  }

  Recorder& Of(ParticipantId participant) { return *recorders_[participant.value() - 1]; }

  // The figure 2 latency log: A 0.22 s, B 0.31 s, C 0.57 s, D 0.12 s (period 0.20 s).
  void ReportFigureTwoLog() {
    ASSERT_TRUE(venue_->ReportLatency(kTraderA, Ms(220)).ok());
    ASSERT_TRUE(venue_->ReportLatency(kTraderB, Ms(310)).ok());
    ASSERT_TRUE(venue_->ReportLatency(kTraderC, Ms(570)).ok());
    ASSERT_TRUE(venue_->ReportLatency(kTraderD, Ms(120)).ok());
    time_.RunUntilIdle();
    ASSERT_EQ(venue_->latency_guard()->WholeLogPeriod(), Ms(200));
  }

  void Submit(const OrderRequest& request) { ASSERT_TRUE(venue_->Submit(request).ok()); }
  void CancelOrder(ParticipantId participant, uint64_t id) {
    ASSERT_TRUE(venue_->Cancel({participant, OrderId(id)}).ok());
  }
  void RunTo(Timestamp when) { time_.AdvanceTo(when); }
  Timestamp At(int minute, int second, int64_t millis) {
    return Timestamp::FromUtc(2026, 11, 20, 14, minute, second, millis * 1'000'000);
  }
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

  core::SimulatedTime time_;
  prometheus::Registry registry_;
  std::unique_ptr<SimulatedVenue> venue_;
  std::vector<std::unique_ptr<Recorder>> recorders_;
};

TEST_F(ProtectedVenueTest, CaseOneMatchAtTwentySevenOFourExecutesAtTwentySevenTwentyFour) {
  ReportFigureTwoLog();
  Submit(Limit(kTraderA, 1, Side::kBuy, Dollars(6), 100));  // Bid A $6.00
  Submit(Limit(kTraderB, 2, Side::kBuy, Dollars(8), 100));  // Bid B $8.00
  RunTo(At(22, 27, 0));
  time_.AdvanceTo(At(22, 27, 40));
  Submit(Limit(kTraderC, 3, Side::kSell, Dollars(8), 100));  // Offer M $8.00 at 14:22:27.04
  RunTo(At(22, 27, 40));
  // The match is held: both orders listed, nothing executed, the record in the timer queue.
  EXPECT_EQ(venue_->latency_guard()->pending_count(), 1u);
  ASSERT_EQ(Of(kTraderB).pending.size(), 1u);
  ASSERT_EQ(Of(kTraderC).pending.size(), 1u);
  EXPECT_EQ(Of(kTraderB).pending[0].price, Dollars(8));
  EXPECT_TRUE(Of(kTraderB).fills.empty());
  const core::TopOfBook top = venue_->TopOfBook(kProductX).value();
  EXPECT_EQ(top.bid->price, Dollars(8));
  EXPECT_EQ(top.ask->price, Dollars(8));
  RunTo(At(22, 27, 240) - Duration::Nanoseconds(1));
  EXPECT_TRUE(Of(kTraderB).fills.empty());
  RunTo(At(22, 27, 240));
  ASSERT_EQ(Of(kTraderB).fills.size(), 1u);
  ASSERT_EQ(Of(kTraderC).fills.size(), 1u);
  EXPECT_EQ(Of(kTraderB).fill_times[0], At(22, 27, 240));
  EXPECT_EQ(Of(kTraderB).fills[0].price, Dollars(8));
  EXPECT_EQ(Of(kTraderB).fills[0].quantity, Quantity(100));
  EXPECT_EQ(Of(kTraderB).fills[0].liquidity, Liquidity::kAdded);
  EXPECT_EQ(Of(kTraderC).fills[0].liquidity, Liquidity::kRemoved);
  EXPECT_TRUE(Of(kTraderA).fills.empty());  // Bid A at $6.00 is not involved
  EXPECT_EQ(venue_->open_orders(), 1u);
  EXPECT_EQ(Counter("held"), 1);
  EXPECT_EQ(Counter("executed"), 1);
  EXPECT_EQ(Counter("prevented"), 0);
}

TEST_F(ProtectedVenueTest, CaseTwoCancelInsideThePeriodPreventsTheTrade) {
  ReportFigureTwoLog();
  RunTo(At(23, 38, 0));
  Submit(Limit(kTraderC, 1, Side::kBuy, Dollars(8), 100));  // Bid C $8.00
  RunTo(At(23, 38, 240));
  Submit(Limit(kTraderB, 2, Side::kSell, Dollars(8), 100));  // Offer N $8.00: match at .24
  RunTo(At(23, 38, 300));
  ASSERT_EQ(venue_->latency_guard()->pending().begin()->second.expiry, At(23, 38, 440));
  CancelOrder(kTraderC, 1);  // cancel of Bid C at 14:23:38.30
  RunTo(At(23, 38, 300));
  ASSERT_EQ(Of(kTraderC).cancels.size(), 1u);  // deleted at once
  EXPECT_FALSE(venue_->TopOfBook(kProductX).value().bid.has_value());
  RunTo(At(23, 38, 440));
  EXPECT_TRUE(Of(kTraderB).fills.empty());
  EXPECT_TRUE(Of(kTraderC).fills.empty());
  ASSERT_EQ(Of(kTraderB).voided.size(), 1u);
  EXPECT_EQ(Of(kTraderB).voided[0].quantity, Quantity(100));
  EXPECT_THAT(Of(kTraderB).voided[0].reason, HasSubstr("left the book"));
  // Offer N survives and rests.
  EXPECT_EQ(venue_->TopOfBook(kProductX).value().ask->price, Dollars(8));
  EXPECT_EQ(Counter("prevented"), 1);
}

TEST_F(ProtectedVenueTest, ExampleOneCancelDuringThePeriodAndItsCounterfactual) {
  ReportFigureTwoLog();
  Submit(Limit(kTraderA, 1, Side::kBuy, Dollars(10), 50));   // Bid A $10.00
  Submit(Limit(kTraderB, 2, Side::kSell, Dollars(10), 50));  // Offer B $10.00: held
  time_.AdvanceBy(Ms(50));
  CancelOrder(kTraderA, 1);
  time_.AdvanceBy(Ms(500));
  EXPECT_TRUE(Of(kTraderA).fills.empty());
  EXPECT_TRUE(Of(kTraderB).fills.empty());
  EXPECT_EQ(Of(kTraderA).cancels.size(), 1u);

  // Counterfactual: without protection the trade executes before the cancel arrives.
  SimulatedVenueConfig config = ProtectedConfig();
  config.latency_protection.enabled = false;
  core::SimulatedTime time;
  auto plain = SimulatedVenue::Create(config, &time).value();
  Recorder a(&time);
  Recorder b(&time);
  ASSERT_TRUE(plain->Connect(kTraderA, &a).ok());
  ASSERT_TRUE(plain->Connect(kTraderB, &b).ok());
  ASSERT_TRUE(plain->Submit(Limit(kTraderA, 1, Side::kBuy, Dollars(10), 50)).ok());
  ASSERT_TRUE(plain->Submit(Limit(kTraderB, 2, Side::kSell, Dollars(10), 50)).ok());
  time.AdvanceBy(Ms(50));
  ASSERT_TRUE(plain->Cancel({kTraderA, OrderId(1)}).ok());
  time.AdvanceBy(Ms(500));
  EXPECT_EQ(a.fills.size(), 1u);
  ASSERT_EQ(a.rejects.size(), 1u);  // the cancel came too late
}

TEST_F(ProtectedVenueTest, BelowTheConditionTradesAtOnce) {  // WE-F1
  ASSERT_TRUE(venue_->ReportLatency(kTraderA, Ms(220)).ok());
  ASSERT_TRUE(venue_->ReportLatency(kTraderB, Ms(120)).ok());
  time_.RunUntilIdle();
  Submit(Limit(kTraderA, 1, Side::kBuy, Dollars(10), 50));
  Submit(Limit(kTraderB, 2, Side::kSell, Dollars(10), 50));
  time_.AdvanceBy(Duration::Zero());
  EXPECT_EQ(Of(kTraderA).fills.size(), 1u);
  EXPECT_EQ(venue_->latency_guard()->held_total(), 0u);
  // R32: counted as an immediate execution (combo_venue_latency_trades_total{outcome=immediate}).
  EXPECT_EQ(venue_->latency_guard()->immediate_total(), 1u);
}

TEST_F(ProtectedVenueTest, OverlappingHoldsExpireOnTheirOwnTimers) {  // WE-F2, R23
  ReportFigureTwoLog();
  const Timestamp start = time_.Now();
  Submit(Limit(kTraderA, 1, Side::kBuy, Dollars(10), 30));
  Submit(Limit(kTraderB, 2, Side::kSell, Dollars(10), 10));  // t1: held 10
  time_.AdvanceBy(Ms(50));
  Submit(Limit(kTraderD, 3, Side::kSell, Dollars(10), 10));  // t2 = t1 + 50 ms: held 10
  time_.AdvanceBy(Ms(149));
  EXPECT_TRUE(Of(kTraderA).fills.empty());
  time_.AdvanceTo(start + Ms(200));
  ASSERT_EQ(Of(kTraderA).fills.size(), 1u);
  EXPECT_EQ(Of(kTraderB).fills.size(), 1u);
  EXPECT_TRUE(Of(kTraderD).fills.empty());
  EXPECT_EQ(Of(kTraderA).fills[0].leaves_quantity, Quantity(20));
  time_.AdvanceTo(start + Ms(250));
  ASSERT_EQ(Of(kTraderA).fills.size(), 2u);
  EXPECT_EQ(Of(kTraderA).fill_times[1], start + Ms(250));
  EXPECT_EQ(Of(kTraderA).fills[1].leaves_quantity, Quantity(10));
}

// The cancel is sent 50 ms into the hold and takes 150 ms to reach the venue: its arrival is
// queued after the hold's timer, for the very instant of the expiry.
TEST_F(ProtectedVenueTest, CancelArrivingAtTheExpiryInstantIsProcessedFirst) {  // D3
  SimulatedVenueConfig config = ProtectedConfig();
  config.latency.inbound.cancel = {Ms(150), Duration::Zero()};
  recorders_.clear();
  Build(config);
  ReportFigureTwoLog();
  const Timestamp start = time_.Now();
  Submit(Limit(kTraderA, 1, Side::kBuy, Dollars(10), 50));
  Submit(Limit(kTraderB, 2, Side::kSell, Dollars(10), 50));  // held; expiry at start + 200 ms
  time_.AdvanceTo(start + Ms(50));
  CancelOrder(kTraderA, 1);  // arrives at start + 200 ms
  time_.AdvanceTo(start + Ms(200));
  EXPECT_TRUE(Of(kTraderA).fills.empty());
  EXPECT_EQ(Of(kTraderA).cancels.size(), 1u);
  EXPECT_EQ(Of(kTraderB).voided.size(), 1u);
}

TEST_F(ProtectedVenueTest, CancelArrivingJustAfterTheExpiryIsTooLate) {
  SimulatedVenueConfig config = ProtectedConfig();
  config.latency.inbound.cancel = {Ms(150) + Duration::Nanoseconds(1), Duration::Zero()};
  recorders_.clear();
  Build(config);
  ReportFigureTwoLog();
  const Timestamp start = time_.Now();
  Submit(Limit(kTraderA, 1, Side::kBuy, Dollars(10), 50));
  Submit(Limit(kTraderB, 2, Side::kSell, Dollars(10), 50));
  time_.AdvanceTo(start + Ms(50));
  CancelOrder(kTraderA, 1);
  time_.AdvanceTo(start + Ms(201));
  EXPECT_EQ(Of(kTraderA).fills.size(), 1u);
  EXPECT_TRUE(Of(kTraderA).cancels.empty());
  EXPECT_EQ(Of(kTraderA).rejects.size(), 1u);  // unknown order: already filled
}

TEST_F(ProtectedVenueTest, HeldQuantityIsReservedAgainstThirdOrders) {  // D6
  ReportFigureTwoLog();
  Submit(Limit(kTraderA, 1, Side::kBuy, Dollars(10), 50));
  Submit(Limit(kTraderB, 2, Side::kSell, Dollars(10), 30));  // holds 30 of A's 50
  Submit(Limit(kTraderD, 3, Side::kSell, Dollars(10), 40));  // only 20 are free: holds 20
  time_.AdvanceBy(Ms(1));
  EXPECT_EQ(venue_->latency_guard()->pending_count(), 2u);
  ASSERT_EQ(Of(kTraderD).pending.size(), 1u);
  EXPECT_EQ(Of(kTraderD).pending[0].quantity, Quantity(20));
  time_.AdvanceBy(Ms(300));
  ASSERT_EQ(Of(kTraderB).fills.size(), 1u);
  EXPECT_EQ(Of(kTraderB).fills[0].quantity, Quantity(30));
  ASSERT_EQ(Of(kTraderD).fills.size(), 1u);
  EXPECT_EQ(Of(kTraderD).fills[0].quantity, Quantity(20));
  EXPECT_EQ(Of(kTraderD).fills[0].leaves_quantity, Quantity(20));
  EXPECT_EQ(venue_->TopOfBook(kProductX).value().ask->quantity, Quantity(20));
}

TEST_F(ProtectedVenueTest, QuantityDecreaseDuringTheHoldShrinksTheFill) {  // D5
  ReportFigureTwoLog();
  Submit(Limit(kTraderA, 1, Side::kBuy, Dollars(10), 50));
  Submit(Limit(kTraderB, 2, Side::kSell, Dollars(10), 50));
  time_.AdvanceBy(Ms(10));
  ASSERT_TRUE(venue_->Replace({kTraderA, OrderId(1), Dollars(10), Quantity(20)}).ok());
  time_.AdvanceBy(Ms(300));
  ASSERT_EQ(Of(kTraderA).fills.size(), 1u);
  EXPECT_EQ(Of(kTraderA).fills[0].quantity, Quantity(20));
  EXPECT_EQ(Of(kTraderA).fills[0].leaves_quantity, Quantity(0));
  ASSERT_EQ(Of(kTraderB).voided.size(), 1u);
  EXPECT_EQ(Of(kTraderB).voided[0].quantity, Quantity(30));
  EXPECT_EQ(venue_->TopOfBook(kProductX).value().ask->quantity, Quantity(30));
}

TEST_F(ProtectedVenueTest, PriceChangeThatUncrossesPreventsAndTheSurvivorMatchesAThirdOrder) {
  ReportFigureTwoLog();
  Submit(Limit(kTraderA, 1, Side::kBuy, Dollars(10), 50));
  Submit(Limit(kTraderB, 2, Side::kSell, Dollars(10), 50));  // held against A
  time_.AdvanceBy(Ms(10));
  // A moves its bid away; D then bids 10 for B's (reserved) offer: nothing free, it rests.
  ASSERT_TRUE(venue_->Replace({kTraderA, OrderId(1), Dollars(9), Quantity(50)}).ok());
  Submit(Limit(kTraderD, 3, Side::kBuy, Dollars(10), 50));
  time_.AdvanceBy(Ms(1));
  EXPECT_TRUE(Of(kTraderD).pending.empty());
  time_.AdvanceBy(Ms(300));
  EXPECT_TRUE(Of(kTraderA).fills.empty());
  ASSERT_EQ(Of(kTraderA).voided.size(), 1u);
  EXPECT_THAT(Of(kTraderA).voided[0].reason, HasSubstr("no longer match"));
  // R29(d): B's surviving offer matches D, held again, and trades at its own expiry.
  ASSERT_EQ(Of(kTraderD).pending.size(), 1u);
  time_.AdvanceBy(Ms(300));
  ASSERT_EQ(Of(kTraderD).fills.size(), 1u);
  EXPECT_EQ(Of(kTraderD).fills[0].price, Dollars(10));
  EXPECT_EQ(Of(kTraderB).fills.size(), 1u);
}

TEST_F(ProtectedVenueTest, ImmediateOrCancelRestIsCancelledAndItsHeldPartWaits) {  // D7
  ReportFigureTwoLog();
  Submit(Limit(kTraderA, 1, Side::kBuy, Dollars(10), 30));
  OrderRequest ioc = Limit(kTraderB, 2, Side::kSell, Dollars(10), 50);
  ioc.time_in_force = TimeInForce::kImmediateOrCancel;
  Submit(ioc);
  time_.AdvanceBy(Ms(1));
  ASSERT_EQ(Of(kTraderB).cancels.size(), 1u);
  EXPECT_EQ(Of(kTraderB).cancels[0].cancelled_quantity, Quantity(20));
  CancelOrder(kTraderA, 1);
  time_.AdvanceBy(Ms(300));
  EXPECT_TRUE(Of(kTraderB).fills.empty());
  // The failed held part of the IOC order is cancelled, not rested.
  ASSERT_EQ(Of(kTraderB).cancels.size(), 2u);
  EXPECT_EQ(Of(kTraderB).cancels[1].cancelled_quantity, Quantity(30));
  EXPECT_FALSE(venue_->TopOfBook(kProductX).value().ask.has_value());
  EXPECT_EQ(venue_->open_orders(), 0u);
}

TEST_F(ProtectedVenueTest, PeriodIsFixedWhenTheRecordIsEntered) {  // D13
  ReportFigureTwoLog();
  const Timestamp start = time_.Now();
  Submit(Limit(kTraderA, 1, Side::kBuy, Dollars(10), 50));
  Submit(Limit(kTraderB, 2, Side::kSell, Dollars(10), 50));
  ASSERT_TRUE(venue_->ReportLatency(kTraderC, Ms(700)).ok());
  time_.AdvanceTo(start + Ms(200));
  EXPECT_EQ(Of(kTraderA).fills.size(), 1u);
  EXPECT_EQ(venue_->latency_guard()->WholeLogPeriod(), Ms(400));
}

TEST_F(ProtectedVenueTest, TestOrdersMeasureOneWayAndRoundTripAndTheVenueReportsBack) {
  SimulatedVenueConfig config = ProtectedConfig();
  config.latency.inbound.new_order = {Ms(150), Duration::Zero()};
  config.latency.outbound.ack = {Ms(100), Duration::Zero()};
  recorders_.clear();
  Build(config);
  LatencyProbeConfig probe_config;
  probe_config.participant = kTraderA;
  probe_config.test_instrument = kTestProduct;
  probe_config.interval = Ms(500);
  prometheus::Registry registry;
  probe_config.metrics = &registry;
  probe_config.venue_name = "PROT";
  probe_config.submitter = "traders";
  auto probe = LatencyProbe::Create(probe_config, &time_, venue_.get()).value();
  ASSERT_TRUE(venue_->ConnectLatency(kTraderA, probe.get()).ok());
  probe->Start();
  time_.AdvanceBy(Ms(1200));  // test orders at 0, 500 and 1000 ms
  EXPECT_EQ(probe->sent(), 3u);
  EXPECT_EQ(probe->answered(), 2u);
  ASSERT_EQ(probe->round_trips().size(), 2u);  // the third one is still on its way
  // The same counts, the round trips and the period the venue reported, in the registry.
  std::map<std::string, double> seen;
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    for (const prometheus::ClientMetric& metric : family.metric) {
      std::string key = family.name;
      for (const auto& label : metric.label) key += "," + label.name + "=" + label.value;
      seen[key] = family.type == prometheus::MetricType::Histogram
                      ? metric.histogram.sample_sum
                      : metric.counter.value + metric.gauge.value;
    }
  }
  EXPECT_EQ(seen["combo_latency_probes_total,outcome=sent,submitter=traders,venue=PROT"], 3);
  EXPECT_EQ(seen["combo_latency_probes_total,outcome=answered,submitter=traders,venue=PROT"], 2);
  EXPECT_DOUBLE_EQ(seen["combo_latency_probe_round_trip_seconds,submitter=traders,venue=PROT"],
                   0.5);
  EXPECT_EQ(seen["combo_latency_probe_venue_period_seconds,submitter=traders,venue=PROT"], 0);
  EXPECT_EQ(probe->round_trips()[0], Ms(250));
  EXPECT_EQ(probe->last_one_way(), Ms(150));
  // The venue logged both the one-way and the reported round trip, and reported back.
  const auto& history = venue_->latency_guard()->log().History(kTraderA);
  ASSERT_GE(history.size(), 3u);
  EXPECT_EQ(history[0].source, LatencySource::kVenueOneWay);
  EXPECT_EQ(history[0].value, Ms(150));
  EXPECT_EQ(history[1].source, LatencySource::kReportedRoundTrip);
  EXPECT_EQ(history[1].value, Ms(250));
  ASSERT_TRUE(probe->last_report().has_value());
  EXPECT_EQ(probe->last_report()->participant_latency, Ms(250));
  EXPECT_EQ(probe->last_report()->whole_log_period, Duration::Zero());
  EXPECT_TRUE(probe->last_error().ok());
  probe->Stop();
  const uint64_t sent = probe->sent();
  time_.AdvanceBy(Ms(2000));
  EXPECT_EQ(probe->sent(), sent);
}

TEST_F(ProtectedVenueTest, TestOrdersNeverTradeAndBadLatencyInputChangesNothing) {  // R4, R33
  TestOrder wrong;
  wrong.participant = kTraderA;
  wrong.test_id = 1;
  wrong.instrument = kProductX;
  wrong.sent_time = time_.Now();
  EXPECT_THAT(std::string(venue_->SubmitTestOrder(wrong).message()),
              HasSubstr("not the test instrument"));
  EXPECT_THAT(std::string(venue_->ReportLatency(kTraderA, -Ms(1)).message()),
              HasSubstr("negative latency"));
  TestOrder test = wrong;
  test.instrument = kTestProduct;
  ASSERT_TRUE(venue_->SubmitTestOrder(test).ok());
  time_.RunUntilIdle();
  EXPECT_EQ(venue_->latency_guard()->log().History(kTraderA).size(), 1u);
  EXPECT_EQ(Of(kTraderA).accepted.size(), 1u);
  EXPECT_TRUE(Of(kTraderA).fills.empty());
  EXPECT_FALSE(venue_->TopOfBook(kProductX).value().bid.has_value());
  EXPECT_EQ(venue_->open_orders(), 0u);
}

TEST_F(ProtectedVenueTest, ReportedLatencyIsCapped) {  // D11
  SimulatedVenueConfig config = ProtectedConfig();
  config.latency_protection.reported_cap = Ms(500);
  recorders_.clear();
  Build(config);
  ASSERT_TRUE(venue_->ReportLatency(kTraderA, Ms(5000)).ok());
  time_.RunUntilIdle();
  EXPECT_EQ(venue_->latency_guard()->log().History(kTraderA)[0].value, Ms(500));
  ASSERT_EQ(Of(kTraderA).reports.size(), 1u);
  EXPECT_EQ(Of(kTraderA).reports[0].whole_log_period, Ms(200));
}

TEST(ProtectedVenueConfigTest, BadProtectionConfigIsRejected) {
  core::SimulatedTime time;
  SimulatedVenueConfig listed_test = ProtectedConfig();
  listed_test.latency_protection.test_instrument = kProductX;
  EXPECT_THAT(std::string(SimulatedVenue::Create(listed_test, &time).status().message()),
              HasSubstr("artificial product"));
  SimulatedVenueConfig seed001 = ProtectedConfig();
  seed001.allocation = AllocationRule::kSeed001Options;
  EXPECT_THAT(std::string(SimulatedVenue::Create(seed001, &time).status().message()),
              HasSubstr("price_time"));
  SimulatedVenueConfig bad_tiers = ProtectedConfig();
  bad_tiers.latency_protection.tiers.clear();
  EXPECT_FALSE(SimulatedVenue::Create(bad_tiers, &time).ok());
  SimulatedVenueConfig off = ProtectedConfig();
  off.latency_protection.enabled = false;
  auto venue = SimulatedVenue::Create(off, &time).value();
  EXPECT_EQ(venue->latency_guard(), nullptr);
  EXPECT_FALSE(venue->ReportLatency(kTraderA, Ms(1)).ok());
}

}  // namespace
}  // namespace combo::venues
