// ComplexBook: the seed's worked examples (EX-C1, EX-C2), the spec's derived tests D1-D12, and
// the order-handling rules (types, conditions, triggers, exposure delay, replace, market data).
#include "venues/complex_book.h"

#include <vector>

#include "gtest/gtest.h"
#include "venues/complex_book_test_util.h"
#include "venues/complex_pricing.h"

namespace combo::venues {
namespace {

using core::InstrumentId;
using core::Price;
using core::Quantity;
using core::Side;
using testing::Cents;
using testing::ComplexHarness;
using testing::MakeCombo;
using Options = ComplexHarness::ComplexOptions;

constexpr InstrumentId kS1(1);
constexpr InstrumentId kS2(2);
constexpr InstrumentId kLeg1(3);
constexpr InstrumentId kLeg2(4);
// EX-C2's spread: buy 1 Series 1, sell 1 Series 2.
constexpr uint32_t kSpread = 1;
// EX-C1's combo: buy 2 Leg 1, sell 1 Leg 2.
constexpr uint32_t kTwoToOne = 2;

ComplexBookConfig Config(Price buffer = Price::Zero()) {
  ComplexBookConfig config;
  config.enabled = true;
  config.combos.push_back(MakeCombo(kSpread, {{kS1, 1, Side::kBuy}, {kS2, 1, Side::kSell}}));
  config.combos.push_back(MakeCombo(kTwoToOne, {{kLeg1, 2, Side::kBuy}, {kLeg2, 1, Side::kSell}}));
  config.net_tick = Cents(1);
  config.price_buffer = buffer;
  return config;
}

class ComplexBookTest : public ::testing::Test {
 protected:
  void Build(ComplexBookConfig config) {
    harness_ = std::make_unique<ComplexHarness>(std::move(config),
                                                std::vector<InstrumentId>{kS1, kS2, kLeg1, kLeg2});
  }
  void SetUp() override { Build(Config()); }

  // EX-C2's leg markets: Series 1 0.50 x 0.60, Series 2 0.30 x 0.40, 100 each side.
  void SeedExC2Legs(ParticipantRole s1_ask_role = ParticipantRole::kProfessional,
                    ParticipantRole s1_bid_role = ParticipantRole::kProfessional) {
    h().AddLeg(kS1, Side::kBuy, Cents(50), 100, s1_bid_role);
    h().AddLeg(kS1, Side::kSell, Cents(60), 100, s1_ask_role);
    h().AddLeg(kS2, Side::kBuy, Cents(30), 100);
    h().AddLeg(kS2, Side::kSell, Cents(40), 100);
  }

  // Holds the next complex order in its exposure delay, so it rests without trading actively.
  void AddExposed(uint64_t tag, Side side, Price price, int64_t quantity) {
    h().complex().SetExposureDelay(core::Duration::Seconds(10));
    ASSERT_FALSE(h().AddComplex(tag, kSpread, side, price, quantity).rejection.has_value());
    h().complex().SetExposureDelay(core::Duration::Zero());
  }

  ComplexHarness& h() { return *harness_; }
  const ComplexExecution& only_execution() {
    EXPECT_EQ(h().executions.size(), 1u);
    return h().executions.front().execution;
  }

  std::unique_ptr<ComplexHarness> harness_;
};

// ---- The seed's worked examples ----

TEST_F(ComplexBookTest, ExC1LegsInKeepingTheTwoToOneRatioAndRestsTheRemainder) {
  h().AddLeg(kLeg1, Side::kSell, Price::FromParts(10, 0), 100);
  h().AddLeg(kLeg2, Side::kBuy, Price::FromParts(5, 0), 30);
  const ComplexAddResult result =
      h().AddComplex(1, kTwoToOne, Side::kBuy, Price::FromParts(15, 0), 50);
  EXPECT_EQ(result.filled, Quantity(30));
  EXPECT_EQ(result.resting, Quantity(20));
  const ComplexExecution& execution = only_execution();
  EXPECT_EQ(execution.units, Quantity(30));
  EXPECT_EQ(execution.net_price, Price::FromParts(15, 0));
  ASSERT_EQ(execution.legs.size(), 2u);
  EXPECT_EQ(execution.legs[0].instrument, kLeg1);
  EXPECT_EQ(execution.legs[0].side, Side::kBuy);
  EXPECT_EQ(execution.legs[0].quantity, Quantity(60));
  EXPECT_EQ(execution.legs[0].price, Price::FromParts(10, 0));
  EXPECT_EQ(execution.legs[1].side, Side::kSell);
  EXPECT_EQ(execution.legs[1].quantity, Quantity(30));
  EXPECT_EQ(execution.legs[1].price, Price::FromParts(5, 0));
  EXPECT_FALSE(execution.resting.has_value());
  // The leg books: Leg 1 keeps sell 40 @ 10, Leg 2's bid is empty.
  EXPECT_EQ(h().leg(kLeg1).Best(Side::kSell),
            (core::PriceLevel{Price::FromParts(10, 0), Quantity(40)}));
  EXPECT_FALSE(h().leg(kLeg2).Best(Side::kBuy).has_value());
  EXPECT_EQ(h().complex().Find(1)->leaves, Quantity(20));
  // The leg books saw the two leg orders trade: 60 on Leg 1, 30 on Leg 2.
  ASSERT_EQ(h().leg_trades.size(), 2u);
  EXPECT_EQ(h().leg_trades[0].trade.quantity, Quantity(60));
  EXPECT_EQ(h().leg_trades[1].trade.quantity, Quantity(30));
}

TEST_F(ComplexBookTest, ExC2SyntheticRangeIsTenToThirtyCents) {
  SeedExC2Legs();
  const std::optional<SyntheticRange> range = h().complex().Range(core::ComboId(kSpread));
  ASSERT_TRUE(range.has_value());
  EXPECT_EQ(range->low, Cents(10));
  EXPECT_EQ(range->high, Cents(30));
  // Net price 0.30 = high: marketable, legs in buying S1 @ 0.60 and selling S2 @ 0.30.
  h().AddComplex(1, kSpread, Side::kBuy, Cents(30), 10);
  const ComplexExecution& execution = only_execution();
  EXPECT_EQ(execution.units, Quantity(10));
  EXPECT_EQ(execution.net_price, Cents(30));
  EXPECT_EQ(execution.legs[0].price, Cents(60));
  EXPECT_EQ(execution.legs[1].price, Cents(30));
}

// ---- Derived tests D1-D12 (spec section 3) ----

TEST_F(ComplexBookTest, D1OlderOrdersPriceWhenTheBuyerIsOlder) {
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kBuy, Cents(25), 10);
  EXPECT_TRUE(h().executions.empty());
  h().AddComplex(2, kSpread, Side::kSell, Cents(15), 10);
  const ComplexExecution& execution = only_execution();
  EXPECT_EQ(execution.net_price, Cents(25));
  EXPECT_EQ(execution.units, Quantity(10));
  ASSERT_TRUE(execution.resting.has_value());
  EXPECT_EQ(execution.resting->tag, 1u);
  EXPECT_EQ(execution.incoming.tag, 2u);
}

TEST_F(ComplexBookTest, D2OlderOrdersPriceWhenTheInverseIsOlder) {
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kSell, Cents(15), 10);
  EXPECT_TRUE(h().executions.empty());
  h().AddComplex(2, kSpread, Side::kBuy, Cents(25), 10);
  EXPECT_EQ(only_execution().net_price, Cents(15));
}

