// SmartComboTick: a combo's best bid and ask across every native complex-order book and the
// implied market, each with its source and size (seed 003 R7).
//
// Rules (docs/PRICING.md):
//  - the better price wins (higher bid, lower ask);
//  - at an equal price a native venue beats the implied market, whatever the sizes: the router
//    rests natively when a native venue is at the best price (seed 003 R9), and a native level
//    is one order book, not a leg-in that carries legging risk;
//  - between native venues at an equal price: the larger size, then the lower venue id.
// The size is the winning source's own size. Value types; safe to copy between threads.
#pragma once

#include <optional>
#include <ostream>

#include "core/ids.h"
#include "core/market_data.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"

namespace combo::pricing {

enum class PriceSource : uint8_t { kNative, kImplied };

struct SourcedLevel {
  core::Price price;
  core::Quantity size;
  PriceSource source = PriceSource::kImplied;
  // The native venue; meaningless (default) for the implied market.
  core::VenueId venue;
  friend bool operator==(const SourcedLevel&, const SourcedLevel&) = default;
};

struct SmartComboTick {
  std::optional<SourcedLevel> bid;
  std::optional<SourcedLevel> ask;
  friend bool operator==(const SmartComboTick&, const SmartComboTick&) = default;
};

// True when `a` should be shown instead of `b` on the bid (kBuy) or ask (kSell) side.
bool Outranks(core::Side book_side, const SourcedLevel& a, const SourcedLevel& b);

// The better of two optional levels under Outranks.
std::optional<SourcedLevel> BestOf(core::Side book_side, const std::optional<SourcedLevel>& a,
                                   const std::optional<SourcedLevel>& b);

// The implied top of book as sourced levels.
SmartComboTick FromImplied(const core::TopOfBook& implied);

// Combines the best native levels (already the best across venues) and the implied quote.
SmartComboTick Combine(const SmartComboTick& native, const core::TopOfBook& implied);

std::ostream& operator<<(std::ostream& os, const SourcedLevel& level);
std::ostream& operator<<(std::ostream& os, const SmartComboTick& tick);

}  // namespace combo::pricing
