#include "core/rounding.h"

namespace combo::core {

std::string_view ToString(RoundingMode mode) {
  switch (mode) {
    case RoundingMode::kDown:
      return "down";
    case RoundingMode::kUp:
      return "up";
    case RoundingMode::kTowardZero:
      return "toward-zero";
    case RoundingMode::kAwayFromZero:
      return "away-from-zero";
    case RoundingMode::kHalfUp:
      return "half-up";
    case RoundingMode::kHalfEven:
      return "half-even";
  }
  return "unknown";
}

absl::int128 DivideRounded(absl::int128 numerator, absl::int128 denominator, RoundingMode mode) {
  // C++ division truncates toward zero; the remainder carries the numerator's sign.
  absl::int128 quotient = numerator / denominator;
  absl::int128 remainder = numerator % denominator;
  if (remainder == 0) return quotient;
  const bool negative = (numerator < 0) != (denominator < 0);
  const absl::int128 away = negative ? quotient - 1 : quotient + 1;
  switch (mode) {
    case RoundingMode::kTowardZero:
      return quotient;
    case RoundingMode::kAwayFromZero:
      return away;
    case RoundingMode::kDown:
      return negative ? away : quotient;
    case RoundingMode::kUp:
      return negative ? quotient : away;
    case RoundingMode::kHalfUp:
    case RoundingMode::kHalfEven: {
      absl::int128 twice_remainder = remainder < 0 ? -remainder * 2 : remainder * 2;
      absl::int128 magnitude = denominator < 0 ? -denominator : denominator;
      if (twice_remainder > magnitude) return away;
      if (twice_remainder < magnitude) return quotient;
      if (mode == RoundingMode::kHalfUp) return away;
      return (quotient % 2 == 0) ? quotient : away;
    }
  }
  return quotient;
}

}  // namespace combo::core
