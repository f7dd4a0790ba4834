#include "core/rounding.h"

#include "gtest/gtest.h"

namespace combo::core {
namespace {

struct Case {
  int64_t numerator;
  int64_t denominator;
  RoundingMode mode;
  int64_t expected;
};

TEST(DivideRounded, EveryModeOnPositiveNegativeAndTies) {
  const Case cases[] = {
      {7, 2, RoundingMode::kDown, 3},         {-7, 2, RoundingMode::kDown, -4},
      {7, 2, RoundingMode::kUp, 4},           {-7, 2, RoundingMode::kUp, -3},
      {7, 2, RoundingMode::kTowardZero, 3},   {-7, 2, RoundingMode::kTowardZero, -3},
      {7, 2, RoundingMode::kAwayFromZero, 4}, {-7, 2, RoundingMode::kAwayFromZero, -4},
      {7, 2, RoundingMode::kHalfUp, 4},       {-7, 2, RoundingMode::kHalfUp, -4},
      {5, 2, RoundingMode::kHalfEven, 2},     {7, 2, RoundingMode::kHalfEven, 4},
      {-5, 2, RoundingMode::kHalfEven, -2},   {-7, 2, RoundingMode::kHalfEven, -4},
      {10, 3, RoundingMode::kHalfUp, 3},      {11, 3, RoundingMode::kHalfUp, 4},
      {7, -2, RoundingMode::kDown, -4},       {-7, -2, RoundingMode::kDown, 3},
      {6, 3, RoundingMode::kAwayFromZero, 2}, {0, 5, RoundingMode::kUp, 0},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(DivideRounded(c.numerator, c.denominator, c.mode), c.expected)
        << c.numerator << "/" << c.denominator << " " << ToString(c.mode);
  }
}

}  // namespace
}  // namespace combo::core
