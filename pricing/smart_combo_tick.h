// SmartComboTick: a combo's best bid and ask across every native complex-order book and the
// implied market, each with its source and size (seed 003 R7). A native venue's level is the
// better of its resting complex orders and what it fills by legging an arriving complex order
// into its own leg books (seed 001 R17), summed at an equal price.
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
#include <string_view>

#include "core/ids.h"
#include "core/market_data.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"

namespace combo::pricing {

enum class PriceSource : uint8_t { kNative, kImplied };

// What a native venue's level is made of (a complex order sent there fills from both).
enum class NativeSource : uint8_t {
  kComplexOrders,              // resting complex orders in its complex-order book
  kVenueLegs,                  // legging into the venue's own leg books (its legs-implied top)
  kComplexOrdersAndVenueLegs,  // both at this price: the size is their sum
};

struct SourcedLevel {
  core::Price price;
  core::Quantity size;
  PriceSource source = PriceSource::kImplied;
  // The native venue; meaningless (default) for the implied market.
  core::VenueId venue;
  // kNative only; the default for the implied market.
  NativeSource native_source = NativeSource::kComplexOrders;
  friend bool operator==(const SourcedLevel&, const SourcedLevel&) = default;
};

struct SmartComboTick {
  std::optional<SourcedLevel> bid;
  std::optional<SourcedLevel> ask;
  friend bool operator==(const SmartComboTick&, const SmartComboTick&) = default;
};

// Inline because the engine re-prices tens of combos per leg update through them: out of line,
// their optional temporaries cross the call through memory and stall on store forwarding.

// True when `a` should be shown instead of `b` on the bid (kBuy) or ask (kSell) side.
inline bool Outranks(core::Side book_side, const SourcedLevel& a, const SourcedLevel& b) {
  if (a.price != b.price)
    return book_side == core::Side::kBuy ? a.price > b.price : a.price < b.price;
  if (a.source != b.source) return a.source == PriceSource::kNative;
  if (a.source == PriceSource::kImplied) return false;
  if (a.size != b.size) return a.size > b.size;
  return a.venue < b.venue;
}

// The better of two optional levels under Outranks.
inline std::optional<SourcedLevel> BestOf(core::Side book_side,
                                          const std::optional<SourcedLevel>& a,
                                          const std::optional<SourcedLevel>& b) {
  if (!a.has_value()) return b;
  if (!b.has_value()) return a;
  return Outranks(book_side, *b, *a) ? b : a;
}

// One implied level as a sourced level (empty stays empty).
inline std::optional<SourcedLevel> FromImplied(const std::optional<core::PriceLevel>& level) {
  if (!level.has_value()) return std::nullopt;
  return SourcedLevel{level->price, level->quantity, PriceSource::kImplied, {}, {}};
}

// One native venue's level on a side: the better of its resting complex orders and its legs'
// implied level, both at an equal price (sizes summed). Empty when both are.
inline std::optional<SourcedLevel> NativeLevel(
    core::Side book_side, core::VenueId venue,
    const std::optional<core::PriceLevel>& complex_orders,
    const std::optional<core::PriceLevel>& venue_legs) {
  if (!venue_legs.has_value()) {
    if (!complex_orders.has_value()) return std::nullopt;
    return SourcedLevel{complex_orders->price, complex_orders->quantity, PriceSource::kNative,
                        venue, NativeSource::kComplexOrders};
  }
  if (!complex_orders.has_value() ||
      (book_side == core::Side::kBuy ? venue_legs->price > complex_orders->price
                                     : venue_legs->price < complex_orders->price)) {
    return SourcedLevel{venue_legs->price, venue_legs->quantity, PriceSource::kNative, venue,
                        NativeSource::kVenueLegs};
  }
  if (venue_legs->price != complex_orders->price) {
    return SourcedLevel{complex_orders->price, complex_orders->quantity, PriceSource::kNative,
                        venue, NativeSource::kComplexOrders};
  }
  // An arriving order meets the inverse complex orders first (seed 001 R15), then legs in (R18).
  return SourcedLevel{complex_orders->price, complex_orders->quantity + venue_legs->quantity,
                      PriceSource::kNative, venue, NativeSource::kComplexOrdersAndVenueLegs};
}

// The implied top of book as sourced levels.
inline SmartComboTick FromImplied(const core::TopOfBook& implied) {
  return SmartComboTick{FromImplied(implied.bid), FromImplied(implied.ask)};
}

// Combines the best native levels (already the best across venues) and the implied quote.
inline SmartComboTick Combine(const SmartComboTick& native, const core::TopOfBook& implied) {
  return SmartComboTick{BestOf(core::Side::kBuy, native.bid, FromImplied(implied.bid)),
                        BestOf(core::Side::kSell, native.ask, FromImplied(implied.ask))};
}

std::string_view ToString(NativeSource source);
std::ostream& operator<<(std::ostream& os, const SourcedLevel& level);
std::ostream& operator<<(std::ostream& os, const SmartComboTick& tick);

}  // namespace combo::pricing
