// The request rules the router applies once (order type, time in force, quantity, limit price
// and its tick, ClOrdIDs, what a replace may change), and the per-leg totals reports carry.
#include "router/order_checks.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace combo::router {
namespace {

using ::testing::HasSubstr;

core::Price P(int64_t units, int64_t nanos) { return core::Price::FromParts(units, nanos); }

NewComboOrder Vertical() {
  return NewComboOrder{core::ClientId("BROKER1"),
                       core::ClientOrderId("o1"),
                       core::AccountId("ACC1"),
                       *core::ComboSpec::Create({{core::InstrumentId(2), 1, core::Side::kBuy},
                                                 {core::InstrumentId(3), 1, core::Side::kSell}}),
                       core::Side::kBuy,
                       core::Quantity(10),
                       ComboOrderType::kLimit,
                       P(2, 350'000'000),
                       ComboTimeInForce::kDay};
}

ReplaceComboOrder ReplaceOf(const NewComboOrder& order) {
  ReplaceComboOrder replace;
  replace.client = order.client;
  replace.client_order_id = core::ClientOrderId("r1");
  replace.original_client_order_id = order.client_order_id;
  replace.limit_price = P(2, 400'000'000);
  replace.total_quantity = core::Quantity(12);
  replace.side = order.side;
  return replace;
}

TEST(NewOrderRulesTest, DayOrGoodTillCancelLimitOrderIsTaken) {
  NewComboOrder order = Vertical();
  EXPECT_FALSE(CheckNewOrder(order).has_value());
  order.time_in_force = ComboTimeInForce::kGoodTillCancel;
  EXPECT_FALSE(CheckNewOrder(order).has_value());
}

TEST(NewOrderRulesTest, AGoodTillDateOrderNamesExactlyOneEnd) {
  NewComboOrder order = Vertical();
  order.time_in_force = ComboTimeInForce::kGoodTillDate;
  ASSERT_TRUE(CheckNewOrder(order).has_value());
  EXPECT_THAT(CheckNewOrder(order)->text, HasSubstr("exactly one of an expire time or"));
  order.expire_date = absl::CivilDay(2026, 12, 18);
  EXPECT_FALSE(CheckNewOrder(order).has_value());
  order.expire_time = core::Timestamp::FromUnixNanos(1);
  EXPECT_TRUE(CheckNewOrder(order).has_value());
  order.expire_date.reset();
  EXPECT_FALSE(CheckNewOrder(order).has_value());
  order.time_in_force = ComboTimeInForce::kDay;
  ASSERT_TRUE(CheckNewOrder(order).has_value());
  EXPECT_THAT(CheckNewOrder(order)->text, HasSubstr("needs time in force good till date"));
}

TEST(NewOrderRulesTest, MarketOrderCarriesNoLimitPrice) {
  NewComboOrder order = Vertical();
  order.type = ComboOrderType::kMarket;
  order.time_in_force = ComboTimeInForce::kImmediateOrCancel;
  const std::optional<Refusal> refusal = CheckNewOrder(order);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->reason, RejectReason::kInvalidPrice);
  EXPECT_THAT(refusal->text, HasSubstr("a market order must not carry a limit price"));
}

TEST(NewOrderRulesTest, MarketOrderNeverRests) {
  NewComboOrder order = Vertical();
  order.type = ComboOrderType::kMarket;
  order.limit_price.reset();
  const std::optional<Refusal> refusal = CheckNewOrder(order);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->reason, RejectReason::kUnsupportedOrder);
  EXPECT_THAT(refusal->text, HasSubstr("a market order never rests"));
}

TEST(NewOrderRulesTest, MarketOrderDayOrGoodTillCancelIsRefusedWithTheTimeInForce) {
  NewComboOrder order = Vertical();
  order.type = ComboOrderType::kMarket;
  order.limit_price.reset();
  order.time_in_force = ComboTimeInForce::kGoodTillCancel;
  const std::optional<Refusal> refusal = CheckNewOrder(order);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->reason, RejectReason::kUnsupportedOrder);
  EXPECT_EQ(refusal->text,
            "a market order never rests: its time in force must be ioc or fok, not gtc");
}

