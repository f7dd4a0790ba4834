#include "router/routing_decision.h"

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace combo::router {
namespace {

using pricing::PriceSource;
using pricing::SmartComboTick;
using pricing::SourcedLevel;

constexpr core::VenueId kLegs(1);
constexpr core::VenueId kCboe(2);
constexpr core::VenueId kIse(3);

core::Price Cents(int64_t cents) { return core::Price::FromRaw(cents * 10'000'000); }

SourcedLevel Implied(int64_t cents) {
  return SourcedLevel{Cents(cents), core::Quantity(10), PriceSource::kImplied, core::VenueId{}};
}

SourcedLevel Native(int64_t cents, core::VenueId venue) {
  return SourcedLevel{Cents(cents), core::Quantity(10), PriceSource::kNative, venue};
}

SmartComboTick Tick(std::optional<SourcedLevel> bid, std::optional<SourcedLevel> ask) {
  return SmartComboTick{bid, ask};
}

// Seed 003 E6-E8: a combo buy of 10 with limit 84.45, just priced.
OrderView NewBuy() {
  OrderView order;
  order.state = ComboOrderState::kPriced;
  order.side = core::Side::kBuy;
  order.limit = Cents(8445);
  order.leaves = core::Quantity(10);
  order.legs = 2;
  return order;
}

// The same order resting at `venue`, where it went because it was not marketable.
OrderView RestingAt(core::VenueId venue) {
  OrderView order = NewBuy();
  order.state = ComboOrderState::kRestingNative;
  order.placement = Placement::kNative;
  order.native = NativeRestView{venue, false};
  order.was_non_marketable = true;
  return order;
}

// The same order held by the router (working), after it was not marketable.
OrderView Held() {
  OrderView order = NewBuy();
  order.state = ComboOrderState::kWorking;
  order.placement = Placement::kWatching;
  order.was_non_marketable = true;
  return order;
}

OrderView WaitingForStability() {
  OrderView order = Held();
  order.stability_wait_running = true;
  return order;
}

OrderView AfterStabilityWait() {
  OrderView order = Held();
  order.stability_elapsed = true;
  return order;
}

OrderView WithFailures(OrderView order, int64_t failures) {
  order.legin_failures = failures;
  return order;
}

OrderView WithLegs(OrderView order, int64_t legs) {
  order.legs = legs;
  return order;
}

OrderView Sell(OrderView order, int64_t limit_cents) {
  order.side = core::Side::kSell;
  order.limit = Cents(limit_cents);
  return order;
}

// The same order as an IOC or a FOK (a market order is one of them at its collar's limit).
OrderView Ioc(OrderView order) {
  order.immediacy = Immediacy::kImmediateOrCancel;
  return order;
}

OrderView Fok(OrderView order) {
  order.immediacy = Immediacy::kFillOrKill;
  return order;
}

OrderView Attempted(OrderView order) {
  order.attempted = true;
  return order;
}

SourcedLevel Sized(SourcedLevel level, int64_t size) {
  level.size = core::Quantity(size);
  return level;
}

// Where the combo trades natively in a case.
enum class Listing : uint8_t { kCboeAndIse, kNowhere };

struct Case {
  std::string name;
  OrderView order;
  SmartComboTick tick;
  risk::TradingState trading = risk::TradingState::kActive;
  Listing listing = Listing::kCboeAndIse;
  std::set<core::VenueId> refused_by;
  // Expected.
  RoutingAction action = RoutingAction::kNone;
  DecisionReason reason = DecisionReason::kOrderFinal;
  core::VenueId venue;
  StabilityWaitChange stability_wait = StabilityWaitChange::kNone;
  // DescribeDecision; for kStartLegIn the mode instead.
  std::string text;
  LegInHoldKind hold = LegInHoldKind::kNone;
  bool hold_recorded = false;
};

std::ostream& operator<<(std::ostream& out, const Case& c) { return out << c.name; }

// Case builders: the order, the tick, then what the decision must be.
Case Decides(std::string name, OrderView order, SmartComboTick tick, RoutingAction action,
             DecisionReason reason, core::VenueId venue = core::VenueId{}, std::string text = "") {
  Case c;
  c.name = std::move(name);
  c.order = order;
  c.tick = tick;
  c.action = action;
  c.reason = reason;
  c.venue = venue;
  c.text = std::move(text);
  return c;
}

Case WithWait(Case c, StabilityWaitChange change) {
  c.stability_wait = change;
  return c;
}

Case WhenHalted(Case c) {
  c.trading = risk::TradingState::kHalted;
  return c;
}

Case WhenReducing(Case c) {
  c.trading = risk::TradingState::kReducing;
  return c;
}

Case ListedNowhere(Case c) {
  c.listing = Listing::kNowhere;
  return c;
}

Case Refusing(Case c, core::VenueId venue) {
  c.refused_by.insert(venue);
  return c;
}

Case HeldBy(Case c, LegInHoldKind hold, bool recorded) {
  c.hold = hold;
  c.hold_recorded = recorded;
  return c;
}

// The seed's markets for a buy limited at 84.45.
const SmartComboTick kImpliedAbove = Tick(Implied(8440), Implied(8450));         // E6
const SmartComboTick kNativeAtLimit = Tick(Implied(8435), Native(8445, kCboe));  // E7
const SmartComboTick kImpliedAtLimit = Tick(Implied(8435), Implied(8445));       // E8
const SmartComboTick kImpliedBelowLimit = Tick(Implied(8435), Implied(8444));

std::vector<Case> Table() {
  using A = RoutingAction;
  using R = DecisionReason;
  using W = StabilityWaitChange;
  return {
      // R9, R14, seed E6.
      Decides("E6_NotMarketableRestsAtTheNativeVenue", NewBuy(), kImpliedAbove, A::kRestNative,
              R::kNotMarketable, kCboe,
              "not marketable (best ask 84.5, limit 84.45): rests at venue 2"),
      Decides("R9_NotMarketableStaysAtTheNativeVenue", RestingAt(kCboe), kImpliedAbove, A::kKeep,
              R::kNotMarketable, kCboe),
      Decides("R14_NoOppositeSideRestsAtTheFirstListingVenue", NewBuy(), Tick(std::nullopt, {}),
              A::kRestNative, R::kNoOppositeSide, kCboe, "no ask: rests at venue 2"),
      // Seed E7 and ties: a native level equal to the implied one wins the tick (pricing).
      Decides("E7_NativeAskAtTheLimitStaysNative", RestingAt(kCboe), kNativeAtLimit, A::kKeep,
              R::kNativeBest, kCboe),
      Decides("E7_NativeAskAtTheLimitRestsThere", NewBuy(), kNativeAtLimit, A::kRestNative,
              R::kNativeBest, kCboe, "native ask 84.45 at venue 2 is best and within limit 84.45"),
      Decides("R9_TieWithImpliedGoesToTheNativeVenueShowingIt", NewBuy(),
              Tick(Implied(8435), Native(8445, kIse)), A::kRestNative, R::kNativeBest, kIse,
              "native ask 84.45 at venue 3 is best and within limit 84.45"),
      Decides("R9_MarketableAtAnotherNativeVenueCancelsToMove", RestingAt(kCboe),
              Tick(Implied(8435), Native(8445, kIse)), A::kCancelNative, R::kBetterNativeVenue,
              kIse, "best native ask 84.45 is at venue 3"),
      // Seed E8 (R10, R13): the implied ask reaches the limit, only the implied market shows it.
      WithWait(Decides("E8_ImpliedAskAtTheLimitCancelsNativeAndStartsTheStabilityWait",
                       RestingAt(kCboe), kImpliedAtLimit, A::kMoveToImplied, R::kImpliedBest, kCboe,
                       "implied ask 84.45 is best and within limit 84.45"),
               W::kStart),
      Decides("E8_StabilityWaitRunsWhileTheImpliedAskStaysAtTheLimit", WaitingForStability(),
              kImpliedAtLimit, A::kKeep, R::kStabilityWaitRunning),
      Decides("E8_LegsInWhenTheImpliedAskIsStillAtTheLimitAfterTheWait", AfterStabilityWait(),
              kImpliedAtLimit, A::kStartLegIn, R::kImpliedStillBestAfterWait, core::VenueId{},
              "aggressive"),
      WithWait(Decides("E8_ImpliedAskMovedAwayDuringTheWaitRestsNativeAgain", WaitingForStability(),
                       kImpliedAbove, A::kRestNative, R::kNotMarketable, kCboe,
                       "not marketable (best ask 84.5, limit 84.45): rests at venue 2"),
               W::kAbandon),
      WithWait(Decides("R13_HeldOrderTurnedMarketableWaitsForStability", Held(), kImpliedAtLimit,
                       A::kWaitForStability, R::kImpliedBestAfterNonMarketable, core::VenueId{},
                       "implied ask 84.45 is best and within limit 84.45"),
               W::kStart),
      Decides("R13_MarketableOnArrivalLegsInWithoutTheWait", NewBuy(), kImpliedAtLimit,
              A::kStartLegIn, R::kImpliedBest, core::VenueId{}, "aggressive"),
      // R11: no venue lists the combo.
      ListedNowhere(Decides("R11_NoNativeVenueTheRouterHoldsTheOrder", NewBuy(), kImpliedAbove,
                            A::kHold, R::kNoNativeVenue, core::VenueId{},
                            "no venue lists the combo natively: the router works it, watching "
                            "the implied price")),
      ListedNowhere(Decides("R11_HeldOrderStaysHeldWhileNotMarketable", Held(), kImpliedAbove,
                            A::kKeep, R::kNoNativeVenue)),
      ListedNowhere(
          WithWait(Decides("R11_HeldOrderWaitsForStabilityWhenTheImpliedAskIsFillable", Held(),
                           kImpliedAtLimit, A::kWaitForStability, R::kImpliedBestAfterNonMarketable,
                           core::VenueId{}, "implied ask 84.45 is best and within limit 84.45"),
                   W::kStart)),
      // A venue that refused the order is not tried again for it.
      Refusing(Decides("RefusingVenueIsNotTriedAgain", NewBuy(), kImpliedAbove, A::kRestNative,
                       R::kNotMarketable, kIse,
                       "not marketable (best ask 84.5, limit 84.45): rests at venue 3"),
               kCboe),
      ListedNowhere(Refusing(Decides("RefusingNativeVenueWithBestAskLeavesTheOrderHeld", NewBuy(),
                                     Tick(Implied(8435), Native(8445, kIse)), A::kHold,
                                     R::kNoNativeVenue, core::VenueId{},
                                     "no venue lists the combo natively: the router works it, "
                                     "watching the implied price"),
                             kIse)),
      // Trading state.
      WhenHalted(WithWait(Decides("HaltCancelsTheNativeRest", RestingAt(kCboe), kImpliedAbove,
                                  A::kCancelNative, R::kTradingHalted, kCboe, "trading halted"),
                          W::kStop)),
      WhenHalted(WithWait(
          Decides("HaltHoldsAnOrderThatDoesNotRest", NewBuy(), kImpliedAtLimit, A::kHold,
                  R::kTradingHalted, core::VenueId{}, "trading halted: held by the router"),
          W::kStop)),
      WhenHalted(WithWait(Decides("HaltKeepsAHeldOrderHeld", WaitingForStability(), kImpliedAtLimit,
                                  A::kKeep, R::kTradingHalted),
                          W::kStop)),
      WhenReducing(Decides("ReducingRoutesLikeActive", NewBuy(), kImpliedAbove, A::kRestNative,
                           R::kNotMarketable, kCboe,
                           "not marketable (best ask 84.5, limit 84.45): rests at venue 2")),
      // R24-R28: the leg-in policy.
      Decides("R24_AggressiveLegsInWithTheImpliedAskAtTheLimit", NewBuy(), kImpliedAtLimit,
              A::kStartLegIn, R::kImpliedBest, core::VenueId{}, "aggressive"),
      HeldBy(
          Decides("E9_ThreeFailuresMakeTheOrderDefensiveImpliedAtTheLimitRestsNative",
                  WithFailures(NewBuy(), 3), kImpliedAtLimit, A::kRestNative, R::kLegInHeld, kCboe,
                  "defensive: implied ask 84.45 must beat limit 84.45 by 1 tick(s): rests at "
                  "venue 2"),
          LegInHoldKind::kDefensive, true),
      Decides("E9_DefensiveLegsInWhenTheImpliedAskBeatsTheLimitByATick", WithFailures(NewBuy(), 3),
              kImpliedBelowLimit, A::kStartLegIn, R::kImpliedBest, core::VenueId{}, "defensive"),
      HeldBy(Decides("E10_ThreeLegsAreDefensiveFromTheStart", WithLegs(NewBuy(), 3),
                     kImpliedAtLimit, A::kRestNative, R::kLegInHeld, kCboe,
                     "defensive: implied ask 84.45 must beat limit 84.45 by 1 tick(s): rests at "
                     "venue 2"),
             LegInHoldKind::kDefensive, true),
      Decides("E10_ThreeLegsLegInWhenTheImpliedAskBeatsTheLimit", WithLegs(NewBuy(), 3),
              kImpliedBelowLimit, A::kStartLegIn, R::kImpliedBest, core::VenueId{}, "defensive"),
      HeldBy(Decides("R28_MaxFailuresStopsLegInsTheRestStays", WithFailures(RestingAt(kCboe), 5),
                     kImpliedBelowLimit, A::kKeep, R::kLegInHeld, kCboe),
             LegInHoldKind::kMaxFailures, false),
      ListedNowhere(
          HeldBy(Decides("R28_MaxFailuresHoldsAnOrderNoVenueLists", WithFailures(NewBuy(), 5),
                         kImpliedBelowLimit, A::kKeep, R::kNoNativeVenue),
                 LegInHoldKind::kMaxFailures, true)),
      // Sell side: the bid is the level to take.
      Decides("R24_SellLegsInWithTheImpliedBidAtTheLimit", Sell(NewBuy(), 8440), kImpliedAbove,
              A::kStartLegIn, R::kImpliedBest, core::VenueId{}, "aggressive"),
      Decides("R14_SellNotMarketableRestsNative", Sell(NewBuy(), 8445), kImpliedAbove,
              A::kRestNative, R::kNotMarketable, kCboe,
              "not marketable (best bid 84.4, limit 84.45): rests at venue 2"),
      // Immediate orders (IOC, FOK, market at its collar): one attempt now, never a rest.
      Decides("Ioc_ImpliedAskWithinTheLimitLegsInAtOnce", Ioc(NewBuy()), kImpliedAtLimit,
              A::kStartLegIn, R::kImpliedBest, core::VenueId{}, "aggressive"),
      Decides("Ioc_NativeAskWithinTheLimitIsSentThereAsIoc", Ioc(NewBuy()), kNativeAtLimit,
              A::kSendImmediate, R::kNativeBest, kCboe,
              "native ask 84.45 at venue 2 is best and within limit 84.45: sent there ioc"),
      Decides("Ioc_E6NotMarketableIsCancelledAtOnceNotRested", Ioc(NewBuy()), kImpliedAbove,
              A::kCancelImmediate, R::kNotMarketable, core::VenueId{},
              "the rest found no price within the limit 84.45 (best ask 84.5)"),
      Decides("Ioc_NoAskIsCancelled", Ioc(NewBuy()), Tick(std::nullopt, {}), A::kCancelImmediate,
              R::kNoOppositeSide, core::VenueId{}, "no ask to trade against"),
      Decides("Ioc_AfterItsOneAttemptTheRestIsCancelled", Attempted(Ioc(NewBuy())), kImpliedAtLimit,
              A::kCancelImmediate, R::kAttemptEnded),
      ListedNowhere(Decides("Ioc_NoNativeVenueStillLegsInNeverHeld", Ioc(NewBuy()), kImpliedAtLimit,
                            A::kStartLegIn, R::kImpliedBest, core::VenueId{}, "aggressive")),
      HeldBy(Decides("Ioc_E10ThreeLegsDefensiveAtTheLimitIsCancelledNotRested",
                     Ioc(WithLegs(NewBuy(), 3)), kImpliedAtLimit, A::kCancelImmediate,
                     R::kLegInHeld, core::VenueId{},
                     "defensive: implied ask 84.45 must beat limit 84.45 by 1 tick(s)"),
             LegInHoldKind::kDefensive, false),
      Decides("Ioc_E10ThreeLegsLegInWhenTheImpliedAskBeatsTheLimit", Ioc(WithLegs(NewBuy(), 3)),
              kImpliedBelowLimit, A::kStartLegIn, R::kImpliedBest, core::VenueId{}, "defensive"),
      WhenHalted(Decides("Ioc_HaltCancelsIt", Ioc(NewBuy()), kImpliedAtLimit, A::kCancelImmediate,
                         R::kTradingHalted, core::VenueId{}, "trading halted")),
      Refusing(Decides("Ioc_RefusedByTheVenueShowingTheAskIsCancelled", Ioc(NewBuy()),
                       kNativeAtLimit, A::kCancelImmediate, R::kNoNativeVenue, core::VenueId{},
                       "venue 2, the one showing the ask 84.45, refused the order"),
               kCboe),
      Decides("Ioc_SellLegsInWithTheImpliedBidAtTheLimit", Ioc(Sell(NewBuy(), 8440)), kImpliedAbove,
              A::kStartLegIn, R::kImpliedBest, core::VenueId{}, "aggressive"),
      Decides("Fok_WholeQuantityImpliedLegsIn", Fok(NewBuy()), kImpliedAtLimit, A::kStartLegIn,
              R::kImpliedBest, core::VenueId{}, "aggressive"),
      Decides("Fok_ImpliedAskShowingLessThanTheQuantityIsCancelled", Fok(NewBuy()),
              Tick(Implied(8435), Sized(Implied(8445), 6)), A::kCancelImmediate,
              R::kWholeQuantityUnavailable, core::VenueId{},
              "the whole quantity is not available within the limit 84.45: ask 84.45 shows 6 of "
              "the 10 units"),
      Decides("Fok_WholeQuantityAtTheNativeVenueIsSentThereAsFok", Fok(NewBuy()), kNativeAtLimit,
              A::kSendImmediate, R::kNativeBest, kCboe,
              "native ask 84.45 at venue 2 is best and within limit 84.45: sent there fok"),
      Decides("Fok_NativeAskShowingLessThanTheQuantityIsCancelled", Fok(NewBuy()),
              Tick(Implied(8435), Sized(Native(8445, kCboe), 9)), A::kCancelImmediate,
              R::kWholeQuantityUnavailable, core::VenueId{},
              "the whole quantity is not available within the limit 84.45: ask 84.45 shows 9 of "
              "the 10 units"),
  };
}

class RoutingDecisionTable : public testing::TestWithParam<Case> {};

TEST_P(RoutingDecisionTable, DecidesAsTheRuleSays) {
  const Case& c = GetParam();
  OrderView order = c.order;
  order.refused_by = &c.refused_by;
  const std::vector<core::VenueId> connected = {kLegs, kCboe, kIse};
  const Listing listing = c.listing;
  auto trades_natively = [listing](core::VenueId venue) {
    return listing == Listing::kCboeAndIse && (venue == kCboe || venue == kIse);
  };
  const VenueView venues{connected, trades_natively};
  const LegInPolicy policy;
  const RoutingDecision decision =
      DecideRouting(order, c.tick, venues, RoutingPolicy{policy, Cents(1)}, c.trading);
  EXPECT_EQ(ToString(decision.action), ToString(c.action));
  EXPECT_EQ(ToString(decision.reason), ToString(c.reason));
  EXPECT_EQ(decision.stability_wait, c.stability_wait);
  EXPECT_EQ(decision.hold.kind, c.hold);
  EXPECT_EQ(decision.hold_recorded, c.hold_recorded);
  if (c.action == RoutingAction::kRestNative || c.action == RoutingAction::kCancelNative ||
      c.action == RoutingAction::kMoveToImplied || c.action == RoutingAction::kSendImmediate) {
    EXPECT_EQ(decision.venue, c.venue);
  }
  if (c.action == RoutingAction::kCancelImmediate) {
    EXPECT_EQ(DescribeDecision(decision, order.side, order.limit), "");
    EXPECT_EQ(DescribeImmediateCancel(decision, order.side, order.limit, order.leaves, "limit"),
              c.text);
  } else if (c.action == RoutingAction::kStartLegIn) {
    EXPECT_EQ(ToString(decision.mode), c.text);
    ASSERT_TRUE(decision.price.has_value());
    EXPECT_EQ(*decision.price, Opposite(c.tick, order.side)->price);
  } else {
    EXPECT_EQ(DescribeDecision(decision, order.side, order.limit), c.text);
  }
}

INSTANTIATE_TEST_SUITE_P(RoutingDecision, RoutingDecisionTable, testing::ValuesIn(Table()),
                         [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

// Guards: nothing is decided for an order the decision must not move.
TEST(RoutingDecision, NothingIsDecidedForAFinalPendingLeggingInCancellingOrFilledOrder) {
  const std::vector<core::VenueId> connected = {kCboe};
  auto everywhere = [](core::VenueId) { return true; };
  const VenueView venues{connected, everywhere};
  const LegInPolicy policy;
  auto decide = [&](const OrderView& order) {
    return DecideRouting(order, kImpliedAtLimit, venues, RoutingPolicy{policy, Cents(1)},
                         risk::TradingState::kActive);
  };
  OrderView filled = NewBuy();
  filled.state = ComboOrderState::kFilled;
  OrderView pending = RestingAt(kCboe);
  pending.request_pending = true;
  OrderView legging = NewBuy();
  legging.placement = Placement::kLegIn;
  OrderView cancelling = RestingAt(kCboe);
  cancelling.native->cancel_sent = true;
  OrderView nothing_open = NewBuy();
  nothing_open.leaves = core::Quantity::Zero();
  OrderView immediate_at_venue = Ioc(NewBuy());
  immediate_at_venue.placement = Placement::kNative;
  immediate_at_venue.native = NativeRestView{kCboe, false};
  EXPECT_EQ(decide(immediate_at_venue).reason, DecisionReason::kImmediateAtVenue);
  EXPECT_EQ(decide(immediate_at_venue).action, RoutingAction::kNone);
  EXPECT_EQ(decide(filled).reason, DecisionReason::kOrderFinal);
  EXPECT_EQ(decide(pending).reason, DecisionReason::kRequestPending);
  EXPECT_EQ(decide(legging).reason, DecisionReason::kLeggingIn);
  EXPECT_EQ(decide(cancelling).reason, DecisionReason::kNativeCancelInFlight);
  EXPECT_EQ(decide(nothing_open).reason, DecisionReason::kNothingOpen);
  for (const OrderView& order : {filled, pending, legging, cancelling, nothing_open}) {
    EXPECT_EQ(decide(order).action, RoutingAction::kNone);
  }
}

// R13: the wait is for an order that was not marketable; the memory says so after a decision.
TEST(RoutingDecision, NotMarketableOrderIsRememberedAsSuchAndItsElapsedWaitForgotten) {
  const std::vector<core::VenueId> connected = {kCboe};
  auto everywhere = [](core::VenueId) { return true; };
  const VenueView venues{connected, everywhere};
  const LegInPolicy policy;
  OrderView order = AfterStabilityWait();
  order.was_non_marketable = false;
  const RoutingDecision decision = DecideRouting(
      order, kImpliedAbove, venues, RoutingPolicy{policy, Cents(1)}, risk::TradingState::kActive);
  EXPECT_TRUE(decision.was_non_marketable);
  EXPECT_FALSE(decision.stability_elapsed);
}

// A policy hold already recorded is not recorded again; a different one is.
TEST(RoutingDecision, PolicyHoldIsRecordedOnlyWhenItChanges) {
  const std::vector<core::VenueId> connected = {kCboe};
  auto nowhere = [](core::VenueId) { return false; };
  const VenueView venues{connected, nowhere};
  const LegInPolicy policy;
  OrderView order = WithFailures(Held(), 3);
  const RoutingDecision first = DecideRouting(
      order, kImpliedAtLimit, venues, RoutingPolicy{policy, Cents(1)}, risk::TradingState::kActive);
  EXPECT_TRUE(first.hold_recorded);
  order.hold = first.hold;
  const RoutingDecision again = DecideRouting(
      order, kImpliedAtLimit, venues, RoutingPolicy{policy, Cents(1)}, risk::TradingState::kActive);
  EXPECT_FALSE(again.hold_recorded);
  EXPECT_EQ(again.action, RoutingAction::kKeep);
  const SmartComboTick moved = Tick(Implied(8435), Implied(8444) /*beats by one tick*/);
  order.legin_needs_fresh_tick = true;
  const RoutingDecision fresh = DecideRouting(order, moved, venues, RoutingPolicy{policy, Cents(1)},
                                              risk::TradingState::kActive);
  EXPECT_TRUE(fresh.hold_recorded);
  EXPECT_EQ(DescribeHold(fresh.hold, order.side),
            "the last leg-in ended short: waiting for a fresh price before legging in again");
}

TEST(RoutingDecision, MaxFailuresHoldSaysTheCount) {
  LegInHold hold;
  hold.kind = LegInHoldKind::kMaxFailures;
  hold.failures = 5;
  hold.max_failures = 5;
  EXPECT_EQ(DescribeHold(hold, core::Side::kBuy),
            "leg-in stopped after 5 failures (max 5): the order rests natively or waits");
}

// R24-R26.
TEST(RoutingDecision, LegInModeIsDefensiveByPolicyAboveTwoLegsOrAfterThreeFailures) {
  LegInPolicy policy;
  EXPECT_EQ(LegInModeFor(2, 0, policy), LegInMode::kAggressive);
  EXPECT_EQ(LegInModeFor(2, 2, policy), LegInMode::kAggressive);
  EXPECT_EQ(LegInModeFor(2, 3, policy), LegInMode::kDefensive);
  EXPECT_EQ(LegInModeFor(3, 0, policy), LegInMode::kDefensive);
  policy.mode = LegInMode::kDefensive;
  EXPECT_EQ(LegInModeFor(2, 0, policy), LegInMode::kDefensive);
}

}  // namespace
}  // namespace combo::router
