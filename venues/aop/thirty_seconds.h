// Treasury prices in 32nds: "99-26" is 99 + 26/32, "99-26+" is 99 + 26.5/32, and a third digit
// counts eighths of a 32nd, so "99-266" is 99 + 26.75/32 (seed 004 L144, spec E7).
//
// Every such price is a whole number of 256ths of a point, which core::Price (1e-9) holds
// exactly: 1/256 = 0.00390625. The third digit is 1-7 except 4, which is written "+"; "4", "8"
// and "9" are rejected. A leading '-' is allowed (spreads trade below zero). Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/price.h"

namespace combo::venues::aop {

// One 32nd of a point, and the finest client increment (1/8 of a 32nd).
inline constexpr core::Price kOneThirtySecond = core::Price::FromRaw(31'250'000);
inline constexpr core::Price kOneTwoFiftySixth = core::Price::FromRaw(3'906'250);

// "99-26+" -> 99.828125. Fails with a message naming the text and the problem.
absl::StatusOr<core::Price> ParseThirtySeconds(std::string_view text);

// 99.828125 -> "99-26+". Fails for a price that is not a whole number of 256ths.
absl::StatusOr<std::string> FormatThirtySeconds(core::Price price);

}  // namespace combo::venues::aop