TEST_F(ComplexBookTest, D3OlderPriceAboveHighIsClippedToHigh) {
  Build(Config(Cents(5)));
  SeedExC2Legs();
  AddExposed(1, Side::kBuy, Cents(33), 10);
  h().AddComplex(2, kSpread, Side::kSell, Cents(20), 10);
  EXPECT_EQ(only_execution().net_price, Cents(30));
}

TEST_F(ComplexBookTest, D4CustomerAtTheHighMovesThePriceOneTickInward) {
  Build(Config(Cents(5)));
  SeedExC2Legs(ParticipantRole::kCustomer);
  AddExposed(1, Side::kBuy, Cents(33), 10);
  h().AddComplex(2, kSpread, Side::kSell, Cents(20), 10);
  const ComplexExecution& execution = only_execution();
  EXPECT_EQ(execution.net_price, Cents(29));
  // Series 1 is not priced at the customer's offer.
  EXPECT_LT(execution.legs[0].price, Cents(60));
}

TEST_F(ComplexBookTest, D5OlderPriceBelowLowIsClippedToLow) {
  Build(Config(Cents(5)));
  SeedExC2Legs();
  AddExposed(1, Side::kSell, Cents(7), 10);
  h().AddComplex(2, kSpread, Side::kBuy, Cents(25), 10);
  EXPECT_EQ(only_execution().net_price, Cents(10));
}

TEST_F(ComplexBookTest, D5CustomerAtTheLowMovesThePriceOneTickInward) {
  Build(Config(Cents(5)));
  SeedExC2Legs(ParticipantRole::kProfessional, ParticipantRole::kCustomer);
  AddExposed(1, Side::kSell, Cents(7), 10);
  h().AddComplex(2, kSpread, Side::kBuy, Cents(25), 10);
  const ComplexExecution& execution = only_execution();
  EXPECT_EQ(execution.net_price, Cents(11));
  // Series 1 is bought above the customer's bid, not alongside it.
  EXPECT_EQ(execution.legs[0].price, Cents(51));
  EXPECT_EQ(execution.legs[1].price, Cents(40));
}

TEST_F(ComplexBookTest, D6NoMatchAtTheLowWithACustomerThere) {
  SeedExC2Legs(ParticipantRole::kProfessional, ParticipantRole::kCustomer);
  h().AddComplex(1, kSpread, Side::kBuy, Cents(10), 10);
  AddExposed(2, Side::kSell, Cents(10), 10);
  EXPECT_TRUE(h().executions.empty());
  EXPECT_EQ(h().complex().Find(1)->leaves, Quantity(10));
  EXPECT_EQ(h().complex().Find(2)->leaves, Quantity(10));
}

TEST_F(ComplexBookTest, D7BelowTheLowIsNotMarketableAndRests) {
  SeedExC2Legs();
  const ComplexAddResult result = h().AddComplex(1, kSpread, Side::kBuy, Cents(5), 10);
  EXPECT_EQ(result.resting, Quantity(10));
  AddExposed(2, Side::kSell, Cents(5), 10);
  EXPECT_TRUE(h().executions.empty());
}

TEST_F(ComplexBookTest, D8InverseBelowLowMinusBufferIsNotQueued) {
  Build(Config(Cents(5)));
  SeedExC2Legs();
  AddExposed(1, Side::kSell, Cents(4), 10);
  h().AddComplex(2, kSpread, Side::kBuy, Cents(25), 10);
  EXPECT_TRUE(h().executions.empty());
  EXPECT_TRUE(h().complex().Find(2).has_value());
}

TEST_F(ComplexBookTest, D9BestInverseByPriceThenTime) {
  SeedExC2Legs();
  h().AddComplex(2, kSpread, Side::kSell, Cents(20), 1);  // B2, t = 1
  h().AddComplex(1, kSpread, Side::kSell, Cents(20), 1);  // B1, t = 2
  h().AddComplex(3, kSpread, Side::kSell, Cents(18), 1);  // B3, t = 3
  h().AddComplex(10, kSpread, Side::kBuy, Cents(25), 1);
  ASSERT_TRUE(only_execution().resting.has_value());
  EXPECT_EQ(only_execution().resting->tag, 3u);
  // Without B3: B2, older at the same price.
  h().executions.clear();
  h().AddComplex(11, kSpread, Side::kBuy, Cents(25), 1);
  ASSERT_TRUE(only_execution().resting.has_value());
  EXPECT_EQ(only_execution().resting->tag, 2u);
}

