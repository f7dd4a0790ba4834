// LegVenue: what the leg-in engine knows about one venue it may send leg orders to: the venue
// itself, its expected one-way latency (the venue-speed ranking key, R21) and the venue rules
// the pre-flight check enforces (R12): its tick rule per instrument and its largest order size.
// Plain value type; the Venue pointer is not owned.
#pragma once

#include <map>

#include "core/ids.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/tick_rule.h"
#include "core/time.h"
#include "venues/venue.h"

namespace combo::router {

struct LegVenue {
  venues::Venue* venue = nullptr;
  // Expected one-way latency to the venue: faster venues rank first (R21).
  core::Duration expected_latency = core::Duration::Zero();
  // The venue's tick rule per instrument where it differs from the instrument's own.
  std::map<core::InstrumentId, core::TickRule> tick_rules;
  // The largest leg order the venue accepts, in contracts; zero means no limit.
  core::Quantity max_order_quantity = core::Quantity::Zero();
};

}  // namespace combo::router
