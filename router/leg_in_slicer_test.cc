#include "router/leg_in_slicer.h"

#include <vector>

#include "gtest/gtest.h"

namespace combo::router {
namespace {

using core::Quantity;

TEST(LegInSlicer, ASliceIsAtMostTheConfiguredUnits) {
  LegInPolicy policy;
  policy.max_units_per_slice = Quantity(4);
  const std::vector<LegDisplay> legs = {{1, Quantity(100), Quantity::Zero()},
                                        {1, Quantity(100), Quantity::Zero()}};
  EXPECT_EQ(NextSliceUnits(policy, Quantity(10), legs), Quantity(4));
  EXPECT_EQ(NextSliceUnits(policy, Quantity(3), legs), Quantity(3));
}

TEST(LegInSlicer, ASliceTakesAtMostTheDisplayedPercentageInRatio) {
  LegInPolicy policy;
  policy.displayed_size_percent = 50;
  // 50% of 30 is 15 contracts of a ratio-2 leg: 7 whole units.
  const std::vector<LegDisplay> legs = {{1, Quantity(100), Quantity::Zero()},
                                        {2, Quantity(30), Quantity::Zero()}};
  EXPECT_EQ(NextSliceUnits(policy, Quantity(20), legs), Quantity(7));
}

TEST(LegInSlicer, TooLittleDisplayedForAWholeUnitGivesZero) {
  LegInPolicy policy;
  const std::vector<LegDisplay> legs = {{1, Quantity(100), Quantity::Zero()},
                                        {2, Quantity(1), Quantity::Zero()}};
  EXPECT_EQ(NextSliceUnits(policy, Quantity(5), legs), Quantity::Zero());
}

TEST(LegInSlicer, ASliceShrinksToFitEachLegVenuesLargestOrder) {
  LegInPolicy policy;
  policy.max_units_per_slice = Quantity(100);
  // A ratio-3 leg at a venue taking at most 10 contracts: 3 whole units (9 contracts).
  const std::vector<LegDisplay> legs = {{1, Quantity(100), Quantity(50)},
                                        {3, Quantity(300), Quantity(10)}};
  EXPECT_EQ(NextSliceUnits(policy, Quantity(20), legs), Quantity(3));
  // No limit (zero) leaves the slice alone.
  const std::vector<LegDisplay> unlimited = {{1, Quantity(100), Quantity::Zero()}};
  EXPECT_EQ(NextSliceUnits(policy, Quantity(20), unlimited), Quantity(20));
}

TEST(LegInSlicer, AVenueLimitBelowOneUnitLeavesTheRefusalToPreflight) {
  LegInPolicy policy;
  const std::vector<LegDisplay> legs = {{2, Quantity(100), Quantity(1)}};
  EXPECT_EQ(NextSliceUnits(policy, Quantity(5), legs), Quantity(5));
}

}  // namespace
}  // namespace combo::router
