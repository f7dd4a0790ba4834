#include "core/money.h"

#include "gtest/gtest.h"

namespace combo::core {
namespace {

Price P(std::string_view text) { return *Price::Parse(text); }

TEST(Money, NotionalIsPriceTimesQuantityTimesMultiplierExactly) {
  EXPECT_EQ(Money::Notional(P("2.35"), Quantity(10), 100).ToString(), "2350");
  EXPECT_EQ(Money::Notional(P("-0.05"), Quantity(3), 100).ToString(), "-15");
  EXPECT_EQ(Money::Notional(P("99.828125"), SignedQuantity(-2), 1000).ToString(), "-199656.25");
}

TEST(Money, HoldsNotionalsBeyondSixtyFourBitsAtNanoScale) {
  // 5,000 x 1,000,000 contracts x 2,500 multiplier = 1.25e13 units: 1.25e22 raw, beyond int64.
  const Money big = Money::Notional(P("5000"), Quantity(1'000'000), 2'500);
  EXPECT_EQ(big.ToString(), "12500000000000");
  EXPECT_EQ((big + big).ToString(), "25000000000000");
  EXPECT_EQ((-big).ToString(), "-12500000000000");
}

TEST(Money, AveragePriceDividesExactlyOrRoundsByMode) {
  // Two fills: 6 at 2.30 and 4 at 2.40, multiplier 100: average 2.34.
  Money total =
      Money::Notional(P("2.30"), Quantity(6), 100) + Money::Notional(P("2.40"), Quantity(4), 100);
  EXPECT_EQ(*total.DivideToPrice(10 * 100, RoundingMode::kHalfEven), P("2.34"));
  EXPECT_EQ(*Money::FromPrice(P("1")).DivideToPrice(3, RoundingMode::kDown),
            Price::FromRaw(333'333'333));
  EXPECT_FALSE(total.DivideToPrice(0, RoundingMode::kDown).ok());
}

}  // namespace
}  // namespace combo::core