TEST_F(ComplexBookTest, D10TieAtTheHighPrefersTheComplexOrder) {
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kSell, Cents(30), 10);
  h().AddComplex(2, kSpread, Side::kBuy, Cents(30), 10);
  const ComplexExecution& execution = only_execution();
  EXPECT_EQ(execution.net_price, Cents(30));
  EXPECT_TRUE(execution.resting.has_value());
  EXPECT_TRUE(h().leg_trades.empty());
}

TEST_F(ComplexBookTest, D10TieAtTheHighWithACustomerThereLegsIn) {
  SeedExC2Legs(ParticipantRole::kCustomer);
  h().AddComplex(1, kSpread, Side::kSell, Cents(30), 10);
  h().AddComplex(2, kSpread, Side::kBuy, Cents(30), 10);
  const ComplexExecution& execution = only_execution();
  EXPECT_FALSE(execution.resting.has_value());
  EXPECT_EQ(execution.net_price, Cents(30));
  EXPECT_EQ(execution.legs[0].price, Cents(60));
  EXPECT_EQ(execution.legs[1].price, Cents(30));
  EXPECT_EQ(h().complex().Find(1)->leaves, Quantity(10));
}

TEST_F(ComplexBookTest, D11AllOrNoneSkipsAnInverseTooSmall) {
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kSell, Cents(20), 5);
  h().AddComplex(2, kSpread, Side::kBuy, Cents(25), 10,
                 Options{.condition = FillCondition::kAllOrNone});
  EXPECT_TRUE(h().executions.empty());
  // Without the condition the same order takes the 5.
  h().AddComplex(3, kSpread, Side::kBuy, Cents(25), 10);
  EXPECT_EQ(only_execution().units, Quantity(5));
}

TEST_F(ComplexBookTest, D11InverseAllOrNoneLargerThanTheOrderIsNotQueued) {
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kSell, Cents(20), 10,
                 Options{.condition = FillCondition::kAllOrNone});
  h().AddComplex(2, kSpread, Side::kBuy, Cents(25), 5);
  EXPECT_TRUE(h().executions.empty());
  h().AddComplex(3, kSpread, Side::kBuy, Cents(25), 10);
  EXPECT_EQ(only_execution().units, Quantity(10));
}

TEST_F(ComplexBookTest, D12LegBidArrivalLegsTheRemainderIn) {
  h().AddLeg(kLeg1, Side::kSell, Price::FromParts(10, 0), 100);
  h().AddLeg(kLeg2, Side::kBuy, Price::FromParts(5, 0), 30);
  h().AddComplex(1, kTwoToOne, Side::kBuy, Price::FromParts(15, 0), 50);
  h().executions.clear();
  h().AddLeg(kLeg2, Side::kBuy, Price::FromParts(5, 0), 20);
  const ComplexExecution& execution = only_execution();
  EXPECT_EQ(execution.units, Quantity(20));
  EXPECT_EQ(execution.legs[0].quantity, Quantity(40));
  EXPECT_EQ(execution.legs[0].price, Price::FromParts(10, 0));
  EXPECT_EQ(execution.legs[1].quantity, Quantity(20));
  EXPECT_EQ(execution.legs[1].price, Price::FromParts(5, 0));
  EXPECT_FALSE(h().complex().Find(1).has_value());
  EXPECT_EQ(h().complex().order_count(), 0u);
}

// ---- R22: the up-tick rule on a stock leg's short sale ----

// EX-C1's books with Leg 2 a stock whose short sales the up-tick rule restricts, and the complex
// order (buy 2 Leg 1 / sell 1 Leg 2, 50 units at 15) marked as a short sale: its Leg 2 sells at
// the bid 5 only above the stock's last sale, or at it after an up-tick. Each last sale that
// changes the tick re-evaluates the combo (R10's up-tick trigger); the zero-plus tick lets EX-C1's
// 30 units trade at 15.
TEST_F(ComplexBookTest, R22AShortSaleLegsInOnlyOnAnUpTickAndTheUpTickTriggersIt) {
  ComplexBookConfig config = Config();
  config.up_tick_restricted = {kLeg2};
  Build(std::move(config));
  h().AddLeg(kLeg1, Side::kSell, Price::FromParts(10, 0), 100);
  h().AddLeg(kLeg2, Side::kBuy, Price::FromParts(5, 0), 30);
  ComplexHarness::ComplexOptions short_sale;
  short_sale.short_sale = true;
  // No last sale yet: no tick to sell short on; the order rests whole.
  EXPECT_EQ(
      h().AddComplex(1, kTwoToOne, Side::kBuy, Price::FromParts(15, 0), 50, short_sale).resting,
      Quantity(50));
  EXPECT_TRUE(h().executions.empty());
  // 5.01, then a down-tick to 5.00: a sale at 5 is below, then at a minus tick.
  for (Price last : {Price::FromParts(5, 10'000'000), Price::FromParts(5, 0)}) {
    h().complex().OnLastSale(kLeg2, last);
    h().complex().ProcessPending();
    EXPECT_TRUE(h().executions.empty());
  }
  // 4.99, then 5.00: an up-tick to 5.00 (the trigger): the 30 units of EX-C1 trade at 15.
  h().complex().OnLastSale(kLeg2, Price::FromParts(4, 990'000'000));
  h().complex().OnLastSale(kLeg2, Price::FromParts(5, 0));
  h().complex().ProcessPending();
  const ComplexExecution& execution = only_execution();
  EXPECT_EQ(execution.units, Quantity(30));
  EXPECT_EQ(execution.net_price, Price::FromParts(15, 0));
  EXPECT_EQ(execution.legs[1].price, Price::FromParts(5, 0));
  EXPECT_EQ(h().complex().Find(1)->leaves, Quantity(20));
}

