#include "router/leg_in_preflight.h"

#include <vector>

#include "gtest/gtest.h"

namespace combo::router {
namespace {

using core::Price;
using core::Quantity;

const core::TickRule kCents = core::TickRule::Uniform(Price::FromParts(0, 10'000'000));
// A penny-pilot option class: 0.01 below 3.00, 0.05 from 3.00.
const core::TickRule kPennyPilot = *core::TickRule::Parse("0.01<3.00;0.05");

PreflightLeg BuyTenAt(Price price, const core::TickRule& rule = kCents) {
  return PreflightLeg{
      core::InstrumentId(1), "AAA", core::Side::kBuy, core::VenueId(1),          price,
      Quantity(10),          &rule, Quantity(100),    venues::SeriesPhase::kOpen};
}

// Seed 001 R46 / R47: a series that trades only at single prices is not legged into.
TEST(LegInPreflight, ALegToASeriesInAFastMarketOrNotYetOpenIsRefused) {
  PreflightLeg leg = BuyTenAt(Price::FromParts(100, 0));
  leg.phase = venues::SeriesPhase::kFastMarket;
  std::optional<std::string> refusal = CheckLegOrder(leg, {});
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(*refusal,
            "leg AAA at venue 1: the series is in a fast market and trades only at single prices");
  leg.phase = venues::SeriesPhase::kPreOpen;
  refusal = CheckLegOrder(leg, {});
  ASSERT_TRUE(refusal.has_value());
  EXPECT_NE(refusal->find("not open yet"), std::string::npos) << *refusal;
}

TEST(LegInPreflight, ALegOnTickWithinSizeAtTheBestPricePasses) {
  const std::vector<DisplayedPrice> elsewhere = {{core::VenueId(2), Price::FromParts(100, 0)}};
  EXPECT_FALSE(CheckLegOrder(BuyTenAt(Price::FromParts(100, 0)), elsewhere).has_value());
}

TEST(LegInPreflight, APriceOffTheVenueTickIsRefused) {
  const auto refusal = CheckLegOrder(BuyTenAt(Price::FromParts(100, 5'000'000)), {});
  ASSERT_TRUE(refusal.has_value());
  EXPECT_NE(refusal->find("not on the venue's tick 0.01"), std::string::npos) << *refusal;
}

TEST(LegInPreflight, ALegPriceMustBeOnTheTickOfItsPricesBand) {
  EXPECT_FALSE(CheckLegOrder(BuyTenAt(Price::FromParts(2, 970'000'000), kPennyPilot), {}));
  EXPECT_FALSE(CheckLegOrder(BuyTenAt(Price::FromParts(3, 50'000'000), kPennyPilot), {}));
  const auto refusal = CheckLegOrder(BuyTenAt(Price::FromParts(3, 20'000'000), kPennyPilot), {});
  ASSERT_TRUE(refusal.has_value());
  EXPECT_NE(refusal->find("price 3.02 is not on the venue's tick 0.05 at that price (rule "
                          "0.01<3;0.05)"),
            std::string::npos)
      << *refusal;
}

TEST(LegInPreflight, AnOrderAboveTheVenueSizeLimitIsRefused) {
  PreflightLeg leg = BuyTenAt(Price::FromParts(100, 0));
  leg.max_order_quantity = Quantity(5);
  const auto refusal = CheckLegOrder(leg, {});
  ASSERT_TRUE(refusal.has_value());
  EXPECT_NE(refusal->find("above the venue's size limit 5"), std::string::npos) << *refusal;
}

TEST(LegInPreflight, ABuyThroughALowerAskElsewhereIsRefused) {
  const std::vector<DisplayedPrice> elsewhere = {
      {core::VenueId(2), Price::FromParts(99, 990'000'000)}};
  const auto refusal = CheckLegOrder(BuyTenAt(Price::FromParts(100, 0)), elsewhere);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_NE(refusal->find("would trade through 99.99 displayed at venue 2"), std::string::npos)
      << *refusal;
}

TEST(LegInPreflight, ASellThroughAHigherBidElsewhereIsRefused) {
  PreflightLeg leg = BuyTenAt(Price::FromParts(15, 550'000'000));
  leg.side = core::Side::kSell;
  const std::vector<DisplayedPrice> elsewhere = {
      {core::VenueId(2), Price::FromParts(15, 560'000'000)}};
  EXPECT_TRUE(CheckLegOrder(leg, elsewhere).has_value());
  const std::vector<DisplayedPrice> worse = {{core::VenueId(2), Price::FromParts(15, 540'000'000)}};
  EXPECT_FALSE(CheckLegOrder(leg, worse).has_value());
}

TEST(LegInPreflight, ANonPositiveQuantityIsRefused) {
  PreflightLeg leg = BuyTenAt(Price::FromParts(100, 0));
  leg.quantity = Quantity::Zero();
  EXPECT_TRUE(CheckLegOrder(leg, {}).has_value());
}

}  // namespace
}  // namespace combo::router
