// Implied combo prices: what a combo costs when it is built from its legs' consolidated quotes
// (seed 003 R5, R8; DESIGN.md "Pricing conventions").
//
// Buying one combo unit pays each buy leg's ask and receives each sell leg's bid:
//   implied ask = sum(+weight x ask, buy legs) + sum(-weight x bid, sell legs)
//   implied bid = sum(+weight x bid, buy legs) + sum(-weight x ask, sell legs)
// Implied size = min over legs of floor(consolidated size at that price / ratio). A side exists
// only when every leg quotes the side it needs and at least one whole unit is available: a leg
// without a quote gives no implied price, never a zero one. The depth-aware form walks each
// leg's consolidated depth for Q units and divides the total by Q x combo multiplier, rounding
// against the trader (up for a buy, down for a sell) because the result is checked against a
// limit. Free functions over a LegMarket: as thread-safe as the market they read.
#pragma once

#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "core/market_data.h"
#include "core/money.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"
#include "pricing/combo_terms.h"
#include "pricing/leg_market.h"

namespace combo::pricing {

// The implied combo bid and ask (prices per combo unit, sizes in combo units).
core::TopOfBook ImpliedQuote(const ComboTerms& terms, const LegMarket& market);

// The same from legs already registered in the market: `leg_index[i]` is the handle of
// `legs[i].instrument`. Allocation-free; the smart combo tick's hot path.
core::TopOfBook ImpliedQuote(std::span<const LegTerms> legs, std::span<const LegIndex> leg_index,
                             const LegMarket& market);

// The orders behind an implied price for one leg: its side for this combo order, the
// quantity (combo units x ratio) and the slices across venues and levels.
struct LegPlan {
  core::InstrumentId instrument;
  core::Side side = core::Side::kBuy;
  core::Quantity quantity;
  std::vector<LegAllocation> allocations;
};

struct ImpliedFill {
  core::Side combo_side = core::Side::kBuy;
  core::Quantity units;
  // Per combo unit: value / (units x combo multiplier), rounded up for a buy, down for a sell.
  core::Price price;
  // Sum over legs of sign(leg side in the combo) x net price x quantity x leg multiplier: what
  // buying `units` costs, or what selling them brings in.
  core::Money value;
  // In the combo's leg order.
  std::vector<LegPlan> legs;
};

// Prices `units` combo units bought (or sold) by walking every leg's depth across venues.
// Fails when units is not positive, a leg is not in the catalog, or a leg's books do not hold
// enough.
absl::StatusOr<ImpliedFill> ImpliedForQuantity(const ComboTerms& terms, const LegMarket& market,
                                               core::Side combo_side, core::Quantity units);

}  // namespace combo::pricing
