#include "router/routing_decision.h"

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::router {
namespace {

using pricing::PriceSource;
using pricing::SmartComboTick;
using pricing::SourcedLevel;

bool WithinLimit(core::Side side, core::Price price, core::Price limit) {
  return side == core::Side::kBuy ? price <= limit : price >= limit;
}

bool Refused(const OrderView& order, core::VenueId venue) {
  return order.refused_by != nullptr && order.refused_by->contains(venue);
}

bool Connected(const VenueView& venues, core::VenueId venue) {
  for (core::VenueId id : venues.connected) {
    if (id == venue) return true;
  }
  return false;
}

// Empty (kNone) when a leg-in may start against `implied`; otherwise what holds it (R25, R28,
// fresh tick), in that order of precedence.
LegInHold HoldFor(const OrderView& order, core::Price implied, const RoutingPolicy& policy) {
  const LegInPolicy& rules = policy.leg_in;
  LegInHold hold;
  if (order.legin_failures >= rules.max_failures_per_order) {
    hold.kind = LegInHoldKind::kMaxFailures;
    hold.failures = order.legin_failures;
    hold.max_failures = rules.max_failures_per_order;
    return hold;
  }
  if (order.legin_needs_fresh_tick) {
    hold.kind = LegInHoldKind::kAwaitingFreshTick;
    return hold;
  }
  if (LegInModeFor(order.legs, order.legin_failures, rules) == LegInMode::kDefensive) {
    // R25: "better" means by at least defensive_ticks combo ticks.
    const core::Price margin = policy.combo_tick * rules.defensive_ticks;
    const core::Price threshold =
        order.side == core::Side::kBuy ? order.limit - margin : order.limit + margin;
    if (!WithinLimit(order.side, implied, threshold)) {
      hold.kind = LegInHoldKind::kDefensive;
      hold.implied = implied;
      hold.limit = order.limit;
      hold.defensive_ticks = rules.defensive_ticks;
    }
  }
  return hold;
}

// The native venue to rest at: the one showing the best opposite price, else the first
// configured venue that lists the combo; never one that refused this order.
std::optional<core::VenueId> ChooseNativeVenue(const OrderView& order,
                                               const std::optional<SourcedLevel>& opposite,
                                               const VenueView& venues) {
  if (opposite.has_value() && opposite->source == PriceSource::kNative &&
      !Refused(order, opposite->venue) && Connected(venues, opposite->venue)) {
    return opposite->venue;
  }
  for (core::VenueId venue : venues.connected) {
    if (venues.trades_natively(venue) && !Refused(order, venue)) return venue;
  }
  return std::nullopt;
}

}  // namespace

const std::optional<SourcedLevel>& Opposite(const SmartComboTick& tick, core::Side side) {
  return side == core::Side::kBuy ? tick.ask : tick.bid;
}

const char* SideWord(core::Side side) { return side == core::Side::kBuy ? "ask" : "bid"; }

LegInMode LegInModeFor(int64_t legs, int64_t failures, const LegInPolicy& policy) {
  if (policy.mode == LegInMode::kDefensive || legs > policy.always_defensive_above_legs ||
      failures >= policy.failures_before_defensive) {
    return LegInMode::kDefensive;
  }
  return LegInMode::kAggressive;
}

RoutingDecision DecideRouting(const OrderView& order, const SmartComboTick& tick,
                              const VenueView& venues, const RoutingPolicy& policy,
                              risk::TradingState trading) {
  // Unless the decision says otherwise, the memory stays as it is.
  RoutingDecision decision;
  decision.hold = order.hold;
  decision.was_non_marketable = order.was_non_marketable;
  decision.stability_elapsed = order.stability_elapsed;

  // Nothing to decide (action kNone). Every path returns `decision` itself (no copy).
  decision.action = RoutingAction::kNone;
  if (IsFinal(order.state)) {
    decision.reason = DecisionReason::kOrderFinal;
    return decision;
  }
  if (order.request_pending) {
    decision.reason = DecisionReason::kRequestPending;
    return decision;
  }
  if (order.placement == Placement::kLegIn) {
    decision.reason = DecisionReason::kLeggingIn;
    return decision;
  }
  if (order.native.has_value() && order.native->cancel_sent) {
    decision.reason = DecisionReason::kNativeCancelInFlight;
    return decision;
  }
  if (order.immediacy != Immediacy::kNone && order.native.has_value()) {
    decision.reason = DecisionReason::kImmediateAtVenue;
    return decision;
  }
  if (!order.leaves.is_positive()) {
    decision.reason = DecisionReason::kNothingOpen;
    return decision;
  }

  // Immediate orders (IOC, FOK, a market order at its collar): one attempt now, natively or by
  // leg-in; never a rest, a hold or a wait. Whatever cannot be attempted is cancelled.
  decision.immediacy = order.immediacy;
  if (order.immediacy != Immediacy::kNone) {
    decision.action = RoutingAction::kCancelImmediate;
    decision.hold = LegInHold{};
    if (order.attempted) {
      decision.reason = DecisionReason::kAttemptEnded;
      return decision;
    }
    if (trading == risk::TradingState::kHalted) {
      decision.reason = DecisionReason::kTradingHalted;
      return decision;
    }
    const std::optional<SourcedLevel>& level = Opposite(tick, order.side);
    if (!level.has_value()) {
      decision.reason = DecisionReason::kNoOppositeSide;
      return decision;
    }
    decision.price = level->price;
    decision.available = level->size;
    decision.venue = level->venue;
    if (!WithinLimit(order.side, level->price, order.limit)) {
      decision.reason = DecisionReason::kNotMarketable;
      return decision;
    }
    if (level->source == PriceSource::kImplied) {
      decision.hold = HoldFor(order, level->price, policy);
      if (decision.hold.holds()) {
        decision.reason = DecisionReason::kLegInHeld;
        return decision;
      }
    }
    if (order.immediacy == Immediacy::kFillOrKill && level->size < order.leaves) {
      decision.reason = DecisionReason::kWholeQuantityUnavailable;
      return decision;
    }
    if (level->source == PriceSource::kNative) {
      if (Refused(order, level->venue) || !Connected(venues, level->venue)) {
        decision.reason = DecisionReason::kNoNativeVenue;
        return decision;
      }
      decision.action = RoutingAction::kSendImmediate;
      decision.reason = DecisionReason::kNativeBest;
      return decision;
    }
    decision.action = RoutingAction::kStartLegIn;
    decision.reason = DecisionReason::kImpliedBest;
    decision.mode = LegInModeFor(order.legs, order.legin_failures, policy.leg_in);
    return decision;
  }

  if (trading == risk::TradingState::kHalted) {
    decision.reason = DecisionReason::kTradingHalted;
    decision.stability_wait = StabilityWaitChange::kStop;
    if (order.native.has_value()) {
      decision.action = RoutingAction::kCancelNative;
      decision.venue = order.native->venue;
    } else {
      decision.action =
          order.placement == Placement::kWatching ? RoutingAction::kKeep : RoutingAction::kHold;
    }
    return decision;
  }

  const std::optional<SourcedLevel>& opposite = Opposite(tick, order.side);
  if (opposite.has_value()) decision.price = opposite->price;
  bool marketable = opposite.has_value() && WithinLimit(order.side, opposite->price, order.limit);
  const bool implied = opposite.has_value() && opposite->source == PriceSource::kImplied;

  // R24-R28: the policy may hold the leg-in back although the implied price is fillable; the
  // order then rests natively or waits as if it were not marketable.
  decision.hold = LegInHold{};
  if (marketable && implied) {
    decision.hold = HoldFor(order, opposite->price, policy);
    decision.hold_recorded = decision.hold.holds() && decision.hold != order.hold &&
                             order.placement != Placement::kNative;
  }
  if (decision.hold.holds()) marketable = false;

  if (marketable && implied) {
    // The implied price is strictly best (a native tie would have won the tick) and fillable.
    const bool wait_needed = order.was_non_marketable && !order.stability_elapsed;
    decision.reason = DecisionReason::kImpliedBest;
    if (order.native.has_value()) {
      decision.action = RoutingAction::kMoveToImplied;
      decision.venue = order.native->venue;
      if (wait_needed && !order.stability_wait_running) {
        decision.stability_wait = StabilityWaitChange::kStart;
      }
      return decision;
    }
    if (wait_needed) {
      if (order.stability_wait_running) {
        decision.action = RoutingAction::kKeep;
        decision.reason = DecisionReason::kStabilityWaitRunning;
        return decision;
      }
      decision.action = RoutingAction::kWaitForStability;
      decision.reason = DecisionReason::kImpliedBestAfterNonMarketable;
      decision.stability_wait = StabilityWaitChange::kStart;
      decision.enters_hold =
          order.placement != Placement::kWatching || order.state != ComboOrderState::kWorking;
      return decision;
    }
    decision.action = RoutingAction::kStartLegIn;
    if (order.was_non_marketable) decision.reason = DecisionReason::kImpliedStillBestAfterWait;
    decision.mode = LegInModeFor(order.legs, order.legin_failures, policy.leg_in);
    return decision;
  }

  // The implied market is not the one to take: no stability wait runs for it.
  decision.stability_elapsed = false;
  if (order.stability_wait_running) decision.stability_wait = StabilityWaitChange::kAbandon;
  if (!marketable) decision.was_non_marketable = true;

  if (decision.hold.holds()) {
    decision.reason = DecisionReason::kLegInHeld;
  } else if (marketable) {
    decision.reason = DecisionReason::kNativeBest;
  } else if (opposite.has_value()) {
    decision.reason = DecisionReason::kNotMarketable;
  } else {
    decision.reason = DecisionReason::kNoOppositeSide;
  }

  if (order.native.has_value()) {
    // R9: it stays while non-marketable, or while marketable there at the best price.
    if (!marketable || opposite->source != PriceSource::kNative ||
        opposite->venue == order.native->venue) {
      decision.action = RoutingAction::kKeep;
      decision.venue = order.native->venue;
      return decision;
    }
    decision.action = RoutingAction::kCancelNative;
    decision.reason = DecisionReason::kBetterNativeVenue;
    decision.venue = opposite->venue;
    return decision;
  }
  const std::optional<core::VenueId> target = ChooseNativeVenue(order, opposite, venues);
  if (!target.has_value()) {
    // A hold recorded by this decision already holds the order.
    const bool held = order.placement == Placement::kWatching || decision.hold_recorded;
    decision.reason = DecisionReason::kNoNativeVenue;
    decision.action = held ? RoutingAction::kKeep : RoutingAction::kHold;
    return decision;
  }
  decision.action = RoutingAction::kRestNative;
  decision.venue = *target;
  return decision;
}

std::string DescribeHold(const LegInHold& hold, core::Side side) {
  switch (hold.kind) {
    case LegInHoldKind::kNone:
      return "";
    case LegInHoldKind::kMaxFailures:
      return absl::StrCat("leg-in stopped after ", hold.failures, " failures (max ",
                          hold.max_failures, "): the order rests natively or waits");
    case LegInHoldKind::kAwaitingFreshTick:
      return "the last leg-in ended short: waiting for a fresh price before legging in again";
    case LegInHoldKind::kDefensive:
      return absl::StrCat("defensive: implied ", SideWord(side), " ", hold.implied.ToString(),
                          " must beat limit ", hold.limit.ToString(), " by ", hold.defensive_ticks,
                          " tick(s)");
  }
  return "";
}

std::string DescribeDecision(const RoutingDecision& decision, core::Side side, core::Price limit) {
  const std::string price = decision.price.has_value() ? decision.price->ToString() : "";
  switch (decision.action) {
    case RoutingAction::kNone:
    case RoutingAction::kKeep:
    case RoutingAction::kStartLegIn:
      return "";
    case RoutingAction::kHold:
      if (decision.reason == DecisionReason::kTradingHalted) {
        return "trading halted: held by the router";
      }
      return "no venue lists the combo natively: the router works it, watching the implied price";
    case RoutingAction::kCancelNative:
      if (decision.reason == DecisionReason::kTradingHalted) return "trading halted";
      return absl::StrCat("best native ", SideWord(side), " ", price, " is at venue ",
                          decision.venue.value());
    case RoutingAction::kMoveToImplied:
    case RoutingAction::kWaitForStability:
      return absl::StrCat("implied ", SideWord(side), " ", price, " is best and within limit ",
                          limit.ToString());
    case RoutingAction::kSendImmediate:
      return absl::StrCat("native ", SideWord(side), " ", price, " at venue ",
                          decision.venue.value(), " is best and within limit ", limit.ToString(),
                          ": sent there ", core::AsAbsl(ToString(decision.immediacy)));
    case RoutingAction::kCancelImmediate:
      // The router's cancel text (DescribeImmediateCancel, with the units executed).
      return "";
    case RoutingAction::kRestNative:
      switch (decision.reason) {
        case DecisionReason::kLegInHeld:
          return absl::StrCat(DescribeHold(decision.hold, side), ": rests at venue ",
                              decision.venue.value());
        case DecisionReason::kNativeBest:
          return absl::StrCat("native ", SideWord(side), " ", price, " at venue ",
                              decision.venue.value(), " is best and within limit ",
                              limit.ToString());
        case DecisionReason::kNotMarketable:
          return absl::StrCat("not marketable (best ", SideWord(side), " ", price, ", limit ",
                              limit.ToString(), "): rests at venue ", decision.venue.value());
        default:
          return absl::StrCat("no ", SideWord(side), ": rests at venue ", decision.venue.value());
      }
  }
  return "";
}

std::string DescribeImmediateCancel(const RoutingDecision& decision, core::Side side,
                                    core::Price limit, core::Quantity leaves,
                                    std::string_view bound) {
  const std::string price = decision.price.has_value() ? decision.price->ToString() : "";
  const std::string within = absl::StrCat(core::AsAbsl(bound), " ", limit.ToString());
  switch (decision.reason) {
    case DecisionReason::kTradingHalted:
      return "trading halted";
    case DecisionReason::kNoOppositeSide:
      return absl::StrCat("no ", SideWord(side), " to trade against");
    case DecisionReason::kNotMarketable:
      return absl::StrCat("the rest found no price within the ", within, " (best ", SideWord(side),
                          " ", price, ")");
    case DecisionReason::kLegInHeld:
      return DescribeHold(decision.hold, side);
    case DecisionReason::kWholeQuantityUnavailable:
      return absl::StrCat("the whole quantity is not available within the ", within, ": ",
                          SideWord(side), " ", price, " shows ", decision.available.value(),
                          " of the ", leaves.value(), " units");
    case DecisionReason::kNoNativeVenue:
      return absl::StrCat("venue ", decision.venue.value(), ", the one showing the ",
                          SideWord(side), " ", price, ", refused the order");
    default:
      return "";
  }
}

std::string_view ToString(Immediacy immediacy) {
  switch (immediacy) {
    case Immediacy::kNone:
      return "none";
    case Immediacy::kImmediateOrCancel:
      return "ioc";
    case Immediacy::kFillOrKill:
      return "fok";
  }
  return "unknown";
}

std::string_view ToString(RoutingAction action) {
  switch (action) {
    case RoutingAction::kNone:
      return "none";
    case RoutingAction::kKeep:
      return "keep";
    case RoutingAction::kRestNative:
      return "rest_native";
    case RoutingAction::kCancelNative:
      return "cancel_native";
    case RoutingAction::kMoveToImplied:
      return "move_to_implied";
    case RoutingAction::kWaitForStability:
      return "wait_for_stability";
    case RoutingAction::kStartLegIn:
      return "start_leg_in";
    case RoutingAction::kHold:
      return "hold";
    case RoutingAction::kSendImmediate:
      return "send_immediate";
    case RoutingAction::kCancelImmediate:
      return "cancel_immediate";
  }
  return "unknown";
}

std::string_view ToString(DecisionReason reason) {
  switch (reason) {
    case DecisionReason::kOrderFinal:
      return "order_final";
    case DecisionReason::kRequestPending:
      return "request_pending";
    case DecisionReason::kLeggingIn:
      return "legging_in";
    case DecisionReason::kNativeCancelInFlight:
      return "native_cancel_in_flight";
    case DecisionReason::kNothingOpen:
      return "nothing_open";
    case DecisionReason::kTradingHalted:
      return "trading_halted";
    case DecisionReason::kImpliedBest:
      return "implied_best";
    case DecisionReason::kImpliedBestAfterNonMarketable:
      return "implied_best_after_non_marketable";
    case DecisionReason::kStabilityWaitRunning:
      return "stability_wait_running";
    case DecisionReason::kImpliedStillBestAfterWait:
      return "implied_still_best_after_wait";
    case DecisionReason::kNativeBest:
      return "native_best";
    case DecisionReason::kBetterNativeVenue:
      return "better_native_venue";
    case DecisionReason::kNotMarketable:
      return "not_marketable";
    case DecisionReason::kNoOppositeSide:
      return "no_opposite_side";
    case DecisionReason::kLegInHeld:
      return "leg_in_held";
    case DecisionReason::kNoNativeVenue:
      return "no_native_venue";
    case DecisionReason::kImmediateAtVenue:
      return "immediate_at_venue";
    case DecisionReason::kAttemptEnded:
      return "attempt_ended";
    case DecisionReason::kWholeQuantityUnavailable:
      return "whole_quantity_unavailable";
  }
  return "unknown";
}

}  // namespace combo::router