// The rule restricts only short sales of the restricted stock: an order not marked short, or one
// that buys the stock (the inverse sells Leg 1 and buys Leg 2), trades without a last sale.
TEST_F(ComplexBookTest, R22TheUpTickRuleLeavesLongSalesAndStockPurchasesAlone) {
  ComplexBookConfig config = Config();
  config.up_tick_restricted = {kLeg2};
  Build(std::move(config));
  h().AddLeg(kLeg1, Side::kSell, Price::FromParts(10, 0), 100);
  h().AddLeg(kLeg2, Side::kBuy, Price::FromParts(5, 0), 30);
  EXPECT_EQ(h().AddComplex(1, kTwoToOne, Side::kBuy, Price::FromParts(15, 0), 50).filled,
            Quantity(30));
  h().AddLeg(kLeg1, Side::kBuy, Price::FromParts(9, 0), 100);
  h().AddLeg(kLeg2, Side::kSell, Price::FromParts(6, 0), 30);
  ComplexHarness::ComplexOptions short_sale;
  short_sale.short_sale = true;
  // Selling the combo sells Leg 1 and buys Leg 2 (the stock): 2 x 9 - 6 = 12.
  EXPECT_EQ(
      h().AddComplex(2, kTwoToOne, Side::kSell, Price::FromParts(12, 0), 10, short_sale).filled,
      Quantity(10));
}

// ---- Legging in ----

TEST_F(ComplexBookTest, LegInSweepsLevelsReevaluatingAfterEachFill) {
  h().AddLeg(kS1, Side::kSell, Cents(60), 10);
  h().AddLeg(kS1, Side::kSell, Cents(61), 10);
  h().AddLeg(kS1, Side::kSell, Cents(63), 10);
  h().AddLeg(kS2, Side::kBuy, Cents(30), 100);
  const ComplexAddResult result = h().AddComplex(1, kSpread, Side::kBuy, Cents(32), 25);
  EXPECT_EQ(result.filled, Quantity(20));
  ASSERT_EQ(h().executions.size(), 2u);
  EXPECT_EQ(h().executions[0].execution.net_price, Cents(30));
  EXPECT_EQ(h().executions[0].execution.units, Quantity(10));
  EXPECT_EQ(h().executions[1].execution.net_price, Cents(31));
  EXPECT_EQ(h().executions[1].execution.units, Quantity(10));
  // 0.63 - 0.30 = 0.33 is past the limit: the rest waits.
  EXPECT_EQ(h().complex().Find(1)->leaves, Quantity(5));
}

TEST_F(ComplexBookTest, SellOrderLegsInAtTheMirrorEdges) {
  h().AddLeg(kS1, Side::kBuy, Cents(50), 10);
  h().AddLeg(kS2, Side::kSell, Cents(40), 10);
  h().AddComplex(1, kSpread, Side::kSell, Cents(10), 4);
  const ComplexExecution& execution = only_execution();
  EXPECT_EQ(execution.net_price, Cents(10));
  EXPECT_EQ(execution.units, Quantity(4));
  EXPECT_EQ(execution.incoming.side, Side::kSell);
  // Canonical (buyer's) view of the legs; the seller sold S1 at the bid and bought S2.
  EXPECT_EQ(execution.legs[0].price, Cents(50));
  EXPECT_EQ(execution.legs[1].price, Cents(40));
  EXPECT_EQ(h().leg(kS1).Best(Side::kBuy)->quantity, Quantity(6));
  EXPECT_EQ(h().leg(kS2).Best(Side::kSell)->quantity, Quantity(6));
}

TEST_F(ComplexBookTest, LegInTradesWholeRatioUnitsOnly) {
  h().AddLeg(kLeg1, Side::kSell, Price::FromParts(10, 0), 7);  // 3 units and one contract
  h().AddLeg(kLeg2, Side::kBuy, Price::FromParts(5, 0), 30);
  h().AddComplex(1, kTwoToOne, Side::kBuy, Price::FromParts(15, 0), 50);
  EXPECT_EQ(only_execution().units, Quantity(3));
  EXPECT_EQ(only_execution().legs[0].quantity, Quantity(6));
  EXPECT_EQ(h().leg(kLeg1).Best(Side::kSell)->quantity, Quantity(1));
}

TEST_F(ComplexBookTest, NoLegInWhileHighIsAboveTheLimit) {
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kBuy, Cents(29), 10);
  EXPECT_TRUE(h().executions.empty());
  EXPECT_TRUE(h().leg_trades.empty());
}

TEST_F(ComplexBookTest, BufferScopeAllMatchingKeepsAnOrderBeyondTheBandWaiting) {
  ComplexBookConfig config = Config(Cents(5));
  config.buffer_scope = BufferScope::kAllMatching;
  Build(config);
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kBuy, Cents(40), 10);  // above high + buffer = 0.35
  EXPECT_TRUE(h().executions.empty());
  h().AddComplex(2, kSpread, Side::kBuy, Cents(35), 10);  // within the band: legs in
  EXPECT_EQ(only_execution().incoming.tag, 2u);
}

TEST_F(ComplexBookTest, BufferScopeComplexMatchingOnlyStillLegsIn) {
  Build(Config(Cents(5)));
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kBuy, Cents(40), 10);
  EXPECT_EQ(only_execution().net_price, Cents(30));
  EXPECT_FALSE(only_execution().resting.has_value());
}

// ---- Order types and conditions ----

TEST_F(ComplexBookTest, ImmediateOrCancelRemainderIsCancelled) {
  h().AddLeg(kS1, Side::kSell, Cents(60), 4);
  h().AddLeg(kS2, Side::kBuy, Cents(30), 100);
  const ComplexAddResult result = h().AddComplex(1, kSpread, Side::kBuy, Cents(30), 10,
                                                 Options{.tif = TimeInForce::kImmediateOrCancel});
  EXPECT_EQ(result.filled, Quantity(4));
  EXPECT_EQ(result.resting, Quantity::Zero());
  ASSERT_EQ(h().cancels.size(), 1u);
  EXPECT_EQ(h().cancels[0].reason, CancelReason::kImmediateOrCancel);
  EXPECT_EQ(h().cancels[0].quantity, 6);
  EXPECT_EQ(h().complex().order_count(), 0u);
}

