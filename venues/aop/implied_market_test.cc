// The implied TPIM of a combo from its legs' third-party markets (spec 6.1, V2).
#include "venues/aop/implied_market.h"

#include <vector>

#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "venues/aop/aop_test_util.h"

namespace combo::venues::aop {
namespace {

using testing::P;
using testing::ScriptedSource;

const core::InstrumentId kLegA(1);
const core::InstrumentId kLegB(2);
const core::VenueId kSource(5);

core::InstrumentCatalog Catalog(int64_t multiplier_b = 1) {
  core::InstrumentCatalog catalog;
  for (auto [id, symbol, multiplier] :
       {std::tuple{kLegA, "UST2Y", int64_t{1}}, std::tuple{kLegB, "UST5Y", multiplier_b}}) {
    core::InstrumentDefinition definition;
    definition.id = id;
    definition.symbol = symbol;
    definition.underlying = symbol;
    definition.multiplier = multiplier;
    EXPECT_TRUE(catalog.Add(core::Instrument::Create(definition).value()).ok());
  }
  return catalog;
}

class ImpliedMarketTest : public ::testing::Test {
 protected:
  ImpliedMarketTest() {
    ThirdPartyMarketConfig config;
    config.sources = {kSource};
    market_ = ThirdPartyMarket::Create(config, &time_).value();
  }
  core::SimulatedTime time_;
  std::unique_ptr<ThirdPartyMarket> market_;
};

TEST_F(ImpliedMarketTest, RollOfferIsBuyLegOfferMinusSellLegBid) {
  // Roll: buy A, sell B, 1:1.
  const core::ComboSpec roll =
      core::ComboSpec::Create({{kLegA, 1, core::Side::kBuy}, {kLegB, 1, core::Side::kSell}})
          .value();
  const std::vector<ImpliedLeg> legs = ImpliedLegs(roll, Catalog()).value();
  ScriptedSource source(kSource, &time_, market_.get());
  source.Level(kLegA, core::Side::kSell, P("100.00"), 30);
  source.Level(kLegA, core::Side::kSell, P("100.02"), 50);
  source.Level(kLegA, core::Side::kBuy, P("99.98"), 40);
  source.Level(kLegB, core::Side::kBuy, P("100.05"), 60);
  source.Level(kLegB, core::Side::kSell, P("100.07"), 60);
  const std::vector<core::PriceLevel> offers = ImpliedLadder(legs, *market_, core::Side::kSell, 5);
  ASSERT_EQ(offers.size(), 2u);
  EXPECT_EQ(offers[0].price, P("-0.05"));  // 100.00 - 100.05
  EXPECT_EQ(offers[0].quantity, core::Quantity(30));
  EXPECT_EQ(offers[1].price, P("-0.03"));  // 100.02 - 100.05, for the 30 B has left
  EXPECT_EQ(offers[1].quantity, core::Quantity(30));
  const std::vector<core::PriceLevel> bids = ImpliedLadder(legs, *market_, core::Side::kBuy, 5);
  ASSERT_EQ(bids.size(), 1u);
  EXPECT_EQ(bids[0].price, P("-0.09"));  // 99.98 - 100.07
  EXPECT_EQ(bids[0].quantity, core::Quantity(40));
}

TEST_F(ImpliedMarketTest, RatiosScaleSizeAndMultipliersGiveWeights) {
  // Buy 2 A (multiplier 1), sell 1 B (multiplier 2): combo multiplier gcd(2, 2) = 2, weights 1, 1.
  const core::ComboSpec spread =
      core::ComboSpec::Create({{kLegA, 2, core::Side::kBuy}, {kLegB, 1, core::Side::kSell}})
          .value();
  const std::vector<ImpliedLeg> legs = ImpliedLegs(spread, Catalog(2)).value();
  ASSERT_EQ(legs.size(), 2u);
  EXPECT_EQ(legs[0].weight, 1);
  EXPECT_EQ(legs[1].weight, 1);
  ScriptedSource source(kSource, &time_, market_.get());
  source.Level(kLegA, core::Side::kSell, P("10.00"), 7);  // 3 whole units; 1 left over
  source.Level(kLegB, core::Side::kBuy, P("9.00"), 100);
  const std::vector<core::PriceLevel> offers = ImpliedLadder(legs, *market_, core::Side::kSell, 5);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].price, P("1.00"));
  EXPECT_EQ(offers[0].quantity, core::Quantity(3));
}

TEST_F(ImpliedMarketTest, AMissingLegMarketLeavesTheSideEmpty) {
  const core::ComboSpec roll =
      core::ComboSpec::Create({{kLegA, 1, core::Side::kBuy}, {kLegB, 1, core::Side::kSell}})
          .value();
  const std::vector<ImpliedLeg> legs = ImpliedLegs(roll, Catalog()).value();
  ScriptedSource source(kSource, &time_, market_.get());
  source.Level(kLegA, core::Side::kSell, P("100.00"), 30);
  EXPECT_TRUE(ImpliedLadder(legs, *market_, core::Side::kSell, 5).empty());
}

TEST_F(ImpliedMarketTest, ALegTradeBecomesASyntheticComboTrade) {
  const core::ComboSpec roll =
      core::ComboSpec::Create({{kLegA, 1, core::Side::kBuy}, {kLegB, 1, core::Side::kSell}})
          .value();
  const std::vector<ImpliedLeg> legs = ImpliedLegs(roll, Catalog()).value();
  ScriptedSource source(kSource, &time_, market_.get());
  source.Level(kLegB, core::Side::kBuy, P("100.05"), 60);
  core::TradePrint print;
  print.venue = kSource;
  print.instrument = kLegA;
  print.price = P("99.97");
  print.quantity = core::Quantity(25);
  // A bid on the roll is protected by the implied offer: A at the trade, B at its bid.
  const std::optional<core::TradePrint> synthetic =
      SyntheticComboTrade(legs, *market_, core::Side::kBuy, print);
  ASSERT_TRUE(synthetic.has_value());
  EXPECT_EQ(synthetic->price, P("-0.08"));
  EXPECT_EQ(synthetic->quantity, core::Quantity(25));
}

TEST(ImpliedLegsTest, AnUnknownLegIsAnError) {
  const core::ComboSpec roll =
      core::ComboSpec::Create(
          {{kLegA, 1, core::Side::kBuy}, {core::InstrumentId(99), 1, core::Side::kSell}})
          .value();
  const absl::StatusOr<std::vector<ImpliedLeg>> legs = ImpliedLegs(roll, Catalog());
  EXPECT_FALSE(legs.ok());
  EXPECT_NE(legs.status().message().find("99"), std::string_view::npos);
}

}  // namespace
}  // namespace combo::venues::aop
