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
  PreflightLeg leg;
  leg.instrument = core::InstrumentId(1);
  leg.symbol = "AAA";
  leg.side = core::Side::kBuy;
  leg.venue = core::VenueId(1);
  leg.price = price;
  leg.quantity = Quantity(10);
  leg.tick_rule = &rule;
  leg.max_order_quantity = Quantity(100);
  return leg;
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

// Seed 001 R39 at the target venue: a quote of 50 lets a professional order take the lesser of
// 50% and 20 contracts, 20; the router's leg orders are professional, so 10 passes and 25 is
// refused. Sized by the same rule (ProfessionalTakeable), the engine's slices never are.
TEST(LegInPreflight, R39ALegAskingMoreOfAQuoteThanAProfessionalMayTakeIsRefused) {
  PreflightLeg leg = BuyTenAt(Price::FromParts(100, 0));
  leg.venue_best = Price::FromParts(100, 0);
  leg.displayed = Quantity(50);
  leg.professional_availability = venues::QuoteAvailability{50, Quantity(20)};
  EXPECT_EQ(ProfessionalTakeable(leg.professional_availability, Quantity(50)), Quantity(20));
  EXPECT_EQ(ProfessionalTakeable(std::nullopt, Quantity(50)), Quantity(50));
  EXPECT_FALSE(CheckLegOrder(leg, {}).has_value());
  leg.quantity = Quantity(25);
  const auto refusal = CheckLegOrder(leg, {});
  ASSERT_TRUE(refusal.has_value());
  EXPECT_NE(refusal->find("quantity 25 is more than a professional order may take of the 50 "
                          "displayed at 100 (20, seed 001 R39)"),
            std::string::npos)
      << *refusal;
}

// Seed 001 R35 (band of 2 ticks): a leg buy at 100.03 against a best offer of 100.00 reaches
// beyond 100.02; it would be deleted whole unless it fills within the band, which the router
// can count on only up to the best level's size.
TEST(LegInPreflight, R35ALegBeyondTheProfessionalBandThatMayNotFillWithinItIsRefused) {
  PreflightLeg leg = BuyTenAt(Price::FromParts(100, 30'000'000));
  leg.venue_best = Price::FromParts(100, 0);
  leg.displayed = Quantity(10);
  leg.professional_band_ticks = 2;
  EXPECT_FALSE(CheckLegOrder(leg, {}).has_value());  // fills whole at the best
  leg.quantity = Quantity(11);
  const auto refusal = CheckLegOrder(leg, {});
  ASSERT_TRUE(refusal.has_value());
  EXPECT_NE(refusal->find("beyond the venue's professional band of 2 ticks from 100"),
            std::string::npos)
      << *refusal;
  leg.price = Price::FromParts(100, 20'000'000);  // at the band's edge: an ordinary order
  EXPECT_FALSE(CheckLegOrder(leg, {}).has_value());
}

}  // namespace
}  // namespace combo::router