TEST_F(ComplexBookTest, FillOrKillTradesNothingUnlessWhole) {
  h().AddLeg(kS1, Side::kSell, Cents(60), 4);
  h().AddLeg(kS2, Side::kBuy, Cents(30), 100);
  h().AddComplex(1, kSpread, Side::kBuy, Cents(30), 10, Options{.tif = TimeInForce::kFillOrKill});
  EXPECT_TRUE(h().executions.empty());
  ASSERT_EQ(h().cancels.size(), 1u);
  EXPECT_EQ(h().cancels[0].reason, CancelReason::kFillOrKill);
  EXPECT_EQ(h().leg(kS1).Best(Side::kSell)->quantity, Quantity(4));
}

TEST_F(ComplexBookTest, AllOrNoneRestsUntilTheWholeQuantityCanTrade) {
  h().AddLeg(kS1, Side::kSell, Cents(60), 4);
  h().AddLeg(kS2, Side::kBuy, Cents(30), 100);
  h().AddComplex(1, kSpread, Side::kBuy, Cents(30), 10,
                 Options{.condition = FillCondition::kAllOrNone});
  EXPECT_TRUE(h().executions.empty());
  h().AddLeg(kS1, Side::kSell, Cents(60), 6);
  EXPECT_EQ(only_execution().units, Quantity(10));
  EXPECT_EQ(h().complex().order_count(), 0u);
}

TEST_F(ComplexBookTest, MarketOrderLegsInAtAnyPriceAndNeverRests) {
  h().AddLeg(kS1, Side::kSell, Cents(60), 5);
  h().AddLeg(kS1, Side::kSell, Cents(70), 5);
  h().AddLeg(kS2, Side::kBuy, Cents(30), 100);
  const ComplexAddResult result = h().AddComplex(1, kSpread, Side::kBuy, Price::Zero(), 12,
                                                 Options{.type = OrderType::kMarket});
  EXPECT_EQ(result.filled, Quantity(10));
  ASSERT_EQ(h().executions.size(), 2u);
  EXPECT_EQ(h().executions[1].execution.net_price, Cents(40));
  ASSERT_EQ(h().cancels.size(), 1u);
  EXPECT_EQ(h().cancels[0].quantity, 2);
}

TEST_F(ComplexBookTest, InvalidOrdersAreRejectedAndChangeNothing) {
  SeedExC2Legs();
  const int updates_before = h().top_updates;
  ComplexAddResult unknown = h().AddComplex(1, 99, Side::kBuy, Cents(30), 1);
  ASSERT_TRUE(unknown.rejection.has_value());
  EXPECT_EQ(unknown.rejection->code, RejectCode::kUnknownCombo);
  EXPECT_NE(unknown.rejection->reason.find("combo 99"), std::string::npos);
  ComplexAddResult zero = h().AddComplex(2, kSpread, Side::kBuy, Cents(30), 0);
  ASSERT_TRUE(zero.rejection.has_value());
  EXPECT_EQ(zero.rejection->code, RejectCode::kInvalidQuantity);
  ComplexAddResult off_tick =
      h().AddComplex(3, kSpread, Side::kBuy, Price::FromParts(0, 305'000'000), 1);
  ASSERT_TRUE(off_tick.rejection.has_value());
  EXPECT_EQ(off_tick.rejection->code, RejectCode::kOffTick);
  EXPECT_NE(off_tick.rejection->reason.find("net tick"), std::string::npos);
  EXPECT_TRUE(h().executions.empty());
  EXPECT_EQ(h().complex().order_count(), 0u);
  EXPECT_EQ(h().top_updates, updates_before);
}

TEST_F(ComplexBookTest, SameOwnerDoesNotMatchItself) {
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kSell, Cents(20), 5, Options{.owner = 7});
  h().AddComplex(2, kSpread, Side::kBuy, Cents(25), 5, Options{.owner = 7});
  EXPECT_TRUE(h().executions.empty());
}

// ---- Triggers (R10) and the exposure delay (R9) ----

TEST_F(ComplexBookTest, HaltedLegStopsEvaluationAndReopeningTriggersIt) {
  h().complex().SetLegStatus(kS2, LegTradingStatus::kHalted);
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kBuy, Cents(30), 10);
  EXPECT_TRUE(h().executions.empty());
  h().complex().SetLegStatus(kS2, LegTradingStatus::kOpen);
  EXPECT_EQ(only_execution().units, Quantity(10));
}

TEST_F(ComplexBookTest, LegPriceImprovementTriggersALegIn) {
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kBuy, Cents(28), 10);
  EXPECT_TRUE(h().executions.empty());
  h().AddLeg(kS1, Side::kSell, Cents(58), 10);  // high becomes 0.28
  EXPECT_EQ(only_execution().net_price, Cents(28));
}

TEST_F(ComplexBookTest, LegCancelMovingTheHighTriggersAComplexMatch) {
  // Leg 1's best offer holds one contract, less than the ratio: the buyer cannot leg in, and
  // the seller's price is above the high (2 x 10 - 5 = 15), so the two rest crossed.
  h().AddLeg(kLeg1, Side::kBuy, Price::FromParts(9, 0), 100);
  const OrderHandle thin = h().AddLeg(kLeg1, Side::kSell, Price::FromParts(10, 0), 1);
  h().AddLeg(kLeg1, Side::kSell, Price::FromParts(10, 500'000'000), 100);
  h().AddLeg(kLeg2, Side::kBuy, Price::FromParts(5, 0), 100);
  h().AddLeg(kLeg2, Side::kSell, Price::FromParts(6, 0), 100);
  h().AddComplex(1, kTwoToOne, Side::kBuy, Price::FromParts(16, 0), 3);
  h().AddComplex(2, kTwoToOne, Side::kSell, Price::FromParts(16, 0), 3);
  EXPECT_TRUE(h().executions.empty());
  // The offer goes: the high becomes 2 x 10.50 - 5 = 16 and the pair matches at once.
  h().CancelLeg(kLeg1, thin);
  const ComplexExecution& execution = only_execution();
  EXPECT_EQ(execution.net_price, Price::FromParts(16, 0));
  EXPECT_EQ(execution.units, Quantity(3));
  EXPECT_EQ(execution.legs[0].price, Price::FromParts(10, 500'000'000));
  EXPECT_EQ(execution.legs[1].price, Price::FromParts(5, 0));
  EXPECT_EQ(h().complex().order_count(), 0u);
}

