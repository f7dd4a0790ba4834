#include "pricing/smart_combo_tick.h"

namespace combo::pricing {

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
