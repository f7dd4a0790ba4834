#include "pricing/smart_combo_tick.h"

namespace combo::pricing {

std::optional<SourcedLevel> NativeLevel(core::Side book_side, core::VenueId venue,
                                        const std::optional<core::PriceLevel>& complex_orders,
                                        const std::optional<core::PriceLevel>& venue_legs) {
  if (!complex_orders.has_value() && !venue_legs.has_value()) return std::nullopt;
  if (!venue_legs.has_value()) {
    return SourcedLevel{complex_orders->price, complex_orders->quantity, PriceSource::kNative,
                        venue, NativeSource::kComplexOrders};
  }
  if (!complex_orders.has_value() ||
      (book_side == core::Side::kBuy ? venue_legs->price > complex_orders->price
                                     : venue_legs->price < complex_orders->price)) {
    return SourcedLevel{venue_legs->price, venue_legs->quantity, PriceSource::kNative, venue,
                        NativeSource::kVenueLegs};
  }
  if (venue_legs->price != complex_orders->price) {
    return SourcedLevel{complex_orders->price, complex_orders->quantity, PriceSource::kNative,
                        venue, NativeSource::kComplexOrders};
  }
  // An arriving order meets the inverse complex orders first (seed 001 R15), then legs in (R18).
  return SourcedLevel{complex_orders->price, complex_orders->quantity + venue_legs->quantity,
                      PriceSource::kNative, venue, NativeSource::kComplexOrdersAndVenueLegs};
}

std::string_view ToString(NativeSource source) {
  switch (source) {
    case NativeSource::kComplexOrders:
      return "complex orders";
    case NativeSource::kVenueLegs:
      return "venue legs";
    case NativeSource::kComplexOrdersAndVenueLegs:
      return "complex orders and venue legs";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, const SourcedLevel& level) {
  os << level.size << " @ " << level.price << " from ";
  if (level.source == PriceSource::kImplied) return os << "implied";
  os << "venue " << level.venue;
  if (level.native_source == NativeSource::kComplexOrders) return os;
  return os << " (" << ToString(level.native_source) << ")";
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
