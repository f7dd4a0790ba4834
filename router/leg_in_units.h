// Whole combo units out of leg executions (seed 003 R15, R30): the legs of a leg-in fill at
// several venues and prices; the client is told about whole units only, each report's legs
// reproducing its net price exactly. Units are formed first in, first out per leg, grouped so
// that every group has one price per leg (then net = sum of sign x weight x price, exact); a unit
// whose ratio spans two executions of a leg is reported alone, its net price the exact total
// divided by the combo multiplier, rounded half-even to the price grid. Pure function over the
// caller's execution queues; thread-compatible.
#pragma once

#include <cstdint>
#include <vector>

#include "core/ids.h"
#include "core/quantity.h"
#include "core/time.h"
#include "router/leg_in_engine.h"

namespace combo::router {

// One leg's executions not yet in whole units (oldest first), in the leg's terms.
struct HeldLeg {
  // Position in the canonical combo: the reports list legs in this order.
  size_t combo_leg = 0;
  int64_t ratio = 1;
  // +1 for a leg bought with the combo, -1 for one sold.
  int64_t sign = 1;
  int64_t multiplier = 1;
  std::vector<LegInExecution>* executions = nullptr;
};

// How many whole units the held executions make (the smallest held quantity / ratio).
core::Quantity WholeUnits(const std::vector<HeldLeg>& legs);

// Takes `units` whole units (at most WholeUnits) out of the legs' queues and returns the reports.
std::vector<LegInUnits> TakeWholeUnits(core::OrderId order, std::vector<HeldLeg> legs,
                                       core::Quantity units, int64_t combo_multiplier,
                                       core::Timestamp time);

}  // namespace combo::router
