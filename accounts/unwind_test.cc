#include "accounts/unwind.h"

#include <vector>

#include "accounts/marks.h"
#include "accounts/test_util.h"
#include "core/simulated_time.h"
#include "gtest/gtest.h"

namespace combo::accounts {
namespace {

using core::Side;
using testing::P;

class FixedMarks : public MarkSource {
 public:
  std::optional<core::TopOfBook> ConsolidatedTop(core::InstrumentId instrument) const override {
    auto it = tops.find(instrument);
    if (it == tops.end()) return std::nullopt;
    return it->second;
  }
  std::map<core::InstrumentId, core::TopOfBook> tops;
};

// Records unwind orders instead of sending them to venues.
class RecordingSink : public UnwindOrderSink {
 public:
  absl::StatusOr<core::OrderId> SendUnwindOrder(const UnwindOrder& order) override {
    if (refuse) return absl::UnavailableError("venue down");
    sent.push_back(order);
    return core::OrderId(500 + sent.size());
  }
  std::vector<UnwindOrder> sent;
  bool refuse = false;
};

core::TopOfBook Top(core::Price bid, core::Price ask) {
  return core::TopOfBook{core::PriceLevel{bid, core::Quantity(10)},
                         core::PriceLevel{ask, core::Quantity(10)}};
}

class UnwindTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Error account: long 4 of A (#1), short 2 of B (#2).
    Apply(testing::Vertical(1, 10));
    Apply(testing::Fill(1, 1, Side::kBuy, 4, P(3), "a"));
    Apply(testing::Fill(1, 2, Side::kSell, 2, P(1), "b"));
    Apply(testing::ToErrorAccount(1, 1, Side::kBuy, 4, P(3)));
    Apply(testing::ToErrorAccount(1, 2, Side::kSell, 2, P(1)));
    for (uint32_t id : {1u, 2u}) {
      auto instrument = core::Instrument::Create(core::InstrumentDefinition{
          .id = core::InstrumentId(id),
          .symbol = id == 1 ? "A" : "B",
          .asset_class = core::AssetClass::kOption,
          .underlying = "SPY",
          .multiplier = 100,
          .tick_rule = P(0, 50'000'000),
          .option =
              core::OptionTerms{core::OptionRight::kCall, P(450), absl::CivilDay(2026, 12, 18)}});
      ASSERT_TRUE(instrument.ok()) << instrument.status();
      ASSERT_TRUE(catalog_.Add(*instrument).ok());
    }
    marks_.tops[core::InstrumentId(1)] = Top(P(3, 100'000'000), P(3, 400'000'000));
    marks_.tops[core::InstrumentId(2)] = Top(P(0, 900'000'000), P(1, 100'000'000));
  }
  void Apply(const JournalEvent& event) {
    ASSERT_TRUE(ledger_.Apply(ledger_.last_sequence() + 1, event).ok());
  }
  UnwindPolicy On(UnwindAggression aggression) {
    UnwindPolicy policy;
    policy.mode = UnwindMode::kOn;
    policy.aggression = aggression;
    policy.interval = core::Duration::Seconds(1);
    return policy;
  }