TEST_F(ComplexBookTest, ExposureDelayHoldsTheOrderBackUntilItEnds) {
  SeedExC2Legs();
  h().complex().SetExposureDelay(core::Duration::Seconds(5));
  h().AddComplex(1, kSpread, Side::kBuy, Cents(30), 10);
  EXPECT_TRUE(h().executions.empty());
  EXPECT_TRUE(h().complex().Find(1)->exposed);
  // Displayed during the delay.
  EXPECT_EQ(h().complex().Top(core::ComboId(kSpread)).bid,
            (core::PriceLevel{Cents(30), Quantity(10)}));
  h().time().AdvanceBy(core::Duration::Seconds(4));
  EXPECT_TRUE(h().executions.empty());
  h().time().AdvanceBy(core::Duration::Seconds(1));
  EXPECT_EQ(only_execution().units, Quantity(10));
}

TEST_F(ComplexBookTest, InverseTradesAgainstAnExposedOrderWithPriceImprovement) {
  SeedExC2Legs();
  h().complex().SetExposureDelay(core::Duration::Seconds(5));
  h().AddComplex(1, kSpread, Side::kBuy, Cents(28), 10);
  h().complex().SetExposureDelay(core::Duration::Zero());
  h().AddComplex(2, kSpread, Side::kSell, Cents(22), 4);
  h().AddComplex(3, kSpread, Side::kSell, Cents(20), 4);
  ASSERT_EQ(h().executions.size(), 2u);
  // Each inverse trades at the exposed (older) order's price.
  EXPECT_EQ(h().executions[0].execution.net_price, Cents(28));
  EXPECT_EQ(h().executions[1].execution.resting->tag, 1u);
  EXPECT_EQ(h().complex().Find(1)->leaves, Quantity(2));
}

TEST_F(ComplexBookTest, ExposedOrderMeetsARestingInverseAsATrigger) {
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kSell, Cents(20), 10);
  h().complex().SetExposureDelay(core::Duration::Seconds(5));
  h().AddComplex(2, kSpread, Side::kBuy, Cents(25), 10);
  // The resting sell is re-evaluated on the new complex order and trades at its own price.
  EXPECT_EQ(only_execution().net_price, Cents(20));
}

// ---- Replace (R5), day end, market data ----

TEST_F(ComplexBookTest, QuantityDecreaseKeepsTimePriority) {
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kSell, Cents(20), 10);
  h().AddComplex(2, kSpread, Side::kSell, Cents(20), 10);
  const ComplexReplaceResult replaced = h().complex().Replace(1, Cents(20), Quantity(5));
  EXPECT_EQ(replaced.priority, QueuePriority::kKept);
  h().AddComplex(3, kSpread, Side::kBuy, Cents(25), 1);
  EXPECT_EQ(only_execution().resting->tag, 1u);
}

// Automated order protection's venue-initiated reprice (seed 004 spec 6.1) keeps the order's time.
TEST_F(ComplexBookTest, VenueRepriceKeepsTimePriorityAtTheNewPrice) {
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kSell, Cents(22), 10);  // older
  h().AddComplex(2, kSpread, Side::kSell, Cents(20), 10);
  const ComplexReplaceResult repriced = h().complex().RepriceKeepingTime(1, Cents(20));
  EXPECT_FALSE(repriced.rejection.has_value());
  EXPECT_EQ(repriced.priority, QueuePriority::kKept);
  EXPECT_EQ(repriced.resting, Quantity(10));
  h().AddComplex(3, kSpread, Side::kBuy, Cents(25), 1);
  EXPECT_EQ(only_execution().resting->tag, 1u);
}

TEST_F(ComplexBookTest, VenueRepriceOffTheNetTickOrOfAnUnknownOrderIsRejectedAndChangesNothing) {
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kSell, Cents(22), 10);
  EXPECT_EQ(
      h().complex().RepriceKeepingTime(1, Cents(20) + Price::FromRaw(5'000'000)).rejection->code,
      RejectCode::kOffTick);
  EXPECT_EQ(h().complex().RepriceKeepingTime(9, Cents(20)).rejection->code,
            RejectCode::kUnknownOrder);
  EXPECT_EQ(h().complex().Find(1)->limit_price, Cents(22));
}

TEST_F(ComplexBookTest, QuantityDecreaseIsATriggerForAllOrNone) {
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kSell, Cents(20), 5);
  h().AddComplex(2, kSpread, Side::kBuy, Cents(25), 10,
                 Options{.condition = FillCondition::kAllOrNone});
  EXPECT_TRUE(h().executions.empty());
  const ComplexReplaceResult replaced = h().complex().Replace(2, Cents(25), Quantity(5));
  EXPECT_EQ(replaced.priority, QueuePriority::kKept);
  EXPECT_EQ(replaced.filled, Quantity(5));
  EXPECT_EQ(only_execution().units, Quantity(5));
  EXPECT_EQ(h().complex().order_count(), 0u);
}

TEST_F(ComplexBookTest, PriceChangeLosesPriorityAndIsEvaluatedAtOnce) {
  SeedExC2Legs();
  h().AddComplex(1, kSpread, Side::kBuy, Cents(25), 10);
  const ComplexReplaceResult replaced = h().complex().Replace(1, Cents(30), Quantity(10));
  EXPECT_EQ(replaced.priority, QueuePriority::kLost);
  EXPECT_EQ(replaced.filled, Quantity(10));
  EXPECT_EQ(only_execution().net_price, Cents(30));
  EXPECT_EQ(h().complex().CheckReplace(1, Cents(30), Quantity(1))->code, RejectCode::kUnknownOrder);
}

