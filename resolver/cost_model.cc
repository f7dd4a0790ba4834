#include "resolver/cost_model.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "accounts/marks.h"
#include "core/absl_compat.h"

namespace combo::resolver {
namespace {

core::Money Abs(core::Money money) { return money.is_negative() ? -money : money; }

// The sum of the plans' crossing costs; none when any plan is missing or not full.
std::optional<core::Money> FullCost(const std::vector<std::optional<TradePlan>>& plans) {
  if (plans.empty()) return std::nullopt;
  core::Money total = core::Money::Zero();
  for (const std::optional<TradePlan>& plan : plans) {
    if (!plan.has_value() || !plan->full()) return std::nullopt;
    total += plan->crossing_cost;
  }
  return total;
}

// What unwinding is expected to cost when the market does not offer it inside the band now:
// every position closed at the band's edge.
core::Money BandEdgeCost(const std::vector<std::optional<TradePlan>>& plans) {
  core::Money total = core::Money::Zero();
  for (const std::optional<TradePlan>& plan : plans) {
    if (!plan.has_value()) continue;
    if (plan->full()) {
      total += plan->crossing_cost;
      continue;
    }
    // The worst the band allows, for the whole position.
    total += core::Money::FromPrice(plan->band) * (plan->wanted.value() * plan->multiplier);
  }
  return total;
}

std::string Amount(const std::optional<core::Money>& money) {
  return money.has_value() ? money->ToString() : "-";
}

}  // namespace

std::string_view ToString(Choice choice) {
  switch (choice) {
    case Choice::kComplete:
      return "complete";
    case Choice::kUnwind:
      return "unwind";
    case Choice::kHedge:
      return "hedge";
    case Choice::kWait:
      return "wait";
  }
  return "unknown";
}

std::optional<core::Price> BandLimit(const core::Instrument& instrument, core::Side side,
                                     core::Price mid, int64_t band_ticks) {
  const core::Price band = instrument.tick_rule().TickAt(mid) * band_ticks;
  const bool buying = side == core::Side::kBuy;
  const core::Price edge = buying ? mid + band : mid - band;
  absl::StatusOr<core::Price> on_rule = instrument.tick_rule().Round(
      edge, buying ? core::RoundingMode::kDown : core::RoundingMode::kUp);
  if (!on_rule.ok()) return std::nullopt;
  return *on_rule;
}

std::optional<TradePlan> PlanTrade(const pricing::LegMarket& market,
                                   const core::Instrument& instrument, core::Side side,
                                   core::Quantity wanted, int64_t band_ticks) {
  if (!market.Find(instrument.id()).has_value()) return std::nullopt;
  const std::optional<core::Price> mid = accounts::MidOf(market.Consolidated(instrument.id()));
  if (!mid.has_value()) return std::nullopt;
  const std::optional<core::Price> limit = BandLimit(instrument, side, *mid, band_ticks);
  if (!limit.has_value()) return std::nullopt;
  TradePlan plan;
  plan.instrument = instrument.id();
  plan.side = side;
  plan.wanted = wanted;
  plan.mid = *mid;
  plan.limit = *limit;
  plan.band = side == core::Side::kBuy ? *limit - *mid : *mid - *limit;
  plan.multiplier = instrument.multiplier();
  const bool buying = side == core::Side::kBuy;
  // What every venue shows inside the band (a buy takes asks at or below the limit).
  core::Quantity inside = core::Quantity::Zero();
  for (core::VenueId venue : market.venues()) {
    const core::Depth depth = market.VenueDepth(venue, instrument.id());
    for (const core::PriceLevel& level : buying ? depth.asks : depth.bids) {
      if (buying ? level.price > *limit : level.price < *limit) break;
      inside += level.quantity;
    }
  }
  plan.available = std::min(inside, wanted);
  if (!plan.available.is_positive()) return plan;
  if (!market.Walk(instrument.id(), side, plan.available, &plan.slices).ok()) {
    plan.available = core::Quantity::Zero();
    plan.slices.clear();
    return plan;
  }
  for (const pricing::LegAllocation& slice : plan.slices) {
    const core::Price paid = buying ? slice.price - *mid : *mid - slice.price;
    plan.crossing_cost += core::Money::FromPrice(paid) * (slice.quantity.value() * plan.multiplier);
  }
  return plan;
}

core::Money CarryCost(core::Money dollar_delta, const ResolverConfig& config) {
  return core::Money::FromRaw(Abs(dollar_delta).raw() * config.adverse_move_bps / 10000);
}

std::string Decision::Describe() const {
  return absl::StrCat(core::AsAbsl(ToString(choice)), ": complete ", Amount(complete), ", unwind ",
                      Amount(unwind), ", wait ", Amount(wait), " (carry ", carry.ToString(),
                      ", hedge ", Amount(hedge), "), bands ", complete_band_ticks, "/",
                      unwind_band_ticks, " ticks");
}

Decision Choose(const ResidualView& view, const ResolverConfig& config) {
  Decision decision;
  decision.carry = CarryCost(view.dollar_delta, config);
  decision.complete_band_ticks = view.complete_band_ticks;
  decision.unwind_band_ticks = view.unwind_band_ticks;
  const auto within_limit = [&](std::optional<core::Money> cost) -> std::optional<core::Money> {
    if (cost.has_value() && config.max_action_cost.is_positive() &&
        *cost > core::Money::FromPrice(config.max_action_cost)) {
      return std::nullopt;
    }
    return cost;
  };
  const std::optional<core::Money> unwind_now =
      config.unwind.enabled ? FullCost(view.unwind) : std::nullopt;
  decision.unwind = within_limit(unwind_now);
  if (config.complete.enabled && !view.complete.empty()) {
    if (std::optional<core::Money> missing = FullCost(view.complete); missing.has_value()) {
      // Delivered, the units leave with their marked P&L; kept, the complete combo is still to
      // be closed some day, at about what closing the held legs costs now.
      decision.complete = within_limit(
          view.deliverable
              ? *missing + view.handed_over
              : *missing + (unwind_now.has_value() ? *unwind_now : BandEdgeCost(view.unwind)));
    }
    // Waiting for the missing legs: the delta risk carried meanwhile, plus the unwind that
    // follows if they never show.
    const core::Money unwind_later =
        unwind_now.has_value() ? *unwind_now : BandEdgeCost(view.unwind);
    // The chance of completing in the time left (basis points of basis points).
    const int64_t time_left = std::clamp<int64_t>(view.time_left_bps, 0, 10000);
    const int64_t completion = config.completion_probability_bps * time_left;
    decision.wait = decision.carry + core::Money::FromRaw(unwind_later.raw() *
                                                          (100'000'000 - completion) / 100'000'000);
  }
  if (config.hedge.enabled && !view.hedged && view.hedge.has_value() && view.hedge->full() &&
      view.delta_shares >= config.hedge.min_delta_shares) {
    // In now and out later: twice the crossing.
    decision.hedge = within_limit(view.hedge->crossing_cost * 2);
  }
  // Cheapest first; ties to complete, then unwind.
  std::optional<core::Money> best;
  const auto consider = [&](Choice choice, const std::optional<core::Money>& cost) {
    if (!cost.has_value()) return;
    if (best.has_value() && *cost >= *best) return;
    best = cost;
    decision.choice = choice;
  };
  consider(Choice::kComplete, decision.complete);
  consider(Choice::kUnwind, decision.unwind);
  consider(Choice::kWait, decision.wait);
  if (!best.has_value()) decision.choice = Choice::kWait;
  // Waiting unhedged carries the delta risk; a hedge cheaper than that risk is taken meanwhile.
  if (decision.choice == Choice::kWait && decision.hedge.has_value() &&
      *decision.hedge < decision.carry) {
    decision.choice = Choice::kHedge;
  }
  return decision;
}

}  // namespace combo::resolver
