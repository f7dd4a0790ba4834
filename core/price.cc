#include "core/price.h"

#include <limits>
#include <ostream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::core {
namespace {

constexpr absl::int128 kInt64Max = std::numeric_limits<int64_t>::max();
constexpr absl::int128 kInt64Min = std::numeric_limits<int64_t>::min();

bool FitsInt64(absl::int128 v) { return v >= kInt64Min && v <= kInt64Max; }

absl::Status ParseError(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("price \"", AsAbsl(text), "\": ", AsAbsl(why)));
}

absl::int128 PowerOfTen(int exponent) {
  absl::int128 result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

// Writes |raw| as units.fraction with exactly `decimals` places (0 drops the point).
std::string FormatMagnitude(bool negative, absl::uint128 magnitude, int decimals, bool trim_zeros) {
  const absl::uint128 scale = static_cast<uint64_t>(PowerOfTen(decimals));
  std::string out = negative ? "-" : "";
  absl::StrAppend(&out, static_cast<uint64_t>(magnitude / scale));
  if (decimals == 0) return out;
  std::string fraction(static_cast<size_t>(decimals), '0');
  uint64_t rest = static_cast<uint64_t>(magnitude % scale);
  for (int i = decimals - 1; i >= 0; --i) {
    fraction[static_cast<size_t>(i)] = static_cast<char>('0' + rest % 10);
    rest /= 10;
  }
  if (trim_zeros) {
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  }
  if (!fraction.empty()) absl::StrAppend(&out, ".", fraction);
  return out;
}

}  // namespace

absl::StatusOr<Price> Price::FromUnits(int64_t units) {
  absl::int128 raw = absl::int128(units) * kScale;
  if (!FitsInt64(raw)) {
    return absl::OutOfRangeError(absl::StrCat("price of ", units, " units is out of range"));
  }
  return Price(static_cast<int64_t>(raw));
}

absl::StatusOr<Price> Price::Parse(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  absl::int128 units = 0;
  int unit_digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    units = units * 10 + (text[i] - '0');
    if (units > kInt64Max) return ParseError(text, "out of range");
    ++unit_digits;
    ++i;
  }
  absl::int128 fraction = 0;
  int fraction_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (fraction_digits < kDecimals) {
        fraction = fraction * 10 + (text[i] - '0');
      } else if (text[i] != '0') {
        return ParseError(text, "more than 9 decimal places");
      }
      ++fraction_digits;
      ++i;
    }
  }
  if (unit_digits + fraction_digits == 0) {
    return ParseError(text, "expected a decimal number such as 84.45");
  }
  if (i != text.size()) {
    return ParseError(text, absl::StrCat("unexpected character '", AsAbsl(text.substr(i, 1)),
                                         "'; expected a decimal number such as 84.45"));
  }
  if (fraction_digits < kDecimals) fraction *= PowerOfTen(kDecimals - fraction_digits);
  absl::int128 raw = units * kScale + fraction;
  if (negative) raw = -raw;
  if (!FitsInt64(raw)) return ParseError(text, "out of range");
  return Price(static_cast<int64_t>(raw));
}

std::string Price::ToString() const {
  const absl::int128 wide = raw_;
  const absl::uint128 magnitude = static_cast<absl::uint128>(wide < 0 ? -wide : wide);
  return FormatMagnitude(raw_ < 0, magnitude, kDecimals, /*trim_zeros=*/true);
}

std::string Price::ToString(int decimals, RoundingMode mode) const {
  if (decimals < 0) decimals = 0;
  if (decimals > kDecimals) decimals = kDecimals;
  const absl::int128 step = PowerOfTen(kDecimals - decimals);
  const absl::int128 rounded = DivideRounded(raw_, step, mode);
  const absl::uint128 magnitude = static_cast<absl::uint128>(rounded < 0 ? -rounded : rounded);
  return FormatMagnitude(rounded < 0, magnitude, decimals, /*trim_zeros=*/false);
}

bool Price::IsOnTick(Price tick) const { return tick.raw_ > 0 && raw_ % tick.raw_ == 0; }

absl::StatusOr<Price> Price::RoundToTick(Price tick, RoundingMode mode) const {
  if (tick.raw_ <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("tick size must be positive, got ", tick.ToString()));
  }
  const absl::int128 rounded = DivideRounded(raw_, tick.raw_, mode) * tick.raw_;
  if (!FitsInt64(rounded)) {
    return absl::OutOfRangeError(
        absl::StrCat("rounding ", ToString(), " to tick ", tick.ToString(), " is out of range"));
  }
  return Price(static_cast<int64_t>(rounded));
}

absl::StatusOr<Price> CheckedAdd(Price a, Price b) {
  int64_t out;
  if (__builtin_add_overflow(a.raw(), b.raw(), &out)) {
    return absl::OutOfRangeError(absl::StrCat(a.ToString(), " + ", b.ToString(), " overflows"));
  }
  return Price::FromRaw(out);
}

absl::StatusOr<Price> CheckedSubtract(Price a, Price b) {
  int64_t out;
  if (__builtin_sub_overflow(a.raw(), b.raw(), &out)) {
    return absl::OutOfRangeError(absl::StrCat(a.ToString(), " - ", b.ToString(), " overflows"));
  }
  return Price::FromRaw(out);
}

absl::StatusOr<Price> CheckedMultiply(Price p, int64_t factor) {
  int64_t out;
  if (__builtin_mul_overflow(p.raw(), factor, &out)) {
    return absl::OutOfRangeError(absl::StrCat(p.ToString(), " x ", factor, " overflows"));
  }
  return Price::FromRaw(out);
}

absl::StatusOr<Price> CheckedNegate(Price p) {
  if (p.raw() == std::numeric_limits<int64_t>::min()) {
    return absl::OutOfRangeError(absl::StrCat("-(", p.ToString(), ") overflows"));
  }
  return -p;
}

absl::StatusOr<Price> CheckedDivide(Price p, int64_t divisor, RoundingMode mode) {
  if (divisor == 0) return absl::InvalidArgumentError("price divided by zero");
  const absl::int128 q = DivideRounded(p.raw(), divisor, mode);
  if (!FitsInt64(q)) {
    return absl::OutOfRangeError(absl::StrCat(p.ToString(), " / ", divisor, " overflows"));
  }
  return Price::FromRaw(static_cast<int64_t>(q));
}

std::ostream& operator<<(std::ostream& os, Price p) { return os << p.ToString(); }

}  // namespace combo::core
