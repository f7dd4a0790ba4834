// The routing decision (seed 003 R9-R14, R24-R28; docs/ROUTER.md "Decision table"): where one
// combo order should work now, as a pure function of the order's view, its combo's smart tick,
// the venues, the leg-in policy and the trading state. It returns one action with its reason and
// the bookkeeping that goes with it; it has no scheduler, sends nothing and changes nothing.
// ComboRouter::Decide gathers the view, calls DecideRouting and performs the action.
//
// Every function here is pure and safe to call from any thread; the value types are safe to copy.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "core/ids.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"
#include "pricing/smart_combo_tick.h"
#include "risk/trading_state.h"
#include "router/combo_order_state.h"
#include "router/leg_in_policy.h"

namespace combo::router {

// Where an order works: the router's record of what it has out (the state is the client's view).
enum class Placement : uint8_t {
  kNone,      // nowhere yet (new, replaced, or its native order or leg-in just ended)
  kNative,    // a complex order at a native venue
  kWatching,  // held by the router: no venue lists the combo, the stability wait, a policy hold
  kLegIn,     // with the leg-in engine
};

// Why the leg-in policy holds a leg-in back although the implied price is best and within the
// limit (R24-R28). The numbers are the ones the reason text quotes, so two holds are equal
// exactly when they read the same.
enum class LegInHoldKind : uint8_t {
  kNone,
  kMaxFailures,        // R28: max_failures_per_order failed leg-ins; never legged in again
  kAwaitingFreshTick,  // the last leg-in ended short: the next one waits for a new combo tick
  kDefensive,          // R25, R26: the implied price must beat the limit by defensive_ticks
};

struct LegInHold {
  LegInHoldKind kind = LegInHoldKind::kNone;
  // kMaxFailures.
  int64_t failures = 0;
  int64_t max_failures = 0;
  // kDefensive.
  core::Price implied;
  core::Price limit;
  int64_t defensive_ticks = 0;

