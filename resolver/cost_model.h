// The residual resolver's cost model (docs/RESOLVER.md "Cost model"): what each way of working a
// residual is expected to cost the error account, from the market as pricing sees it, and the
// choice between them.
//
// Every amount is exact money (core::Money, currency units at the price scale): the spread and
// market impact of a trade are its slices' distance from the mid (walking each venue's depth,
// only inside the action's band) x quantity x multiplier; the chance of completing later is in
// basis points; the carried delta risk is the residual's dollar delta x an adverse move in basis
// points. The one floating-point input is the option delta (Black-Scholes), turned into integer
// basis points of delta as soon as it is read, so the choice itself is integer arithmetic.
// Pure functions; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/instrument.h"
#include "core/money.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"
#include "pricing/leg_market.h"
#include "resolver/resolver_config.h"

namespace combo::resolver {

// A trade the resolver could send now: what it wants, and what the market offers inside the
// band, best price first across venues.
struct TradePlan {
  core::InstrumentId instrument;
  core::Side side = core::Side::kBuy;
  core::Quantity wanted;
  // Fillable inside the band now (<= wanted).
  core::Quantity available;
  std::vector<pricing::LegAllocation> slices;
  core::Price mid;
  // The band's edge: the worst price the trade may reach, and its distance from the mid.
  core::Price limit;
  core::Price band;
  int64_t multiplier = 1;
  // Sum over the slices of the distance from the mid paid (buying above it, selling below it)
  // x quantity x multiplier: spread and impact.
  core::Money crossing_cost;

  bool full() const { return available == wanted && wanted.is_positive(); }
};

// The price a trade on `side` may reach: `band_ticks` ticks (of the instrument's rule at the
// mid) from the mid, rounded onto the rule toward the mid.
std::optional<core::Price> BandLimit(const core::Instrument& instrument, core::Side side,
                                     core::Price mid, int64_t band_ticks);

// `wanted` of `instrument` on `side` inside the band around the consolidated mid; none when the
// instrument has no two-sided consolidated market.
std::optional<TradePlan> PlanTrade(const pricing::LegMarket& market,
                                   const core::Instrument& instrument, core::Side side,
                                   core::Quantity wanted, int64_t band_ticks);

// What the resolver knows of one residual when it decides.
struct ResidualView {
  // Closing every open position (legs and hedge); empty positions are left out.
  std::vector<std::optional<TradePlan>> unwind;
  // The missing legs that would make the residual whole units; empty when none are missing.
  std::vector<std::optional<TradePlan>> complete;
  // Whether completed units would go to the client's order (it still wants them at a price
  // inside its limit), and the marked P&L the error account hands over with them.
  bool deliverable = false;
  core::Money handed_over;
  // |dollar delta| of the residual as it stands (hedge included) and after a hedge.
  core::Money dollar_delta;
  // The hedge that would neutralise it (none: no hedge instrument or market).
  std::optional<TradePlan> hedge;
  bool hedged = false;
  // |delta| in shares of the underlying.
  int64_t delta_shares = 0;
  // The part of the horizon still ahead, in basis points (10000 when it just opened, 0 at the
  // horizon): the missing legs can only show in the time left.
  int64_t time_left_bps = 10000;
  // The bands the plans above were made in (ticks; they widen with the residual's age).
  int64_t complete_band_ticks = 0;
  int64_t unwind_band_ticks = 0;
};

enum class Choice : uint8_t { kComplete, kUnwind, kHedge, kWait };
std::string_view ToString(Choice choice);

struct Decision {
  Choice choice = Choice::kWait;
  // The expected costs it chose between (absent: not possible now, or disabled).
  std::optional<core::Money> complete;
  std::optional<core::Money> unwind;
  std::optional<core::Money> wait;
  std::optional<core::Money> hedge;
  core::Money carry;
  int64_t complete_band_ticks = 0;
  int64_t unwind_band_ticks = 0;
  // "unwind: complete -, unwind 30, wait 63.5 (carry 16.3, hedge -), bands 4/4 ticks": for the
  // journal and the log.
  std::string Describe() const;
};

// The carried delta risk of `dollar_delta` over the horizon: x adverse_move_bps / 10000.
core::Money CarryCost(core::Money dollar_delta, const ResolverConfig& config);

// The cheapest of completing now, unwinding now and waiting (for the missing legs to show; a
// hedge taken meanwhile when it costs less than the delta risk it removes). Ties go to complete,
// then unwind. An action over config.max_action_cost is not taken. Waiting counts the chance of
// completion only for the time left (completion_probability_bps x time_left_bps): at the
// horizon it is worth nothing, so an unwind the band offers then is taken rather than a hold.
Decision Choose(const ResidualView& view, const ResolverConfig& config);

}  // namespace combo::resolver
