// RoundingMode: how an exact value that falls between two representable ones is resolved.
//
// Used for prices onto ticks, divisions of money, and formatting. Every rounding in the project
// names its mode; nothing rounds implicitly.
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/numeric/int128.h"

namespace combo::core {

enum class RoundingMode {
  kDown,          // toward negative infinity (floor)
  kUp,            // toward positive infinity (ceiling)
  kTowardZero,    // truncate
  kAwayFromZero,  // the larger magnitude
  kHalfUp,        // nearest; a tie goes away from zero
  kHalfEven,      // nearest; a tie goes to the even neighbour (banker's rounding)
};

std::string_view ToString(RoundingMode mode);

// numerator / denominator rounded by `mode`. denominator must be non-zero; the caller checks.
absl::int128 DivideRounded(absl::int128 numerator, absl::int128 denominator, RoundingMode mode);

}  // namespace combo::core