TEST(NewOrderRulesTest, MarketOrderImmediateOrCancelOrFillOrKillIsTaken) {
  NewComboOrder order = Vertical();
  order.type = ComboOrderType::kMarket;
  order.limit_price.reset();
  order.time_in_force = ComboTimeInForce::kImmediateOrCancel;
  EXPECT_FALSE(CheckNewOrder(order).has_value());
  order.time_in_force = ComboTimeInForce::kFillOrKill;
  EXPECT_FALSE(CheckNewOrder(order).has_value());
}

TEST(NewOrderRulesTest, LimitOrderImmediateOrCancelOrFillOrKillIsTaken) {
  NewComboOrder order = Vertical();
  order.time_in_force = ComboTimeInForce::kImmediateOrCancel;
  EXPECT_FALSE(CheckNewOrder(order).has_value());
  order.time_in_force = ComboTimeInForce::kFillOrKill;
  EXPECT_FALSE(CheckNewOrder(order).has_value());
  EXPECT_TRUE(IsImmediate(ComboTimeInForce::kImmediateOrCancel));
  EXPECT_TRUE(IsImmediate(ComboTimeInForce::kFillOrKill));
  EXPECT_FALSE(IsImmediate(ComboTimeInForce::kDay));
  EXPECT_FALSE(IsImmediate(ComboTimeInForce::kGoodTillCancel));
}

TEST(NewOrderRulesTest, QuantityMustBePositive) {
  NewComboOrder order = Vertical();
  order.quantity = core::Quantity(0);
  const std::optional<Refusal> refusal = CheckNewOrder(order);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->reason, RejectReason::kInvalidQuantity);
  EXPECT_EQ(refusal->text, "quantity must be positive, got 0");
}

TEST(NewOrderRulesTest, LimitOrderNeedsALimitPrice) {
  NewComboOrder order = Vertical();
  order.limit_price.reset();
  const std::optional<Refusal> refusal = CheckNewOrder(order);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->reason, RejectReason::kInvalidPrice);
}

TEST(TickRuleTest, LimitPriceMustSitOnTheCombosTick) {
  EXPECT_FALSE(CheckOnTick(P(2, 350'000'000), P(0, 50'000'000)).has_value());
  // Negative (credit) prices sit on the tick the same way.
  EXPECT_FALSE(CheckOnTick(P(-2, -350'000'000), P(0, 50'000'000)).has_value());
  const std::optional<Refusal> refusal = CheckOnTick(P(2, 355'000'000), P(0, 10'000'000));
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->reason, RejectReason::kInvalidPrice);
  EXPECT_EQ(refusal->text, "limit price 2.355 is not a multiple of tick 0.01");
}

TEST(CancelRulesTest, CancelCarriesANewClientOrderId) {
  CancelComboOrder cancel{core::ClientId("BROKER1"), core::ClientOrderId("c1"),
                          core::ClientOrderId("o1")};
  EXPECT_FALSE(CheckCancel(cancel).has_value());
  cancel.client_order_id = core::ClientOrderId("o1");
  const std::optional<Refusal> refusal = CheckCancel(cancel);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->reason, RejectReason::kDuplicateClientOrderId);
  EXPECT_THAT(refusal->text, HasSubstr("must be new"));
}

TEST(ReplaceRulesTest, ReplaceOfPriceAndQuantityIsTaken) {
  EXPECT_FALSE(CheckReplace(ReplaceOf(Vertical()), Vertical()).has_value());
}

TEST(ReplaceRulesTest, ReplaceCarriesANewClientOrderId) {
  ReplaceComboOrder replace = ReplaceOf(Vertical());
  replace.client_order_id = replace.original_client_order_id;
  const std::optional<Refusal> refusal = CheckReplace(replace, Vertical());
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->reason, RejectReason::kDuplicateClientOrderId);
  EXPECT_THAT(refusal->text, HasSubstr("must be new"));
}

TEST(ReplaceRulesTest, AnImmediateOrderIsNeverReplaced) {
  NewComboOrder order = Vertical();
  order.time_in_force = ComboTimeInForce::kImmediateOrCancel;
  ReplaceComboOrder replace = ReplaceOf(order);
  const std::optional<Refusal> refusal = CheckReplace(replace, order);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->reason, RejectReason::kUnsupportedOrder);
  EXPECT_EQ(refusal->text,
            "an ioc order cannot be replaced: it makes one attempt at once and never rests");
}

