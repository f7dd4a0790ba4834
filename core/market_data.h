// Market-data value types: what venues publish and pricing consumes.
//
// They live in core/ so that pricing never depends on venues (DESIGN.md layering). A venue's
// MarketDataListener receives LegBookUpdate for its leg books and NativeComboUpdate for its
// complex-order book, each with the venue's own increasing sequence number per book.
// Value types; safe to copy between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/ids.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"
#include "core/time.h"

namespace combo::core {

// One price level: the total displayed quantity at a price.
struct PriceLevel {
  Price price;
  Quantity quantity;
  friend bool operator==(const PriceLevel&, const PriceLevel&) = default;
};

// Best bid and offer; a side with no displayed order is empty (never a zero price).
struct TopOfBook {
  std::optional<PriceLevel> bid;
  std::optional<PriceLevel> ask;
  friend bool operator==(const TopOfBook&, const TopOfBook&) = default;
  bool empty() const { return !bid.has_value() && !ask.has_value(); }
  const std::optional<PriceLevel>& side(Side s) const { return s == Side::kBuy ? bid : ask; }
};

// The first levels of a book: bids best (highest) first, asks best (lowest) first.
struct Depth {
  std::vector<PriceLevel> bids;
  std::vector<PriceLevel> asks;
  friend bool operator==(const Depth&, const Depth&) = default;
  const std::vector<PriceLevel>& side(Side s) const { return s == Side::kBuy ? bids : asks; }
};

// One level of a leg book changed. `quantity` is the level's new total; zero removes the level.
// `top` is the book's best bid and offer after the change, so a consumer that keeps only the
// top of book need not rebuild it.
struct LegBookUpdate {
  VenueId venue;
  InstrumentId instrument;
  uint64_t sequence = 0;
  Side side = Side::kBuy;
  Price price;
  Quantity quantity;
  TopOfBook top;
  Timestamp time;
};

// The native (complex-order book) market of a combo at one venue changed: either of its two
// sources of liquidity.
struct NativeComboUpdate {
  VenueId venue;
  ComboId combo;
  uint64_t sequence = 0;
  // The resting complex orders: best bid and offer with the total displayed units at each.
  TopOfBook top;
  // What a complex order arriving at the venue fills by legging into the venue's own leg books
  // (seed 001 R17): the bid is the synthetic low, the ask the synthetic high, each with the whole
  // units the legs' best levels hold in ratio. A side is empty when a leg lacks the side it needs,
  // holds no whole unit, or may not be legged into (halted, or inverted against the away
  // market); both are empty at a venue that does not leg complex orders in.
  TopOfBook legs_implied;
  Timestamp time;
};

// What kind of execution a print reports (seed 001 R18, R21, R50). The tape marks the legs of a
// complex trade, as OPRA marks spread prints, so that a consumer of last sales (automated order
// protection, a fair-value model) can tell a leg's own market from a price a complex trade
// assigned to it.
enum class PrintKind : uint8_t {
  // A regular trade of the leg book: two leg orders (leg versus leg).
  kLegVsLeg,
  // Complex order versus complex order at one net price: the combo print and its leg prints. A
  // leg's price here is an allocation of the net price inside the leg's market (seed 001 E-C10),
  // not a trade on its book.
  kComplexVsComplex,
  // A complex order legging into the leg books (R17): the combo print and the leg prints of the
  // leg trades, each at the leg's best price against resting leg orders.
  kComplexVsLeg,
};

// A leg trade printed at a venue (time and sales), for AOP and the market simulator.
struct TradePrint {
  VenueId venue;
  InstrumentId instrument;
  // One tape per instrument at a venue: regular and complex leg prints share the sequence.
  uint64_t sequence = 0;
  Price price;
  Quantity quantity;
  // The side of the incoming (aggressing) order.
  Side aggressor = Side::kBuy;
  Timestamp time;
  PrintKind kind = PrintKind::kLegVsLeg;
};

// One leg of a combo print: in canonical order and sides (the buyer of the combo's view);
// quantity = ratio x units.
struct ComboPrintLeg {
  InstrumentId instrument;
  Side side = Side::kBuy;
  Price price;
  Quantity quantity;
};

// A complex trade printed at a venue: whole units of a native combo at one net price, with every
// leg's price and quantity. Its leg prints (TradePrint with the same kind) follow it.
struct ComboTradePrint {
  VenueId venue;
  ComboId combo;
  // Per combo at the venue.
  uint64_t sequence = 0;
  // Canonical net price of one unit; the legs reproduce it exactly.
  Price net_price;
  Quantity units;
  std::vector<ComboPrintLeg> legs;
  // The side (canonical) of the complex order that was being evaluated (the one that removed).
  Side aggressor = Side::kBuy;
  Timestamp time;
  // kComplexVsComplex or kComplexVsLeg.
  PrintKind kind = PrintKind::kComplexVsComplex;
};

// "leg_vs_leg", "complex_vs_complex", "complex_vs_leg" (metric labels, logs).
inline const char* PrintKindName(PrintKind kind) {
  switch (kind) {
    case PrintKind::kLegVsLeg:
      return "leg_vs_leg";
    case PrintKind::kComplexVsComplex:
      return "complex_vs_complex";
    case PrintKind::kComplexVsLeg:
      return "complex_vs_leg";
  }
  return "leg_vs_leg";
}

}  // namespace combo::core
