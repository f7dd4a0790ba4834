#include "pricing/smart_combo_tick.h"

namespace combo::pricing {

bool Outranks(core::Side book_side, const SourcedLevel& a, const SourcedLevel& b) {
  if (a.price != b.price)
    return book_side == core::Side::kBuy ? a.price > b.price : a.price < b.price;
  if (a.source != b.source) return a.source == PriceSource::kNative;
  if (a.source == PriceSource::kImplied) return false;
  if (a.size != b.size) return a.size > b.size;
  return a.venue < b.venue;
}

std::optional<SourcedLevel> BestOf(core::Side book_side, const std::optional<SourcedLevel>& a,
                                   const std::optional<SourcedLevel>& b) {
  if (!a.has_value()) return b;
  if (!b.has_value()) return a;
  return Outranks(book_side, *b, *a) ? b : a;
}

SmartComboTick FromImplied(const core::TopOfBook& implied) {
  SmartComboTick tick;
  if (implied.bid.has_value()) {
    tick.bid = SourcedLevel{implied.bid->price, implied.bid->quantity, PriceSource::kImplied, {}};
  }
  if (implied.ask.has_value()) {
    tick.ask = SourcedLevel{implied.ask->price, implied.ask->quantity, PriceSource::kImplied, {}};
  }
  return tick;
}

SmartComboTick Combine(const SmartComboTick& native, const core::TopOfBook& implied) {
  const SmartComboTick from_legs = FromImplied(implied);
  return SmartComboTick{BestOf(core::Side::kBuy, native.bid, from_legs.bid),
                        BestOf(core::Side::kSell, native.ask, from_legs.ask)};
}

std::ostream& operator<<(std::ostream& os, const SourcedLevel& level) {
  os << level.size << " @ " << level.price << " from ";
  if (level.source == PriceSource::kImplied) return os << "implied";
  return os << "venue " << level.venue;
}

std::ostream& operator<<(std::ostream& os, const SmartComboTick& tick) {
  os << "bid ";
  if (tick.bid.has_value()) {
    os << *tick.bid;
  } else {
    os << "none";
  }
  os << ", ask ";
  if (tick.ask.has_value()) {
    os << *tick.ask;
  } else {
    os << "none";
  }
  return os;
}

}  // namespace combo::pricing
