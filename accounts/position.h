// Position: what an account holds of one instrument, with exact realized and unrealized P&L.
//
// Lots are kept first in, first out: an execution against the position's direction closes the
// oldest lots first and realizes (close price - lot price) x quantity x multiplier exactly, so no
// average cost is ever rounded. Value type; not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include "core/money.h"
#include "core/price.h"
#include "core/quantity.h"

namespace combo::accounts {

class Position {
 public:
  struct Lot {
    core::SignedQuantity quantity;
    core::Price price;
    friend bool operator==(const Lot&, const Lot&) = default;
  };

  explicit Position(int64_t multiplier = 1) : multiplier_(multiplier) {}

  // An execution of `quantity` (positive buys, negative sells) at `price`.
  void Apply(core::SignedQuantity quantity, core::Price price);

  core::SignedQuantity quantity() const { return quantity_; }
  int64_t multiplier() const { return multiplier_; }
  bool is_flat() const { return quantity_.is_zero(); }
  // Sum of open lots' price x quantity x multiplier (negative for a short position).
  core::Money cost() const;
  core::Money realized() const { return realized_; }
  // (mark - lot price) x lot quantity x multiplier over the open lots.
  core::Money Unrealized(core::Price mark) const;
  // The open lots' average price, rounded half-even; none when flat.
  std::optional<core::Price> AveragePrice() const;
  const std::deque<Lot>& lots() const { return lots_; }

  friend bool operator==(const Position&, const Position&) = default;

 private:
  int64_t multiplier_ = 1;
  core::SignedQuantity quantity_;
  std::deque<Lot> lots_;
  core::Money realized_;
};

}  // namespace combo::accounts
