// Complex-order pricing (seed 001 R6, R7, R12, R16 and the E-C10 leg-price decision): pure
// functions of a combo's legs and their leg-book quotes, used by the complex-order book.
//
// Everything is in canonical terms: the combo's legs with the side each takes when the combo is
// bought, and net prices per unit (buy legs count +weight x price, sell legs -weight x price).
// A sell order is handled in its own "buy frame" (the mirror combo at the negated price); the
// Frame helpers convert. docs/VENUES.md ("Complex-order book") records the decisions.
//
// Pure functions of value types; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "core/market_data.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"

namespace combo::venues {

// The most legs a listed combo may have (the pricing works on fixed-size arrays).
inline constexpr size_t kMaxComplexLegs = 16;

// One leg of a listed combo as the complex book prices it.
struct ComplexLeg {
  // Index of the leg's book in the owner's leg-book table.
  uint32_t book = 0;
  core::Side side = core::Side::kBuy;
  // Contracts of the leg per unit of the combo.
  int64_t ratio = 1;
  // The leg's weight in the net price (the ratio, unless the legs' multipliers differ).
  int64_t weight = 1;
};

// A leg book's best bid and offer, as far as the complex book needs it. A side without orders
// has has_bid / has_ask false (and zero price and size).
struct LegQuote {
  bool has_bid = false;
  bool has_ask = false;
  core::Price bid;
  core::Price ask;
  core::Quantity bid_size;
  core::Quantity ask_size;
  // Whether a public customer's order rests at the best bid / best offer (R12).
  bool customer_at_bid = false;
  bool customer_at_ask = false;
  core::Price tick;
  // The away market's best bid and offer of the leg (R8's OPRA BBO: the other venues), when the
  // venue has a usable one; absent sides do not count.
  std::optional<core::Price> away_bid;
  std::optional<core::Price> away_ask;
};

// The synthetic low and high (R7) of a combo, with the customer-at-the-edge flags (R12). An edge
// exists only when every leg has the side it needs (has_low / has_high); a missing low does not
// limit marketability, a missing high means the order cannot leg in.
struct SyntheticRange {
  bool has_low = false;
  bool has_high = false;
  core::Price low;
  core::Price high;
  // A customer rests at a price the low (high) uses on some leg: a buy leg's bid (ask) or a
  // sell leg's ask (bid).
  bool customer_at_low = false;
  bool customer_at_high = false;
};

// Net price of one unit for the given leg prices (R6): sum of +weight x price for buy legs and
// -weight x price for sell legs.
core::Price NetPrice(std::span<const ComplexLeg> legs, std::span<const core::Price> leg_prices);

// R7: high = cost of buying the combo by taking every leg's best price; low = the opposite edges.
// `quotes[i]` belongs to `legs[i]`.
SyntheticRange ComputeSyntheticRange(std::span<const ComplexLeg> legs,
                                     std::span<const LegQuote> quotes);

// The range as seen by an order on `side` in its own buy frame: for a sell order the mirror
// combo, whose low is -high, whose high is -low, with the customer flags swapped.
SyntheticRange InFrame(const SyntheticRange& range, core::Side side);
// A canonical net price in the buy frame of an order on `side`, and back (its own inverse).
inline core::Price InFrame(core::Price canonical, core::Side side) {
  return side == core::Side::kBuy ? canonical : -canonical;
}

// R12 (buy frame): low <= P (strictly above the low when a customer rests there); true when the
// range has no low.
bool ReachesLow(core::Price limit, const SyntheticRange& frame_range);

// R15 (step S807): whether leg `leg` is "inverted" for an order that legs in buying the combo in
// its frame `order_side` (a sell order buys the mirror): its own book is locked or crossed, or
// the away market shows a strictly better price on the side the leg-in would take (a lower ask
// to buy the leg, a higher bid to sell it), so legging in would trade through the away market.
// A leg-in with an inverted leg is not made; only an inverse complex order can fill the order.
bool LegInverted(const ComplexLeg& leg, const LegQuote& quote, core::Side order_side);
bool AnyLegInverted(std::span<const ComplexLeg> legs, std::span<const LegQuote> quotes,
                    core::Side order_side);

// R17 as a market: what a complex order arriving now fills by legging in. The ask is the
// synthetic high with min over legs of floor(size at the leg's best price the buy takes / ratio)
// units; the bid the synthetic low with the units the sell takes. A side is empty when an edge
// is missing, no whole unit fits, or a leg is inverted for it.
core::TopOfBook LegsImpliedTop(std::span<const ComplexLeg> legs, std::span<const LegQuote> quotes);

// Whose price a complex-vs-complex trade starts from (R16).
enum class OlderOrder : uint8_t { kProcessed, kInverse };

// R16 (buy frame of the processed order A; the range must have both edges): the net price of a
// trade between A (limit `processed_limit`; nullopt for a market order) and its best inverse B
// (calculated price `inverse_price` = B's price in A's frame), or nullopt for no match. The older
// order's price is clipped into [low, high]; a price that lands on an edge where a customer rests
// moves one `net_tick` inward, and the trade is refused when that crosses either limit or leaves
// the range.
std::optional<core::Price> ComplexExecutionPrice(std::optional<core::Price> processed_limit,
                                                 core::Price inverse_price, OlderOrder older,
                                                 const SyntheticRange& frame_range,
                                                 core::Price net_tick);

// E-C10: leg prices for a complex-vs-complex trade at canonical net price `net` (low <= net <=
// high; every leg two-sided): every leg starts at its low edge (buy legs at the bid, sell legs at
// the ask) and moves toward its high edge in leg ticks until the legs sum to `net`; legs whose low
// edge holds a customer move first, and legs whose high edge holds a customer reach it last. Every
// price lies within its own leg's best bid and offer and the prices reproduce `net` exactly. Writes
// `prices[i]` for `legs[i]`; returns false (prices unspecified) when `net` cannot be expressed
// on the legs' tick grids within their markets.
bool AssignLegPrices(std::span<const ComplexLeg> legs, std::span<const LegQuote> quotes,
                     core::Price net, std::span<core::Price> prices);

}  // namespace combo::venues
