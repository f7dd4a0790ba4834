#include "pricing/smart_combo_tick.h"

namespace combo::pricing {

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
