// Price: an exact decimal price as a signed fixed-point integer at scale 1e-9.
//
// Every price in matching, pricing and fills is a Price; floating point never touches one.
// Zero and negative prices are legal (a credit spread trades below zero). The arithmetic
// operators are for values known to be in range (prices times small weights); the Checked*
// functions report overflow as an error for anything that comes from outside.
// A value type: cheap to copy, safe to share between threads.
#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/rounding.h"

namespace combo::core {

class Price {
 public:
  // Units of the raw integer per whole unit of price: 9 decimal places.
  static constexpr int64_t kScale = 1'000'000'000;
  static constexpr int kDecimals = 9;

  constexpr Price() = default;

  static constexpr Price FromRaw(int64_t raw) { return Price(raw); }
  // A whole number of price units: FromUnits(84) is 84.
  static absl::StatusOr<Price> FromUnits(int64_t units);
  // units + nanos / 1e9, for literals in code and tests: FromParts(84, 450'000'000) is 84.45.
  // Requires |nanos| < 1e9 with the sign of units; use Parse for anything from outside.
  static constexpr Price FromParts(int64_t units, int64_t nanos) {
    return Price(units * kScale + nanos);
  }
  // Exact decimal parse: "84.45", "-0.05", "+3", "99.828125", ".5". At most 9 decimal places
  // (trailing zeros beyond them are accepted); no exponent, no spaces, no thousands separators.
  static absl::StatusOr<Price> Parse(std::string_view text);

  static constexpr Price Zero() { return Price(0); }
  static constexpr Price Max() { return Price(INT64_MAX); }
  static constexpr Price Min() { return Price(INT64_MIN); }

  constexpr int64_t raw() const { return raw_; }
  constexpr bool is_zero() const { return raw_ == 0; }
  constexpr bool is_negative() const { return raw_ < 0; }
  constexpr bool is_positive() const { return raw_ > 0; }

  // Shortest exact decimal: "84.45", "-0.05", "3", "0".
  std::string ToString() const;
  // Exactly `decimals` places (0..9), rounding with `mode` when the value has more.
  std::string ToString(int decimals, RoundingMode mode = RoundingMode::kHalfEven) const;
  // The value as a double, for analytics and metric export only.
  double ToDouble() const { return static_cast<double>(raw_) / static_cast<double>(kScale); }

  // True when the price is a whole multiple of `tick` (tick > 0).
  bool IsOnTick(Price tick) const;
  // The multiple of `tick` next to this price in the direction `mode` gives. Fails when tick is
  // not positive or the result does not fit.
  absl::StatusOr<Price> RoundToTick(Price tick, RoundingMode mode) const;

  friend constexpr auto operator<=>(Price a, Price b) = default;

  constexpr Price operator-() const { return Price(-raw_); }
  constexpr Price& operator+=(Price o) {
    raw_ += o.raw_;
    return *this;
  }
  constexpr Price& operator-=(Price o) {
    raw_ -= o.raw_;
    return *this;
  }
  friend constexpr Price operator+(Price a, Price b) { return Price(a.raw_ + b.raw_); }
  friend constexpr Price operator-(Price a, Price b) { return Price(a.raw_ - b.raw_); }
  // A price times an integer weight or ratio.
  friend constexpr Price operator*(Price p, int64_t k) { return Price(p.raw_ * k); }
  friend constexpr Price operator*(int64_t k, Price p) { return Price(p.raw_ * k); }

 private:
  constexpr explicit Price(int64_t raw) : raw_(raw) {}
  int64_t raw_ = 0;
};

// Overflow-checked arithmetic: OutOfRange instead of a wrapped value.
absl::StatusOr<Price> CheckedAdd(Price a, Price b);
absl::StatusOr<Price> CheckedSubtract(Price a, Price b);
absl::StatusOr<Price> CheckedMultiply(Price p, int64_t factor);
absl::StatusOr<Price> CheckedNegate(Price p);
// p / divisor rounded by `mode`; fails on a zero divisor.
absl::StatusOr<Price> CheckedDivide(Price p, int64_t divisor, RoundingMode mode);

// Lets tests and logs print prices.
std::ostream& operator<<(std::ostream& os, Price p);

}  // namespace combo::core
