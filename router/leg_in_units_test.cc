#include "router/leg_in_units.h"

#include <vector>

#include "core/money.h"
#include "core/rounding.h"
#include "gtest/gtest.h"

namespace combo::router {
namespace {

using core::InstrumentId;
using core::Price;
using core::Quantity;
using core::Side;
using core::VenueId;

LegInExecution Exec(uint32_t instrument, Side side, uint32_t venue, Price price, int64_t qty) {
  return LegInExecution{InstrumentId(instrument), side, VenueId(venue), price, Quantity(qty)};
}

// The net price a report's legs make: sum of sign x price x quantity x multiplier / (units x cm).
Price NetOf(const LegInUnits& report, const std::vector<int64_t>& signs_by_instrument) {
  core::Money total = core::Money::Zero();
  for (const LegInExecution& leg : report.legs) {
    total += core::Money::FromPrice(leg.price) *
             (leg.quantity.value() * signs_by_instrument[leg.instrument.value()]);
  }
  return *total.DivideToPrice(report.units.value(), core::RoundingMode::kHalfEven);
}

TEST(LegInUnits, E11TenOfAAndSixOfBMakeSixUnitsAndLeaveFourOfA) {
  std::vector<LegInExecution> a = {Exec(1, Side::kBuy, 1, Price::FromParts(100, 0), 10)};
  std::vector<LegInExecution> b = {Exec(2, Side::kSell, 1, Price::FromParts(15, 550'000'000), 6)};
  std::vector<HeldLeg> legs = {{0, 1, 1, 1, &a}, {1, 1, -1, 1, &b}};
  EXPECT_EQ(WholeUnits(legs), Quantity(6));
  const auto reports = TakeWholeUnits(core::OrderId(1), legs, Quantity(100), 1, {});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].units, Quantity(6));
  EXPECT_EQ(reports[0].net_price, Price::FromParts(84, 450'000'000));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].quantity, Quantity(4));
  EXPECT_TRUE(b.empty());
}

TEST(LegInUnits, FillsAtTwoPricesMakeOneReportPerPriceSetEachExact) {
  // AAA bought 3 @ 100.00 then 7 @ 100.01 (two venues); BBB sold 10 @ 15.55.
  std::vector<LegInExecution> a = {Exec(1, Side::kBuy, 1, Price::FromParts(100, 0), 3),
                                   Exec(1, Side::kBuy, 2, Price::FromParts(100, 10'000'000), 7)};
  std::vector<LegInExecution> b = {Exec(2, Side::kSell, 1, Price::FromParts(15, 550'000'000), 10)};
  const auto reports =
      TakeWholeUnits(core::OrderId(1), {{0, 1, 1, 1, &a}, {1, 1, -1, 1, &b}}, Quantity(10), 1, {});
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].units, Quantity(3));
  EXPECT_EQ(reports[0].net_price, Price::FromParts(84, 450'000'000));
  EXPECT_EQ(reports[1].units, Quantity(7));
  EXPECT_EQ(reports[1].net_price, Price::FromParts(84, 460'000'000));
  const std::vector<int64_t> signs = {0, 1, -1};
  for (const LegInUnits& report : reports) EXPECT_EQ(NetOf(report, signs), report.net_price);
}

TEST(LegInUnits, AUnitSpanningTwoFillsOfARatioTwoLegIsReportedAloneWithItsExactNet) {
  // Combo AAA +1 / BBB -2 (stocks, multiplier 1): BBB sold 1 @ 15.55 then 3 @ 15.54.
  std::vector<LegInExecution> a = {Exec(1, Side::kBuy, 1, Price::FromParts(100, 0), 2)};
  std::vector<LegInExecution> b = {Exec(2, Side::kSell, 1, Price::FromParts(15, 550'000'000), 1),
                                   Exec(2, Side::kSell, 1, Price::FromParts(15, 540'000'000), 3)};
  const auto reports =
      TakeWholeUnits(core::OrderId(1), {{0, 1, 1, 1, &a}, {1, 2, -1, 1, &b}}, Quantity(2), 1, {});
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].units, Quantity(1));
  // 100 - 15.55 - 15.54 = 68.91.
  EXPECT_EQ(reports[0].net_price, Price::FromParts(68, 910'000'000));
  ASSERT_EQ(reports[0].legs.size(), 3u);
  EXPECT_EQ(reports[1].units, Quantity(1));
  EXPECT_EQ(reports[1].net_price, Price::FromParts(68, 920'000'000));
  EXPECT_TRUE(a.empty());
  EXPECT_TRUE(b.empty());
}

TEST(LegInUnits, AskingForMoreThanTheLegsMakeTakesOnlyWholeUnits) {
  std::vector<LegInExecution> a = {Exec(1, Side::kBuy, 1, Price::FromParts(100, 0), 5)};
  std::vector<LegInExecution> b;
  const auto reports =
      TakeWholeUnits(core::OrderId(1), {{0, 1, 1, 1, &a}, {1, 1, -1, 1, &b}}, Quantity(5), 1, {});
  EXPECT_TRUE(reports.empty());
  EXPECT_EQ(a[0].quantity, Quantity(5));
}

}  // namespace
}  // namespace combo::router