  Ledger ledger_;
  core::InstrumentCatalog catalog_;
  FixedMarks marks_;
  RecordingSink sink_;
  core::SimulatedTime time_;
};

TEST_F(UnwindTest, UnwindIsOffByDefault) {
  ErrorAccountUnwinder unwinder(UnwindPolicy{}, time_, ledger_, marks_, catalog_, sink_);
  ASSERT_TRUE(unwinder.Start().ok());
  time_.AdvanceBy(core::Duration::Seconds(60));
  EXPECT_EQ(unwinder.RunOnce(), 0);
  EXPECT_TRUE(sink_.sent.empty());
  EXPECT_EQ(time_.pending(), 0u);
}

TEST_F(UnwindTest, PassiveUnwindJoinsTheBestPriceOnTheClosingSide) {
  ErrorAccountUnwinder unwinder(On(UnwindAggression::kPassive), time_, ledger_, marks_, catalog_,
                                sink_);
  ASSERT_TRUE(unwinder.Start().ok());
  time_.AdvanceBy(core::Duration::Seconds(1));
  ASSERT_EQ(sink_.sent.size(), 2u);
  EXPECT_EQ(sink_.sent[0], (UnwindOrder{core::InstrumentId(1), Side::kSell, core::Quantity(4),
                                        P(3, 400'000'000)}));
  EXPECT_EQ(sink_.sent[1],
            (UnwindOrder{core::InstrumentId(2), Side::kBuy, core::Quantity(2), P(0, 900'000'000)}));
}

TEST_F(UnwindTest, CrossingUnwindTakesTheOppositeBest) {
  ErrorAccountUnwinder unwinder(On(UnwindAggression::kCross), time_, ledger_, marks_, catalog_,
                                sink_);
  EXPECT_EQ(unwinder.RunOnce(), 2);
  EXPECT_EQ(sink_.sent[0].limit, P(3, 100'000'000));
  EXPECT_EQ(sink_.sent[1].limit, P(1, 100'000'000));
}

TEST_F(UnwindTest, MidUnwindRoundsToTheTickAwayFromCrossing) {
  // A: mid 3.25 is on tick; B: 0.90/1.00 mid 0.95 on tick. Move B to 0.90/1.05 (mid 0.975).
  marks_.tops[core::InstrumentId(2)] = Top(P(0, 900'000'000), P(1, 50'000'000));
  marks_.tops[core::InstrumentId(1)] = Top(P(3, 100'000'000), P(3, 350'000'000));
  ErrorAccountUnwinder unwinder(On(UnwindAggression::kMid), time_, ledger_, marks_, catalog_,
                                sink_);
  EXPECT_EQ(unwinder.RunOnce(), 2);
  // Selling A at mid 3.225 rounds up to 3.25; buying B at mid 0.975 rounds down to 0.95.
  EXPECT_EQ(sink_.sent[0].limit, P(3, 250'000'000));
  EXPECT_EQ(sink_.sent[1].limit, P(0, 950'000'000));
}

TEST_F(UnwindTest, OneUnwindOrderWorksPerInstrumentUntilItIsDone) {
  ErrorAccountUnwinder unwinder(On(UnwindAggression::kPassive), time_, ledger_, marks_, catalog_,
                                sink_);
  EXPECT_EQ(unwinder.RunOnce(), 2);
  EXPECT_EQ(unwinder.RunOnce(), 0);
  unwinder.OnUnwindOrderDone(unwinder.working().at(core::InstrumentId(1)));
  EXPECT_EQ(unwinder.RunOnce(), 1);
  EXPECT_EQ(sink_.sent.back().instrument, core::InstrumentId(1));
}

TEST_F(UnwindTest, RefusedUnwindIsRetriedAtTheNextInterval) {
  ErrorAccountUnwinder unwinder(On(UnwindAggression::kPassive), time_, ledger_, marks_, catalog_,
                                sink_);
  ASSERT_TRUE(unwinder.Start().ok());
  sink_.refuse = true;
  time_.AdvanceBy(core::Duration::Seconds(1));
  EXPECT_TRUE(unwinder.working().empty());
  sink_.refuse = false;
  time_.AdvanceBy(core::Duration::Seconds(1));
  EXPECT_EQ(unwinder.working().size(), 2u);
}

TEST_F(UnwindTest, NoMarketMeansNoUnwindOrder) {
  marks_.tops[core::InstrumentId(1)].ask.reset();
  marks_.tops.erase(core::InstrumentId(2));
  ErrorAccountUnwinder unwinder(On(UnwindAggression::kPassive), time_, ledger_, marks_, catalog_,
                                sink_);
  EXPECT_EQ(unwinder.RunOnce(), 0);
}

TEST_F(UnwindTest, LargePositionsUnwindInSlicesOfTheMaximumOrder) {
  UnwindPolicy policy = On(UnwindAggression::kPassive);
  policy.max_order_quantity = core::Quantity(3);
  ErrorAccountUnwinder unwinder(policy, time_, ledger_, marks_, catalog_, sink_);
  unwinder.RunOnce();
  EXPECT_EQ(sink_.sent[0].quantity, core::Quantity(3));
  EXPECT_EQ(sink_.sent[1].quantity, core::Quantity(2));
}

TEST_F(UnwindTest, InvalidPolicyIsRefused) {
  UnwindPolicy policy = On(UnwindAggression::kPassive);
  policy.interval = core::Duration::Zero();
  ErrorAccountUnwinder unwinder(policy, time_, ledger_, marks_, catalog_, sink_);
  EXPECT_FALSE(unwinder.Start().ok());
  EXPECT_FALSE(ParseUnwindAggression("reckless").ok());
  EXPECT_EQ(*ParseUnwindAggression("cross"), UnwindAggression::kCross);
}

TEST(MarksTest, ErrorAccountIsMarkedToTheConsolidatedMid) {
  Ledger ledger;
  ASSERT_TRUE(ledger.Apply(1, testing::Vertical(1, 10)).ok());
  ASSERT_TRUE(ledger.Apply(2, testing::Fill(1, 1, Side::kBuy, 4, P(3), "a")).ok());
  ASSERT_TRUE(ledger.Apply(3, testing::Fill(1, 2, Side::kSell, 2, P(1), "b")).ok());
  ASSERT_TRUE(ledger.Apply(4, testing::ToErrorAccount(1, 1, Side::kBuy, 4, P(3))).ok());
  ASSERT_TRUE(ledger.Apply(5, testing::ToErrorAccount(1, 2, Side::kSell, 2, P(1))).ok());
  ASSERT_TRUE(
      ledger
          .Apply(6, ErrorAccountBooking{ErrorBookingKind::kUnwindFill, core::OrderId(77),
                                        core::InstrumentId(1), Side::kSell, core::Quantity(1),
                                        P(3, 500'000'000), "unwind", testing::T(9)})
          .ok());
  FixedMarks marks;
  marks.tops[core::InstrumentId(1)] = Top(P(3, 100'000'000), P(3, 300'000'000));
  marks.tops[core::InstrumentId(2)] = Top(P(0, 900'000'000), core::Price());
  marks.tops[core::InstrumentId(2)].ask.reset();
  const auto live = LiveMarks(ledger, marks);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live.at(core::InstrumentId(1)), P(3, 200'000'000));
  const ErrorAccountValue value = ValueErrorAccount(ledger, live);
  // Realized: (3.50 - 3) x 1 x 100 = 50. Unrealized on the 3 left: (3.20 - 3) x 3 x 100 = 60.
  EXPECT_EQ(value.realized, core::Money::FromPrice(P(50)));
  EXPECT_EQ(value.unrealized, core::Money::FromPrice(P(60)));
  EXPECT_EQ(value.unmarked, 1);
  ASSERT_EQ(value.positions.size(), 2u);
  EXPECT_FALSE(value.positions[1].unrealized.has_value());
}

TEST(MarksTest, MidOfAOneSidedMarketIsNone) {
  core::TopOfBook top;
  top.bid = core::PriceLevel{P(1), core::Quantity(1)};
  EXPECT_EQ(MidOf(top), std::nullopt);
  top.ask = core::PriceLevel{P(1, 5), core::Quantity(1)};
  // (1 + 1.000000005) / 2 = 1.0000000025, half-even to 1.000000002.
  EXPECT_EQ(MidOf(top), P(1, 2));
}

}  // namespace
}  // namespace combo::accounts
