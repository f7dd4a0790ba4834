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

#include <cstdint>
#include <limits>
#include <optional>
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

// One leg of a combo as the smart combo tick's hot path reads it: the leg's handle in the
// LegMarket and how it enters the combo's price (a copy of its LegTerms' side, ratio, weight).
struct ImpliedLeg {
  LegIndex leg = 0;
  // The leg is bought when the combo is bought.
  bool bought = true;
  int64_t ratio = 1;
  int64_t weight = 1;
};
ImpliedLeg ToImpliedLeg(const LegTerms& terms, LegIndex leg);

namespace implied_detail {

// Accumulates one side of an implied quote; an overflow or a missing leg empties it.
class SideSum {
 public:
  void Add(int64_t signed_weight, int64_t ratio, const std::optional<core::PriceLevel>& level) {
    if (!valid_) return;
    if (!level.has_value()) {
      valid_ = false;
      return;
    }
    int64_t term = 0;
    if (__builtin_mul_overflow(level->price.raw(), signed_weight, &term) ||
        __builtin_add_overflow(raw_, term, &raw_)) {
      valid_ = false;
      return;
    }
    // Most legs have ratio 1; skipping the division is a measurable share of a re-price.
    const int64_t units = ratio == 1 ? level->quantity.value() : level->quantity.value() / ratio;
    if (units < size_) size_ = units;
  }

  std::optional<core::PriceLevel> Result() const {
    if (!valid_ || size_ <= 0) return std::nullopt;
    return core::PriceLevel{core::Price::FromRaw(raw_), core::Quantity(size_)};
  }
  // The same written in place, one field at a time (no temporary copied through memory).
  void Store(std::optional<core::PriceLevel>& out) const {
    if (!valid_ || size_ <= 0) {
      out.reset();
    } else {
      out = core::PriceLevel{core::Price::FromRaw(raw_), core::Quantity(size_)};
    }
  }

 private:
  bool valid_ = true;
  int64_t raw_ = 0;
  int64_t size_ = std::numeric_limits<int64_t>::max();
};

// Adds one leg's consolidated quote: a leg bought with the combo pays its ask into the implied
// ask and its bid into the implied bid; a leg sold takes the other side, with the weight negated.
inline void AddLeg(bool bought, int64_t ratio, int64_t weight, const core::TopOfBook& top,
                   SideSum& bid, SideSum& ask) {
  if (bought) {
    ask.Add(weight, ratio, top.ask);
    bid.Add(weight, ratio, top.bid);
  } else {
    ask.Add(-weight, ratio, top.bid);
    bid.Add(-weight, ratio, top.ask);
  }
}

}  // namespace implied_detail

// Sets `out` to the same quote from legs already registered in the market, in the combo's leg
// order (the sums and their overflow rule run in that order). Allocation-free; the smart combo
// tick's hot path, which keeps the quote in place rather than copying a returned one.
inline void SetImpliedQuote(std::span<const ImpliedLeg> legs, const LegMarket& market,
                            core::TopOfBook& out) {
  implied_detail::SideSum ask;
  implied_detail::SideSum bid;
  for (const ImpliedLeg& leg : legs) {
    implied_detail::AddLeg(leg.bought, leg.ratio, leg.weight, market.Consolidated(leg.leg), bid,
                           ask);
  }
  bid.Store(out.bid);
  ask.Store(out.ask);
}

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
