// Money: an exact amount of currency (notional, cost, P&L, fees) as a 128-bit fixed-point
// integer at the same 1e-9 scale as Price.
//
// price x quantity x multiplier of a large order overflows 64 bits at 1e-9; 128 bits do not.
// A value type: cheap to copy, safe to share between threads.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/rounding.h"

namespace combo::core {

class Money {
 public:
  constexpr Money() = default;
  static constexpr Money FromRaw(absl::int128 raw) { return Money(raw); }
  static Money FromPrice(Price p) { return Money(absl::int128(p.raw())); }
  static Money Zero() { return Money(0); }
  // The cost of trading `quantity` at `price` on an instrument of `multiplier`:
  // price x quantity x multiplier, exact.
  static Money Notional(Price price, Quantity quantity, int64_t multiplier);
  static Money Notional(Price price, SignedQuantity quantity, int64_t multiplier);

  constexpr absl::int128 raw() const { return raw_; }
  bool is_zero() const { return raw_ == 0; }
  bool is_negative() const { return raw_ < 0; }

  // Shortest exact decimal, like Price::ToString: "1234.5", "-0.05".
  std::string ToString() const;
  double ToDouble() const;

  // This amount divided by `divisor` as a price, rounded by `mode`: an average price
  // (total / quantity / multiplier). Fails on a zero divisor or a result beyond Price's range.
  absl::StatusOr<Price> DivideToPrice(absl::int128 divisor, RoundingMode mode) const;

  // absl::int128 has no <=>, so the comparisons are spelled out.
  friend bool operator==(Money a, Money b) { return a.raw_ == b.raw_; }
  friend bool operator!=(Money a, Money b) { return a.raw_ != b.raw_; }
  friend bool operator<(Money a, Money b) { return a.raw_ < b.raw_; }
  friend bool operator<=(Money a, Money b) { return a.raw_ <= b.raw_; }
  friend bool operator>(Money a, Money b) { return a.raw_ > b.raw_; }
  friend bool operator>=(Money a, Money b) { return a.raw_ >= b.raw_; }
  Money operator-() const { return Money(-raw_); }
  Money& operator+=(Money o) {
    raw_ += o.raw_;
    return *this;
  }
  Money& operator-=(Money o) {
    raw_ -= o.raw_;
    return *this;
  }
  friend Money operator+(Money a, Money b) { return Money(a.raw_ + b.raw_); }
  friend Money operator-(Money a, Money b) { return Money(a.raw_ - b.raw_); }
  friend Money operator*(Money m, int64_t k) { return Money(m.raw_ * k); }

 private:
  constexpr explicit Money(absl::int128 raw) : raw_(raw) {}
  absl::int128 raw_ = 0;
};

std::ostream& operator<<(std::ostream& os, Money m);

}  // namespace combo::core
