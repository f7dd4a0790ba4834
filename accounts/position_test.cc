#include "accounts/position.h"

#include "gtest/gtest.h"

namespace combo::accounts {
namespace {

core::Price P(int64_t units, int64_t nanos = 0) { return core::Price::FromParts(units, nanos); }

TEST(PositionTest, ClosingRealizesAgainstOldestLotsExactly) {
  Position position(100);
  position.Apply(core::SignedQuantity(2), P(1, 100'000'000));   // 2 @ 1.10
  position.Apply(core::SignedQuantity(1), P(1, 400'000'000));   // 1 @ 1.40
  position.Apply(core::SignedQuantity(-2), P(1, 300'000'000));  // close the 1.10 lot
  EXPECT_EQ(position.quantity(), core::SignedQuantity(1));
  // (1.30 - 1.10) x 2 x 100 = 40.
  EXPECT_EQ(position.realized(), core::Money::FromPrice(P(40)));
  EXPECT_EQ(position.AveragePrice(), P(1, 400'000'000));
}

TEST(PositionTest, ShortPositionGainsWhenPriceFalls) {
  Position position(1);
  position.Apply(core::SignedQuantity(-10), P(50));
  EXPECT_EQ(position.Unrealized(P(48)), core::Money::FromPrice(P(20)));
  position.Apply(core::SignedQuantity(4), P(45));
  EXPECT_EQ(position.realized(), core::Money::FromPrice(P(20)));
  EXPECT_EQ(position.quantity(), core::SignedQuantity(-6));
}

TEST(PositionTest, ExecutionThroughZeroFlipsTheRemainderIntoANewLot) {
  Position position(1);
  position.Apply(core::SignedQuantity(3), P(10));
  position.Apply(core::SignedQuantity(-5), P(12));
  EXPECT_EQ(position.realized(), core::Money::FromPrice(P(6)));
  EXPECT_EQ(position.quantity(), core::SignedQuantity(-2));
  ASSERT_EQ(position.lots().size(), 1u);
  EXPECT_EQ(position.lots()[0].price, P(12));
  EXPECT_EQ(position.cost(), core::Money::FromPrice(P(-24)));
}

TEST(PositionTest, FlatPositionHasNoAveragePrice) {
  Position position(100);
  position.Apply(core::SignedQuantity(1), P(1));
  position.Apply(core::SignedQuantity(-1), P(1));
  EXPECT_TRUE(position.is_flat());
  EXPECT_EQ(position.AveragePrice(), std::nullopt);
  EXPECT_TRUE(position.realized().is_zero());
}

}  // namespace
}  // namespace combo::accounts
