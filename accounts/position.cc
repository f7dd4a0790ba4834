#include "accounts/position.h"

#include <algorithm>

namespace combo::accounts {

void Position::Apply(core::SignedQuantity quantity, core::Price price) {
  int64_t remaining = quantity.value();
  // Close opposite lots, oldest first.
  while (remaining != 0 && !lots_.empty() &&
         (lots_.front().quantity.value() > 0) != (remaining > 0)) {
    Lot& lot = lots_.front();
    const int64_t lot_size = lot.quantity.value();
    const int64_t closed =
        std::min(lot_size > 0 ? lot_size : -lot_size, remaining > 0 ? remaining : -remaining);
    const int64_t closed_signed = lot_size > 0 ? closed : -closed;
    realized_ +=
        core::Money::Notional(price - lot.price, core::SignedQuantity(closed_signed), multiplier_);
    lot.quantity -= core::SignedQuantity(closed_signed);
    remaining += closed_signed;
    if (lot.quantity.is_zero()) lots_.pop_front();
  }
  if (remaining != 0) lots_.push_back(Lot{core::SignedQuantity(remaining), price});
  quantity_ += quantity;
}

core::Money Position::cost() const {
  core::Money total;
  for (const Lot& lot : lots_) total += core::Money::Notional(lot.price, lot.quantity, multiplier_);
  return total;
}

core::Money Position::Unrealized(core::Price mark) const {
  core::Money total;
  for (const Lot& lot : lots_) {
    total += core::Money::Notional(mark - lot.price, lot.quantity, multiplier_);
  }
  return total;
}

std::optional<core::Price> Position::AveragePrice() const {
  if (quantity_.is_zero()) return std::nullopt;
  auto average = cost().DivideToPrice(absl::int128(quantity_.value()) * multiplier_,
                                      core::RoundingMode::kHalfEven);
  if (!average.ok()) return std::nullopt;
  return *average;
}

}  // namespace combo::accounts