TEST(ReplaceRulesTest, ReplaceCannotChangeTheSide) {
  ReplaceComboOrder replace = ReplaceOf(Vertical());
  replace.side = core::Side::kSell;
  const std::optional<Refusal> refusal = CheckReplace(replace, Vertical());
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->reason, RejectReason::kUnsupportedOrder);
  EXPECT_THAT(refusal->text, HasSubstr("a replace cannot change the side"));
}

TEST(ReplaceRulesTest, ReplaceCannotChangeTheLegs) {
  ReplaceComboOrder replace = ReplaceOf(Vertical());
  replace.combo = Vertical().combo.Mirror();
  const std::optional<Refusal> refusal = CheckReplace(replace, Vertical());
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->reason, RejectReason::kInvalidCombo);
  EXPECT_THAT(refusal->text, HasSubstr("a replace cannot change the legs"));
  // Restating them unchanged is fine.
  replace.combo = Vertical().combo;
  EXPECT_FALSE(CheckReplace(replace, Vertical()).has_value());
}

TEST(ReplaceRulesTest, ReplaceCannotChangeTheTimeInForce) {
  ReplaceComboOrder replace = ReplaceOf(Vertical());
  replace.time_in_force = ComboTimeInForce::kGoodTillCancel;
  const std::optional<Refusal> refusal = CheckReplace(replace, Vertical());
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->reason, RejectReason::kUnsupportedOrder);
  EXPECT_THAT(refusal->text, HasSubstr("a replace cannot change it"));
}

TEST(ReplaceRulesTest, OnlyALimitOrderCanBeReplaced) {
  ReplaceComboOrder replace = ReplaceOf(Vertical());
  replace.type = ComboOrderType::kMarket;
  const std::optional<Refusal> refusal = CheckReplace(replace, Vertical());
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->reason, RejectReason::kUnsupportedOrder);
  EXPECT_EQ(refusal->text, "only a limit order can be replaced");
}

// The totals a report gives per leg: the sum of the leg's reported fills, and their exact
// average (half-even to the price grid).
TEST(LegTotalsTest, LegAveragePriceIsTheExactAverageOfItsFills) {
  const NewComboOrder order = Vertical();
  std::vector<OrderLeg> legs;
  for (const core::ComboLeg& leg : order.combo.legs()) legs.push_back({leg, {}, {}});
  EXPECT_EQ(legs[0].AveragePrice(), core::Price::Zero());
  AddLegFills(legs, {{core::InstrumentId(2), core::Side::kBuy, core::VenueId(3), P(5, 100'000'000),
                      core::Quantity(4)},
                     {core::InstrumentId(3), core::Side::kSell, core::VenueId(4), P(2, 750'000'000),
                      core::Quantity(4)}});
  AddLegFills(legs, {{core::InstrumentId(2), core::Side::kBuy, core::VenueId(3), P(5, 0),
                      core::Quantity(6)},
                     {core::InstrumentId(3), core::Side::kSell, core::VenueId(4), P(2, 700'000'000),
                      core::Quantity(6)}});
  EXPECT_EQ(legs[0].cumulative_quantity, core::Quantity(10));
  // (4 x 5.10 + 6 x 5.00) / 10 = 5.04; (4 x 2.75 + 6 x 2.70) / 10 = 2.72.
  EXPECT_EQ(legs[0].AveragePrice(), P(5, 40'000'000));
  EXPECT_EQ(legs[1].AveragePrice(), P(2, 720'000'000));
  // Thirds round half-even to the nano: (1.00 + 1.00 + 1.01) / 3 = 1.003333333.
  std::vector<OrderLeg> thirds{{order.combo.leg(0), {}, {}}};
  for (int64_t nanos : {0, 0, 10'000'000}) {
    AddLegFills(thirds, {{core::InstrumentId(2), core::Side::kBuy, core::VenueId(3), P(1, nanos),
                          core::Quantity(1)}});
  }
  EXPECT_EQ(thirds[0].AveragePrice(), P(1, 3'333'333));
}

}  // namespace
}  // namespace combo::router
