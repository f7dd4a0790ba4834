#include "core/money.h"

#include <limits>
#include <ostream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace combo::core {

Money Money::Notional(Price price, Quantity quantity, int64_t multiplier) {
  return Money(absl::int128(price.raw()) * quantity.value() * multiplier);
}

Money Money::Notional(Price price, SignedQuantity quantity, int64_t multiplier) {
  return Money(absl::int128(price.raw()) * quantity.value() * multiplier);
}

std::string Money::ToString() const {
  const bool negative = raw_ < 0;
  const absl::uint128 magnitude = static_cast<absl::uint128>(negative ? -raw_ : raw_);
  const absl::uint128 scale = static_cast<uint64_t>(Price::kScale);
  std::string out = negative ? "-" : "";
  // Whole units can exceed 64 bits; operator<< of uint128 prints them exactly.
  absl::uint128 units = magnitude / scale;
  if (units > std::numeric_limits<uint64_t>::max()) {
    std::string digits;
    while (units > 0) {
      digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(units % 10)));
      units /= 10;
    }
    out += digits;
  } else {
    absl::StrAppend(&out, static_cast<uint64_t>(units));
  }
  uint64_t rest = static_cast<uint64_t>(magnitude % scale);
  if (rest != 0) {
    std::string fraction(Price::kDecimals, '0');
    for (int i = Price::kDecimals - 1; i >= 0; --i) {
      fraction[static_cast<size_t>(i)] = static_cast<char>('0' + rest % 10);
      rest /= 10;
    }
    while (fraction.back() == '0') fraction.pop_back();
    absl::StrAppend(&out, ".", fraction);
  }
  return out;
}

double Money::ToDouble() const {
  return static_cast<double>(raw_) / static_cast<double>(Price::kScale);
}

absl::StatusOr<Price> Money::DivideToPrice(absl::int128 divisor, RoundingMode mode) const {
  if (divisor == 0) return absl::InvalidArgumentError("money divided by zero");
  const absl::int128 q = DivideRounded(raw_, divisor, mode);
  if (q > std::numeric_limits<int64_t>::max() || q < std::numeric_limits<int64_t>::min()) {
    return absl::OutOfRangeError(absl::StrCat(ToString(), " divided into a price is out of range"));
  }
  return Price::FromRaw(static_cast<int64_t>(q));
}

std::ostream& operator<<(std::ostream& os, Money m) { return os << m.ToString(); }

}  // namespace combo::core
