// Quantity and SignedQuantity: whole numbers of contracts, shares or combo units.
//
// Quantity is what orders and fills carry; it is never negative once validated at the edge
// (FIX, config). SignedQuantity is a position: long positive, short negative. Money arithmetic
// on them lives in core/money.h. Value types: cheap to copy, safe to share between threads.
#pragma once

#include <algorithm>
#include <compare>
#include <cstdint>
#include <iosfwd>

namespace combo::core {

class Quantity {
 public:
  constexpr Quantity() = default;
  constexpr explicit Quantity(int64_t value) : value_(value) {}

  static constexpr Quantity Zero() { return Quantity(0); }

  constexpr int64_t value() const { return value_; }
  constexpr bool is_zero() const { return value_ == 0; }
  constexpr bool is_positive() const { return value_ > 0; }

  friend constexpr auto operator<=>(Quantity a, Quantity b) = default;
  constexpr Quantity& operator+=(Quantity o) {
    value_ += o.value_;
    return *this;
  }
  constexpr Quantity& operator-=(Quantity o) {
    value_ -= o.value_;
    return *this;
  }
  friend constexpr Quantity operator+(Quantity a, Quantity b) {
    return Quantity(a.value_ + b.value_);
  }
  friend constexpr Quantity operator-(Quantity a, Quantity b) {
    return Quantity(a.value_ - b.value_);
  }
  // Scaling by a leg ratio: units of a combo times the ratio is the leg quantity.
  friend constexpr Quantity operator*(Quantity q, int64_t k) { return Quantity(q.value_ * k); }
  friend constexpr Quantity operator*(int64_t k, Quantity q) { return Quantity(q.value_ * k); }
  // Whole units that `q` makes at `per_unit` each, rounded down: floor(leg fill / ratio).
  friend constexpr Quantity operator/(Quantity q, int64_t per_unit) {
    return Quantity(q.value_ / per_unit);
  }

 private:
  int64_t value_ = 0;
};

constexpr Quantity Min(Quantity a, Quantity b) { return std::min(a, b); }

class SignedQuantity {
 public:
  constexpr SignedQuantity() = default;
  constexpr explicit SignedQuantity(int64_t value) : value_(value) {}

  constexpr int64_t value() const { return value_; }
  constexpr bool is_zero() const { return value_ == 0; }
  constexpr bool is_long() const { return value_ > 0; }
  constexpr bool is_short() const { return value_ < 0; }
  constexpr Quantity Magnitude() const { return Quantity(value_ < 0 ? -value_ : value_); }

  friend constexpr auto operator<=>(SignedQuantity a, SignedQuantity b) = default;
  constexpr SignedQuantity operator-() const { return SignedQuantity(-value_); }
  constexpr SignedQuantity& operator+=(SignedQuantity o) {
    value_ += o.value_;
    return *this;
  }
  constexpr SignedQuantity& operator-=(SignedQuantity o) {
    value_ -= o.value_;
    return *this;
  }
  friend constexpr SignedQuantity operator+(SignedQuantity a, SignedQuantity b) {
    return SignedQuantity(a.value_ + b.value_);
  }
  friend constexpr SignedQuantity operator-(SignedQuantity a, SignedQuantity b) {
    return SignedQuantity(a.value_ - b.value_);
  }

 private:
  int64_t value_ = 0;
};

std::ostream& operator<<(std::ostream& os, Quantity q);
std::ostream& operator<<(std::ostream& os, SignedQuantity q);

}  // namespace combo::core