  bool holds() const { return kind != LegInHoldKind::kNone; }
  friend bool operator==(const LegInHold&, const LegInHold&) = default;
};

// How long an order may work, as the decision reads its time in force (docs/ROUTER.md
// "Immediate orders"). A market order is IOC or FOK at the limit its collar gave it.
enum class Immediacy : uint8_t {
  kNone,               // day or GTC: it rests, waits and is decided again
  kImmediateOrCancel,  // one attempt now, natively or by leg-in; the rest is cancelled
  kFillOrKill,         // one attempt now, only when the whole quantity is available
};

// The order's native rest, as the decision sees it.
struct NativeRestView {
  core::VenueId venue;
  // The router asked the venue to cancel it; the next decision waits for the venue's answer.
  bool cancel_sent = false;
};

// What the decision knows of one order. Prices and sides are the canonical combo's.
struct OrderView {
  ComboOrderState state = ComboOrderState::kPriced;
  // A client cancel or replace is pending: its completion decides, not a price change.
  bool request_pending = false;
  Placement placement = Placement::kNone;
  std::optional<NativeRestView> native;
  core::Side side = core::Side::kBuy;
  core::Price limit;
  // Units still open (order quantity - filled).
  core::Quantity leaves;
  int64_t legs = 2;
  // Leg-ins of this order that failed with legs sent (R25, R28).
  int64_t legin_failures = 0;
  // The last leg-in ended short: the next waits for a fresh combo tick.
  bool legin_needs_fresh_tick = false;
  // Decision memory (RoutingDecision returns its next value).
  // R13: the order has not been marketable at some point since it was (re)priced.
  bool was_non_marketable = false;
  // The R13 stability wait ran out and no decision has used it yet.
  bool stability_elapsed = false;
  // The R13 stability wait is running.
  bool stability_wait_running = false;
  // The policy hold last recorded for the order (a new one is recorded as a transition).
  LegInHold hold;
  // Venues that rejected this order's native request: not tried again for it. Null: none.
  const std::set<core::VenueId>* refused_by = nullptr;
  Immediacy immediacy = Immediacy::kNone;
  // An immediate order's one attempt was made (sent natively or handed to the leg-in engine)
  // and has ended, or could not be made: what is left is cancelled.
  bool attempted = false;
};

// The venues the router may rest native orders at.
struct VenueView {
  // Every venue the router is connected to, in configured order.
  std::span<const core::VenueId> connected;
  // Whether a connected venue trades the order's combo natively (asked only when the order
  // needs a venue to rest at; a venue may list combos as they are defined). Refers to a callable
  // the caller keeps alive for the call.
  absl::FunctionRef<bool(core::VenueId)> trades_natively;
};

// The rules the decision applies beside the price.
struct RoutingPolicy {
  const LegInPolicy& leg_in;
  // The combo price increment (defensive margins are counted in it).
  core::Price combo_tick;
};

// What the router does with the order now.
enum class RoutingAction : uint8_t {
  kNone,              // nothing to decide now (the reason says why)
  kKeep,              // it stays where it is (resting natively, held, or waiting)
  kRestNative,        // send it to `venue`'s complex-order book
  kCancelNative,      // pull the native rest (halted, or a better native venue elsewhere)
  kMoveToImplied,     // pull the native rest to leg in once the venue confirms it gone
  kWaitForStability,  // R13: hold it and start the stability wait
  kStartLegIn,        // hand the open units to the leg-in engine in `mode`
  kHold,              // the router holds it from now on (working, watching the implied price)
  kSendImmediate,     // an immediate order: send it to `venue`'s complex-order book as IOC/FOK
  kCancelImmediate,   // an immediate order: nothing more to attempt, cancel what is left
};

enum class DecisionReason : uint8_t {
  kOrderFinal,
  kRequestPending,
  kLeggingIn,
  kNativeCancelInFlight,
  kNothingOpen,
  kTradingHalted,
  kImpliedBest,  // R10: implied strictly best (a native tie wins the tick), fillable
  kImpliedBestAfterNonMarketable,  // R13: ... but the order was not marketable before: wait
  kStabilityWaitRunning,           // R13: the wait has not run out
  kImpliedStillBestAfterWait,      // R13: the wait ran out and the implied price is still fillable
  kNativeBest,                     // R9: a native venue has the best price, within the limit
  kBetterNativeVenue,              // marketable at a native venue other than the one it rests at
  kNotMarketable,                  // R9, R14: best opposite price outside the limit
  kNoOppositeSide,                 // nothing on the side the order trades against
  kLegInHeld,                      // R24-R28: `hold` keeps the order from legging in
  kNoNativeVenue,                  // R11: no venue lists the combo natively (or all refused it)
  kImmediateAtVenue,          // an immediate order's IOC/FOK is at the venue: its answer decides
  kAttemptEnded,              // an immediate order's one attempt ended
  kWholeQuantityUnavailable,  // FOK: the best opposite level shows less than the leaves
};

// What happens to the R13 stability wait alongside the action.
enum class StabilityWaitChange : uint8_t {
  kNone,
  kStart,    // start it (with kMoveToImplied or kWaitForStability)
  kStop,     // stop it silently (halted)
  kAbandon,  // the implied price is no longer the one to take: stop it and record why
};

struct RoutingDecision {
  RoutingAction action = RoutingAction::kNone;
  DecisionReason reason = DecisionReason::kOrderFinal;
  // kRestNative: where to rest. kCancelNative for a better venue: the venue with the best price.
  core::VenueId venue;
  // The opposite level's price the reason quotes (kStartLegIn: the implied price).
  std::optional<core::Price> price;
  // The size at that level (kWholeQuantityUnavailable quotes it).
  core::Quantity available;
  // The order's, for the texts.
  Immediacy immediacy = Immediacy::kNone;
  // kStartLegIn: aggressive or defensive (R24-R26).
  LegInMode mode = LegInMode::kAggressive;
  // kWaitForStability: the order becomes held (it was not, or its record says otherwise).
  bool enters_hold = false;
  StabilityWaitChange stability_wait = StabilityWaitChange::kNone;
  // The policy hold in force after this decision, and whether it is new: a new hold on an order
  // that does not rest natively is recorded first (held, a `working` transition).
  LegInHold hold;
  bool hold_recorded = false;
  // The decision memory after this decision (OrderView's fields of the same names).
  bool was_non_marketable = false;
  bool stability_elapsed = false;
};

// The decision. Trading state kReducing routes like kActive (risk refuses new exposure itself).
RoutingDecision DecideRouting(const OrderView& order, const pricing::SmartComboTick& tick,
                              const VenueView& venues, const RoutingPolicy& policy,
                              risk::TradingState trading);

// R24-R26: aggressive or defensive for an order of `legs` legs that failed `failures` leg-ins.
LegInMode LegInModeFor(int64_t legs, int64_t failures, const LegInPolicy& policy);

// The level an order of `side` trades against: the ask for a buy, the bid for a sell.
const std::optional<pricing::SourcedLevel>& Opposite(const pricing::SmartComboTick& tick,
                                                     core::Side side);
// The name of that level: "ask" for a buy, "bid" for a sell.
const char* SideWord(core::Side side);

// The reason texts of the router's transitions (docs/ROUTER.md "Decision"), for an order of
// `side` with `limit`: the hold, and the text the action's transition carries (kRestNative,
// kCancelNative, kMoveToImplied, kWaitForStability, kHold; empty for the others).
std::string DescribeHold(const LegInHold& hold, core::Side side);
std::string DescribeDecision(const RoutingDecision& decision, core::Side side, core::Price limit);

// Why kCancelImmediate cancels what is left of an immediate order of `side` with `limit` that
// needs `leaves` units, in the terms given (the router passes the client's side, limit, prices
// and units, so the text goes to the client as it is); `bound` names the limit ("limit", or
// "collar" for a market order). Empty for kAttemptEnded: the attempt's outcome says why.
std::string DescribeImmediateCancel(const RoutingDecision& decision, core::Side side,
                                    core::Price limit, core::Quantity leaves,
                                    std::string_view bound);

std::string_view ToString(RoutingAction action);
std::string_view ToString(DecisionReason reason);
std::string_view ToString(Immediacy immediacy);

}  // namespace combo::router