TEST_F(ComplexBookTest, DayOrdersExpireAndGoodTillCancelStays) {
  h().AddComplex(1, kSpread, Side::kBuy, Cents(25), 10);
  h().AddComplex(2, kSpread, Side::kBuy, Cents(24), 10,
                 Options{.tif = TimeInForce::kGoodTillCancel});
  h().complex().ExpireDayOrders();
  ASSERT_EQ(h().cancels.size(), 1u);
  EXPECT_EQ(h().cancels[0].tag, 1u);
  EXPECT_EQ(h().cancels[0].reason, CancelReason::kEndOfDay);
  EXPECT_TRUE(h().complex().Find(2).has_value());
}

TEST_F(ComplexBookTest, TopShowsBestPricesAndSizesWithoutAllOrNone) {
  h().AddComplex(1, kSpread, Side::kBuy, Cents(20), 5);
  h().AddComplex(2, kSpread, Side::kBuy, Cents(20), 7);
  h().AddComplex(3, kSpread, Side::kBuy, Cents(21), 9,
                 Options{.condition = FillCondition::kAllOrNone});
  h().AddComplex(4, kSpread, Side::kSell, Cents(40), 3);
  const core::TopOfBook top = h().tops.at(core::ComboId(kSpread));
  EXPECT_EQ(top.bid, (core::PriceLevel{Cents(20), Quantity(12)}));
  EXPECT_EQ(top.ask, (core::PriceLevel{Cents(40), Quantity(3)}));
  EXPECT_EQ(top, h().complex().Top(core::ComboId(kSpread)));
  const int updates = h().top_updates;
  // The AON order's arrival did not change the displayed top, so nothing was published.
  EXPECT_EQ(updates, 3);
  h().complex().Cancel(4);
  EXPECT_FALSE(h().tops.at(core::ComboId(kSpread)).ask.has_value());
}

// ---- Pricing functions ----

TEST(ComplexPricingTest, NetPriceUsesWeightsAndSides) {
  const std::vector<ComplexLeg> legs = {{0, Side::kBuy, 2, 2}, {1, Side::kSell, 1, 1}};
  const std::vector<Price> prices = {Price::FromParts(10, 0), Price::FromParts(5, 0)};
  EXPECT_EQ(NetPrice(legs, prices), Price::FromParts(15, 0));
  // A stock leg of 100 shares against one option of multiplier 100: weights 1 and 1.
  const std::vector<ComplexLeg> buy_write = {{0, Side::kBuy, 100, 1}, {1, Side::kSell, 1, 1}};
  EXPECT_EQ(NetPrice(buy_write, std::vector<Price>{Price::FromParts(50, 0), Cents(150)}),
            Price::FromParts(48, 500'000'000));
}

TEST(ComplexPricingTest, ExecutionPriceRefusesWhenTheInwardTickCrossesALimit) {
  SyntheticRange range;
  range.has_low = range.has_high = true;
  range.low = Cents(10);
  range.high = Cents(30);
  range.customer_at_high = true;
  // A older at 0.33, inverse at 0.30: clipped to 0.30, ticked to 0.29 < 0.30: no match.
  EXPECT_FALSE(
      ComplexExecutionPrice(Cents(33), Cents(30), OlderOrder::kProcessed, range, Cents(1)));
  EXPECT_EQ(ComplexExecutionPrice(Cents(33), Cents(20), OlderOrder::kProcessed, range, Cents(1)),
            Cents(29));
  // The inverse is older at the high with a customer there: no match (R16 A2.4).
  EXPECT_FALSE(ComplexExecutionPrice(Cents(33), Cents(30), OlderOrder::kInverse, range, Cents(1)));
  // Below the low (A older): no match.
  EXPECT_FALSE(ComplexExecutionPrice(Cents(5), Cents(2), OlderOrder::kProcessed, range, Cents(1)));
}

// R17 as a market, EX-C1's legs: buy 2 Leg 1 (offered 100 @ 10), sell 1 Leg 2 (bid 30 @ 5).
// Buying the combo costs 2 x 10 - 5 = 15 for min(100 / 2, 30 / 1) = 30 units; selling it needs
// Leg 1's bid and Leg 2's ask, which are missing.
TEST(ComplexPricingTest, R17LegsImpliedTopIsTheSyntheticRangeInWholeRatioUnits) {
  const std::vector<ComplexLeg> legs = {{0, Side::kBuy, 2, 2}, {1, Side::kSell, 1, 1}};
  LegQuote leg1;
  leg1.has_ask = true;
  leg1.ask = Price::FromParts(10, 0);
  leg1.ask_size = Quantity(100);
  LegQuote leg2;
  leg2.has_bid = true;
  leg2.bid = Price::FromParts(5, 0);
  leg2.bid_size = Quantity(30);
  std::vector<LegQuote> quotes = {leg1, leg2};
  core::TopOfBook top = LegsImpliedTop(legs, quotes);
  EXPECT_EQ(top.ask, (core::PriceLevel{Price::FromParts(15, 0), Quantity(30)}));
  EXPECT_FALSE(top.bid.has_value());
  // One contract of Leg 1 short of a unit: no whole unit, no level.
  quotes[0].ask_size = Quantity(1);
  EXPECT_TRUE(LegsImpliedTop(legs, quotes).empty());
}

