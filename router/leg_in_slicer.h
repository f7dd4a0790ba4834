// Slicing (seed 003 R27): a large order is not legged in all at once. A slice is at most
// LegInPolicy::max_units_per_slice combo units, and takes at most displayed_size_percent of the
// size displayed at each leg's best price (in that leg's ratio), and fits each leg's order within
// the largest order its venue accepts (whole combo units at the leg's ratio), so pre-flight does
// not refuse a whole leg-in that smaller slices can do. Pure function; thread-compatible.
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
  // The largest order (contracts) the venue the leg goes to accepts; zero means no limit.
  core::Quantity max_order;
};

// Combo units for the next slice of `units_left`; zero when some leg displays too little for a
// whole unit within the percentage. A venue limit below one whole unit (max_order < ratio)
// does not shrink the slice: no slice can fit it, and pre-flight refuses it with the reason.
core::Quantity NextSliceUnits(const LegInPolicy& policy, core::Quantity units_left,
                              std::span<const LegDisplay> legs);

}  // namespace combo::router
