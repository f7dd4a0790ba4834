// Slicing (seed 003 R27): a large order is not legged in all at once. A slice is at most
// LegInPolicy::max_units_per_slice combo units, and takes at most displayed_size_percent of the
// size displayed at each leg's best price (in that leg's ratio). Pure function; thread-compatible.
#pragma once

#include <cstdint>
#include <span>

#include "core/quantity.h"
#include "router/leg_in_policy.h"

namespace combo::router {

struct LegDisplay {
  // Contracts per combo unit.
  int64_t ratio = 1;
  // Contracts displayed at the price the leg would trade at.
  core::Quantity displayed;
};

// Combo units for the next slice of `units_left`; zero when some leg displays too little for a
// whole unit within the percentage.
core::Quantity NextSliceUnits(const LegInPolicy& policy, core::Quantity units_left,
                              std::span<const LegDisplay> legs);

}  // namespace combo::router
