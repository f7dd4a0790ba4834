// MarketMakerRules: seed 001 Part A's leg-book rules for market makers' quotes and professional
// orders, as one venue's parameters, and the pure arithmetic each rule needs. The OrderBook
// applies them (order_book.cc, "Market-maker rules"); docs/VENUES.md "Market-maker rules" has the
// decisions.
//
// A quote is a resting order of a market maker (ParticipantRole::kMarketMaker, a CMM, or
// kPrimaryMarketMaker, the PMM): the project has no separate quote message, and the seed's PMM
// and CMMs enter proprietary interest only (R23). Each rule is off at its zero value:
//   R32/R33  minimum_market_size X: a professional order or quote that would improve the best
//            price with fewer than X contracts is deleted;
//   R43      with X set, a quote at the best price whose level holds fewer than X contracts is
//            stepped up to X out of its budget Z (step_up_budget), or else ticked worse;
//   R35      professional_band_ticks: a professional limit order that cannot trade whole within
//            that many ticks of the contra best price (and would go beyond it) is deleted;
//   R39      professional / farmm availability: how much of a quote the professional (and
//            market maker) orders and the FARMM orders may trade, the lesser of a percentage of
//            the quote's size and an absolute number; at 0 such an order ticks the quote worse;
//   R42      tick_worse_sizes: an exhausted quote is replaced one tick worse with the table's
//            size for that level (a zero entry skips a tick); past the table the quote is gone;
//   R41      quote_match_delay T: a quote that would trade with another market maker's quote
//            rests without trading it; after T it trades what it still crosses (the venue keeps
//            the timer: the book has no clock);
//   R34      derive_matrix Y (with X set): a public customer's improving order below X either
//            trades against the PMM at its price, or the PMM is derived an order for the
//            shortfall to X beside it; a professional order below X left at the best is deleted.
//
// Plain values and pure functions: no thread-safety concerns.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"
#include "core/tick_rule.h"
#include "core/time.h"

namespace combo::venues {

// R39: the part of a quote one class of order may trade: min(percent of the quote's size,
// absolute). Absent from MarketMakerRules: the class may trade the whole quote.
struct QuoteAvailability {
  int64_t percent = 100;
  core::Quantity absolute;
};

// R34: one row of the PMM's derive matrix Y: up to `improvement` past the side's best price, the
// PMM accepts a derived order of at most `size` contracts.
struct DeriveRow {
  core::Price improvement;
  core::Quantity size;
};

struct MarketMakerRules {
  // R32: X, the least size at the best bid and at the best offer; zero turns R32/R33/R43 off.
  core::Quantity minimum_market_size;
  // R43: Z, how many contracts each quote may be stepped up by in total.
  core::Quantity step_up_budget;
  // R35: the band in trading increments from the contra best price; zero turns it off.
  int64_t professional_band_ticks = 0;
  // R39: against professional orders (and other market makers' orders) and against FARMM orders.
  std::optional<QuoteAvailability> professional_availability;
  std::optional<QuoteAvailability> farmm_availability;
  // R42: the quote's size after 1, 2, ... ticks worse (Table IV without its "initial size");
  // empty turns tick-worse off.
  std::vector<core::Quantity> tick_worse_sizes;
  // R34: the derive matrix Y (Table VII), rows by increasing improvement; empty turns
  // derive-or-trade off. Needs X.
  std::vector<DeriveRow> derive_matrix;
  // R41: T, how long a quote that would trade with a resting quote waits before it does; zero
  // turns the delay off.
  core::Duration quote_match_delay;

  // Whether any rule is on: the book's one check on its default path.
  bool any() const {
    return minimum_market_size.is_positive() || professional_band_ticks > 0 ||
           professional_availability.has_value() || farmm_availability.has_value() ||
           !tick_worse_sizes.empty() || !derive_matrix.empty() ||
           quote_match_delay.nanoseconds() > 0;
  }
  bool derive_or_trade() const {
    return minimum_market_size.is_positive() && !derive_matrix.empty();
  }
};

// Checks the values: non-negative sizes and band, percentages within 0..100, and tick-worse
// table entries not negative with at least one positive.
absl::Status ValidateMarketMakerRules(const MarketMakerRules& rules);

// R39: what `availability` lets one class of order trade of a quote of `quote_size`.
core::Quantity AvailableSize(const QuoteAvailability& availability, core::Quantity quote_size);

// R34: Y for an order improving its side's best price by `improvement`: the size of the first row
// whose improvement is at least that; past the last row the PMM derives nothing (0).
core::Quantity DeriveLimit(const MarketMakerRules& rules, core::Price improvement);

// R42: where an exhausted quote goes next.
struct TickWorseStep {
  core::Price price;
  core::Quantity size;
  // The table level used (1 = one tick worse than the quote's original price).
  int32_t level = 0;
};

// The next tick-worse step of a quote on `side` now at `price` after `levels_used` table levels:
// one tick worse per level, skipping levels of size zero; nullopt when the table is used up or a
// bid would reach zero or below.
std::optional<TickWorseStep> NextTickWorse(const MarketMakerRules& rules,
                                           const core::TickRule& tick_rule, core::Side side,
                                           core::Price price, int32_t levels_used);

}  // namespace combo::venues
