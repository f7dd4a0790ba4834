#include "core/quantity.h"

#include "gtest/gtest.h"

namespace combo::core {
namespace {

TEST(Quantity, WholeUnitsFromLegFillRoundDown) {
  // A leg of ratio 2 that filled 7 makes 3 whole combo units.
  EXPECT_EQ(Quantity(7) / 2, Quantity(3));
  EXPECT_EQ(Quantity(3) * 2, Quantity(6));
  EXPECT_EQ(Min(Quantity(4), Quantity(9)), Quantity(4));
}

TEST(SignedQuantity, PositionsAreLongPositiveShortNegative) {
  SignedQuantity position(10);
  position -= SignedQuantity(14);
  EXPECT_TRUE(position.is_short());
  EXPECT_EQ(position.Magnitude(), Quantity(4));
  EXPECT_EQ(-position, SignedQuantity(4));
}

}  // namespace
}  // namespace combo::core
