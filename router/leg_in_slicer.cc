#include "router/leg_in_slicer.h"

namespace combo::router {

core::Quantity NextSliceUnits(const LegInPolicy& policy, core::Quantity units_left,
                              std::span<const LegDisplay> legs) {
  core::Quantity units = Min(units_left, policy.max_units_per_slice);
  for (const LegDisplay& leg : legs) {
    // Whole contracts within the percentage, then whole units within those.
    const int64_t usable = leg.displayed.value() * policy.displayed_size_percent / 100;
    units = Min(units, core::Quantity(usable / leg.ratio));
    const int64_t fitting = leg.max_order.value() / leg.ratio;
    if (fitting >= 1) units = Min(units, core::Quantity(fitting));
  }
  return units.is_positive() ? units : core::Quantity::Zero();
}

}  // namespace combo::router
