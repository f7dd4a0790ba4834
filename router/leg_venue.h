// LegVenue: what the leg-in engine knows about one venue it may send leg orders to: the venue
// itself, its expected one-way latency (the venue-speed ranking key, R21), the venue rules the
// pre-flight check enforces (R12): its tick rule per instrument, its largest order size and the
// seed 001 market-maker rules its leg books hold the router's professional leg orders to (R35
// band, R39 quote availability), and how long an order there may take before the venue ends it.
// Plain value type; the Venue pointer is not owned.
#pragma once

#include <map>
#include <optional>

#include "core/ids.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/tick_rule.h"
#include "core/time.h"
#include "venues/market_maker_rules.h"
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
  // How long the venue itself may work an order before it ends it (the negotiation network: an
  // ACCEPT's trade, an offer's timeout, its trade). The engine's leg timeout there is at least
  // this, so it never pulls an order the venue is still negotiating (a withdrawal the network
  // counts against the router, seed 000 N7). Zero: the policy's leg_timeout alone.
  core::Duration order_life = core::Duration::Zero();
  // Seed 001 R35: the venue deletes a professional order reaching beyond this many ticks past
  // its best contra price that cannot fill whole within them; zero: no band.
  int64_t professional_band_ticks = 0;
  // Seed 001 R39: what a professional order may take of one quote (absent: all of it).
  std::optional<venues::QuoteAvailability> professional_availability;
};

}  // namespace combo::router
