// Resting traders for the market simulator: a group of participants whose orders rest in the
// books (seed 001's public customers and professionals), so that the rules which act on resting
// interest act in the simulated market: customer priority in seed-001 allocation (R30), the
// complex book's customer-at-the-edge rules (R12-R16, E-C10), automated order protection of
// resting orders (seed 004). The market makers' quotes and the takers' IOC orders alone never
// leave a customer order in a book.
//
// One config entry is one participant at one venue working leg books, complex books or both. It
// sends limit Day orders at Poisson arrivals, each on an instrument or combo drawn uniformly from
// its lists, priced relative to the market the simulator last saw: at the same side's best
// price, inside it (improving, never locking or crossing the other side) or outside it (behind).
// Each order lives for a drawn lifetime, then is replaced to a fresh price (a new lifetime) or
// cancelled. All draws come from the agent's own seeded core::Rng, all time from the simulator's
// Scheduler, so a run on core::SimulatedTime repeats exactly.
//
// Plain values: no thread-safety concerns.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/ids.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/time.h"
#include "venues/venue.h"

namespace combo::venues::market_sim {

struct RestingTraderConfig {
  core::VenueId venue;
  // The leg books it works, and the native combos (canonical) of the venue's complex book.
  std::vector<core::InstrumentId> instruments;
  std::vector<core::ComboId> combos;
  ParticipantRole role = ParticipantRole::kCustomer;
  // Arrivals of new orders (a Poisson process).
  double orders_per_second = 1.0;
  // The limit's offset from the same side's best price, in ticks (the instrument's tick, or
  // `net_tick` for a combo), uniform in [min, max]: 0 joins the best price, a positive offset
  // improves it (at most to one tick short of the other side), a negative one rests behind it.
  // With that side empty the reference is fair value, rounded away from the other side.
  int64_t min_offset_ticks = -2;
  int64_t max_offset_ticks = 1;
  core::Quantity min_quantity{1};
  core::Quantity max_quantity{5};
  // Each order's lifetime is uniform in [min, max]; at its end the order is replaced to a fresh
  // price with probability replace_percent / 100 (and lives again), or else cancelled.
  core::Duration min_lifetime = core::Duration::Seconds(2);
  core::Duration max_lifetime = core::Duration::Seconds(10);
  int64_t replace_percent = 50;
  // Open orders at most; an arrival while that many are open sends nothing.
  int64_t max_open_orders = 20;
  // The complex books' net tick.
  core::Price net_tick = core::Price::FromParts(0, 10'000'000);
  // Seed 001 R48 (the venue must take block orders): the percentage of its leg orders sent as
  // block orders of `block_quantity` contracts instead, priced as its other orders are, and of
  // those the percentage sent as facilitation orders (the trader crosses part with its own
  // proprietary side). A block lives until the venue's response window closes: it executes or
  // expires there, and is never replaced or cancelled by the trader. 0: no blocks.
  int64_t block_percent = 0;
  core::Quantity block_quantity{50};
  int64_t facilitation_percent = 0;
};

// The bounds of the offsets (ticks either way).
inline constexpr int64_t kMaxRestingOffsetTicks = 1000;

// Checks the values of one entry that need no catalog or venue: an instrument or combo to work,
// a positive finite rate, offsets within +-kMaxRestingOffsetTicks with min <= max, quantities
// 1 <= min <= max, lifetimes 0 < min <= max, replace percent in 0..100, at least one open order,
// a positive net tick; block and facilitation percents in 0..100, a positive block quantity,
// and leg books to send blocks to when block_percent is positive. The error names the value and
// what was expected.
absl::Status ValidateRestingTraderValues(const RestingTraderConfig& config);

}  // namespace combo::venues::market_sim