// R15's predicate: locked or crossed own book, or an away price strictly better on the side the
// leg-in takes; for a seller of the combo the sides swap.
TEST(ComplexPricingTest, R15LegIsInvertedWhenTheAwayMarketIsBetterOnTheSideTaken) {
  const ComplexLeg bought{0, Side::kBuy, 1, 1};
  const ComplexLeg sold{1, Side::kSell, 1, 1};
  LegQuote quote;
  quote.has_bid = quote.has_ask = true;
  quote.bid = Cents(50);
  quote.ask = Cents(60);
  EXPECT_FALSE(LegInverted(bought, quote, Side::kBuy));
  quote.away_ask = Cents(60);  // equal: no trade-through
  EXPECT_FALSE(LegInverted(bought, quote, Side::kBuy));
  quote.away_ask = Cents(58);
  EXPECT_TRUE(LegInverted(bought, quote, Side::kBuy));
  EXPECT_FALSE(LegInverted(sold, quote, Side::kBuy));  // sold at the bid: the away ask is moot
  EXPECT_TRUE(LegInverted(sold, quote, Side::kSell));  // a seller of the combo buys this leg
  quote.away_ask.reset();
  quote.away_bid = Cents(51);
  EXPECT_TRUE(LegInverted(sold, quote, Side::kBuy));
  quote.away_bid.reset();
  quote.bid = Cents(60);  // locked
  EXPECT_TRUE(LegInverted(bought, quote, Side::kBuy));
}

TEST(ComplexPricingTest, LegPricesThatCannotReproduceTheNetAreRefused) {
  // Two legs of weight 2: every net price moves in steps of 0.02.
  const std::vector<ComplexLeg> legs = {{0, Side::kBuy, 2, 2}, {1, Side::kSell, 2, 2}};
  LegQuote a;
  a.has_bid = a.has_ask = true;
  a.bid = Cents(50);
  a.ask = Cents(60);
  a.tick = Cents(1);
  LegQuote b = a;
  b.bid = Cents(30);
  b.ask = Cents(40);
  const std::vector<LegQuote> quotes = {a, b};
  std::vector<Price> prices(2);
  EXPECT_FALSE(AssignLegPrices(legs, quotes, Cents(21), prices));
  ASSERT_TRUE(AssignLegPrices(legs, quotes, Cents(22), prices));
  EXPECT_EQ(NetPrice(legs, prices), Cents(22));
  EXPECT_GE(prices[0], a.bid);
  EXPECT_LE(prices[0], a.ask);
  EXPECT_GE(prices[1], b.bid);
  EXPECT_LE(prices[1], b.ask);
}

// Legs on a banded rule (0.01 below 3.00, 0.05 from 3.00) quoted above 3.00: two complex orders
// still trade at any net price on the combo tick (0.01), the legs' prices stepping in the legs'
// finest tick, as exchanges let complex-order legs execute in the penny whatever the leg's own
// increment (docs/ROUTER.md "Combo tick").
TEST(ComplexBookTickRuleTest, ComplexLegPricesStepInTheLegsFinestTickInAnyBand) {
  ComplexHarness h(Config(), {kS1, kS2, kLeg1, kLeg2}, AllocationRule::kPriceTime,
                   *core::TickRule::Parse("0.01<3.00;0.05"));
  h.AddLeg(kS1, Side::kBuy, Price::FromParts(50, 0), 100);
  h.AddLeg(kS1, Side::kSell, Price::FromParts(50, 200'000'000), 100);
  h.AddLeg(kS2, Side::kBuy, Price::FromParts(45, 0), 100);
  h.AddLeg(kS2, Side::kSell, Price::FromParts(45, 100'000'000), 100);
  // A leg order off the 0.05 band is refused by the leg book.
  BookOrder off;
  off.instrument = kS1;
  off.side = Side::kBuy;
  off.limit_price = Price::FromParts(50, 30'000'000);
  off.quantity = Quantity(1);
  ASSERT_TRUE(h.leg(kS1).Check(off).has_value());
  h.AddComplex(1, kSpread, Side::kBuy, Price::FromParts(5, 130'000'000), 10);
  h.AddComplex(2, kSpread, Side::kSell, Price::FromParts(5, 130'000'000), 10);
  ASSERT_EQ(h.executions.size(), 1u);
  const ComplexExecution& execution = h.executions.front().execution;
  EXPECT_EQ(execution.net_price, Price::FromParts(5, 130'000'000));
  ASSERT_EQ(execution.legs.size(), 2u);
  EXPECT_EQ(execution.legs[0].price - execution.legs[1].price, Price::FromParts(5, 130'000'000));
  for (const auto& leg : execution.legs) {
    EXPECT_TRUE(leg.price.IsOnTick(Cents(1))) << leg.price;
  }
}

TEST(ComplexBookConfigTest, InvalidConfigsAreRejectedWithAReason) {
  const auto lists = [](InstrumentId id) { return id.value() <= 4; };
  ComplexBookConfig config = Config();
  EXPECT_TRUE(ValidateComplexBookConfig(config, lists).ok());
  ComplexBookConfig twice = Config();
  twice.combos.push_back(twice.combos.front());
  EXPECT_NE(ValidateComplexBookConfig(twice, lists).message().find("listed twice"),
            std::string::npos);
  ComplexBookConfig unlisted = Config();
  unlisted.combos.push_back(
      MakeCombo(7, {{InstrumentId(1), 1, Side::kBuy}, {InstrumentId(9), 1, Side::kSell}}));
  EXPECT_NE(ValidateComplexBookConfig(unlisted, lists).message().find("9 is not listed"),
            std::string::npos);
  ComplexBookConfig not_canonical = Config();
  not_canonical.combos.push_back(
      MakeCombo(8, {{InstrumentId(2), 1, Side::kBuy}, {InstrumentId(1), 1, Side::kSell}}));
  EXPECT_NE(ValidateComplexBookConfig(not_canonical, lists).message().find("canonical"),
            std::string::npos);
  ComplexBookConfig tick = Config();
  tick.net_tick = Price::Zero();
  EXPECT_FALSE(ValidateComplexBookConfig(tick, lists).ok());
  ComplexBookConfig weights = Config();
  weights.combos[0].price_weights = {1};
  EXPECT_NE(ValidateComplexBookConfig(weights, lists).message().find("price weights"),
            std::string::npos);
  ComplexBookConfig buffer = Config(-Cents(1));
  EXPECT_NE(ValidateComplexBookConfig(buffer, lists).message().find("negative"), std::string::npos);
}

}  // namespace
}  // namespace combo::venues
