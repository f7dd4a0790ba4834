// The leg-in pre-flight check (seed 003 R12): before a leg order is sent, it must be on its
// venue's tick at its price (the instrument's tick rule), within the venue's size limits, go to a
// series open for continuous trading (seed 001 R46 / R47), and must not trade through a better
// price for that leg displayed on another venue; and where the venue runs seed 001's
// market-maker rules, the router's leg orders being professional orders, neither ask more of the
// displayed size than R39 lets a professional order take of a quote, nor reach beyond the R35
// band with more than fills within it. The engine checks every
// leg of a slice before the first one is sent (one failing leg and the leg-in does not start), and
// each re-routed or resubmitted leg order again. Pure functions; thread-compatible.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "core/ids.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"
#include "core/tick_rule.h"
#include "venues/market_maker_rules.h"
#include "venues/venue.h"

namespace combo::router {

// A leg order about to be sent, and what the venues display for its instrument.
struct PreflightLeg {
  core::InstrumentId instrument;
  std::string symbol;
  core::Side side = core::Side::kBuy;
  core::VenueId venue;
  core::Price price;
  core::Quantity quantity;
  // The target venue's tick rule for the instrument (not owned; null: none known, not checked)
  // and its largest order (zero: no limit).
  const core::TickRule* tick_rule = nullptr;
  core::Quantity max_order_quantity;
  // Seed 001 R46 / R47: the venue's series trades only at single prices while it is not open
  // (before its opening rotation, in a fast market): a leg order there would wait, not fill.
  venues::SeriesPhase phase = venues::SeriesPhase::kOpen;
  // The target venue's best contra price and the size it displays there.
  core::Price venue_best;
  core::Quantity displayed;
  // The venue's R35 band in ticks (zero: none) and R39 professional availability (absent: none).
  int64_t professional_band_ticks = 0;
  std::optional<venues::QuoteAvailability> professional_availability;
};

// R39: what the router's professional leg order may take of `displayed` contracts at a venue
// with `availability`. The router sees a level's total, not whose it is: it is read as one quote.
core::Quantity ProfessionalTakeable(const std::optional<venues::QuoteAvailability>& availability,
                                    core::Quantity displayed);

// One other venue's displayed price on the side the leg order trades against (its ask for a
// buy, its bid for a sell).
struct DisplayedPrice {
  core::VenueId venue;
  core::Price price;
};

// Empty when the leg order may be sent; otherwise the reason, naming the leg, the venue and the
// rule. `elsewhere` lists the other venues' displayed prices for the leg (venues that have just
// failed to fill it at their displayed price are left out by the caller: their quote is stale).
std::optional<std::string> CheckLegOrder(const PreflightLeg& leg,
                                         std::span<const DisplayedPrice> elsewhere);

}  // namespace combo::router
