#include "risk/pre_trade_rules.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "risk/risk_test_fixture.h"

namespace combo::risk {
namespace {

using ::combo::risk::testing::Cents;
using ::combo::risk::testing::Operator;
using ::combo::risk::testing::RiskTest;
using ::combo::risk::testing::TestLimits;

class PreTradeTest : public RiskTest {};

TEST_F(PreTradeTest, BaselineOrderPassesEveryRule) {
  EXPECT_TRUE(Check(Baseline()).allowed());
  EXPECT_TRUE(listener_.order_denials.empty());
}

// --- Max combo quantity: at the limit allowed, one unit over denied. ---
TEST_F(PreTradeTest, MaxComboQuantityAllowsExactlyTheLimit) {
  OrderCheckRequest r = Baseline();
  r.quantity = core::Quantity(1'000);
  EXPECT_TRUE(Check(r).allowed());
}

TEST_F(PreTradeTest, MaxComboQuantityDeniesOneUnitOver) {
  OrderCheckRequest r = Baseline();
  r.quantity = core::Quantity(1'001);
  const RiskDecision d = Check(r);
  ASSERT_TRUE(d.denied());
  EXPECT_EQ(d.rule(), RiskRule::kMaxComboQuantity);
  EXPECT_EQ(d.Describe(), "quantity 1001 exceeds max combo quantity 1000");
}

// --- Max legs. ---
TEST_F(PreTradeTest, MaxLegsAllowsExactlyTheLimit) {
  legs_ = {{core::InstrumentId(1), 1, core::Side::kBuy},
           {core::InstrumentId(2), 1, core::Side::kSell},
           {core::InstrumentId(3), 1, core::Side::kBuy},
           {core::InstrumentId(4), 1, core::Side::kSell}};
  EXPECT_TRUE(Check(Baseline()).allowed());
}

TEST_F(PreTradeTest, MaxLegsDeniesOneLegMore) {
  legs_ = {{core::InstrumentId(1), 1, core::Side::kBuy},
           {core::InstrumentId(2), 1, core::Side::kSell},
           {core::InstrumentId(3), 1, core::Side::kBuy},
           {core::InstrumentId(4), 1, core::Side::kSell},
           {core::InstrumentId(5), 1, core::Side::kBuy}};
  const RiskDecision d = Check(Baseline());
  ASSERT_TRUE(d.denied());
  EXPECT_EQ(d.rule(), RiskRule::kMaxLegs);
  EXPECT_EQ(d.Describe(), "5 legs exceed max legs 4");
}

// --- Max notional: at the limit allowed, one 1e-9 over denied. ---
TEST_F(PreTradeTest, MaxNotionalAllowsExactlyTheLimit) {
  OrderCheckRequest r = Baseline();
  r.notional = Dollars(1'000'000);
  Rebuild([] {
    RiskLimits l = TestLimits();
    l.default_client_credit_limit.reset();
    return l;
  }());
  EXPECT_TRUE(Check(r).allowed());
}

TEST_F(PreTradeTest, MaxNotionalDeniesTheSmallestAmountOver) {
  OrderCheckRequest r = Baseline();
  r.notional = Dollars(1'000'000) + core::Money::FromRaw(1);
  const RiskDecision d = Check(r);
  ASSERT_TRUE(d.denied());
  EXPECT_EQ(d.rule(), RiskRule::kMaxNotional);
  EXPECT_EQ(d.Describe(), "notional 1000000.000000001 exceeds max notional 1000000");
}

// --- Price collar: 4 ticks of 0.01 around the best opposite price. ---
TEST_F(PreTradeTest, PriceCollarAllowsABuyExactlyAtBestAskPlusWidth) {
  OrderCheckRequest r = Baseline();
  r.limit_price = core::Price::FromParts(1, 40'000'000);  // 1.00 + 4 x 0.01
  EXPECT_TRUE(Check(r).allowed());
}

TEST_F(PreTradeTest, PriceCollarDeniesABuyOneTickThrough) {
  OrderCheckRequest r = Baseline();
  r.limit_price = core::Price::FromParts(1, 50'000'000);
  const RiskDecision d = Check(r);
  ASSERT_TRUE(d.denied());
  EXPECT_EQ(d.rule(), RiskRule::kPriceCollar);
  EXPECT_EQ(d.Describe(),
            "limit price 1.05 is through the price collar at 1.04 (best combo price 1)");
}

TEST_F(PreTradeTest, PriceCollarLetsABuyFarBelowTheAskRest) {
  OrderCheckRequest r = Baseline();
  r.limit_price = core::Price::FromParts(0, 10'000'000);
  EXPECT_TRUE(Check(r).allowed());
}

TEST_F(PreTradeTest, PriceCollarBoundsASellBelowTheBestBid) {
  OrderCheckRequest r = Baseline();
  r.side = core::Side::kSell;
  r.best_opposite_price = core::Price::FromParts(2, 0);
  r.limit_price = core::Price::FromParts(1, 960'000'000);  // 2.00 - 4 x 0.01
  EXPECT_TRUE(Check(r).allowed());
  r.client_order_id = core::ClientOrderId("C2");
  r.limit_price = core::Price::FromParts(1, 950'000'000);
  const RiskDecision d = Check(r);
  ASSERT_TRUE(d.denied());
  EXPECT_EQ(d.rule(), RiskRule::kPriceCollar);
}

TEST_F(PreTradeTest, PriceCollarWorksForCreditSpreadsBelowZero) {
  OrderCheckRequest r = Baseline();
  r.best_opposite_price = core::Price::FromParts(-1, -500'000'000);  // -1.50
  r.limit_price = core::Price::FromParts(-1, -460'000'000);          // -1.46: at the bound
  EXPECT_TRUE(Check(r).allowed());
  r.limit_price = core::Price::FromParts(-1, -450'000'000);
  EXPECT_EQ(Check(r).rule(), RiskRule::kPriceCollar);
}

TEST_F(PreTradeTest, PriceCollarInPercentUsesBasisPointsOfTheBestPrice) {
  RiskLimits limits = TestLimits();
  limits.collar_ticks = 0;
  limits.collar_basis_points = 500;  // 5%
  Rebuild(limits);
  OrderCheckRequest r = Baseline();
  r.best_opposite_price = core::Price::FromParts(84, 500'000'000);
  r.limit_price = core::Price::FromParts(88, 725'000'000);  // 84.50 x 1.05 = 88.725
  EXPECT_TRUE(Check(r).allowed());
  r.limit_price = core::Price::FromParts(88, 725'000'001);
  const RiskDecision d = Check(r);
  ASSERT_TRUE(d.denied());
  EXPECT_EQ(d.rule(), RiskRule::kPriceCollar);
  EXPECT_EQ(d.limit(), RiskValue::At(core::Price::FromParts(88, 725'000'000)));
}

TEST_F(PreTradeTest, PriceCollarTakesTheWiderOfTicksAndPercent) {
  RiskLimits limits = TestLimits();
  limits.collar_ticks = 4;           // 0.04
  limits.collar_basis_points = 100;  // 1% of 10.00 = 0.10
  Rebuild(limits);
  OrderCheckRequest r = Baseline();
  r.best_opposite_price = core::Price::FromParts(10, 0);
  r.limit_price = core::Price::FromParts(10, 100'000'000);
  EXPECT_TRUE(Check(r).allowed());
  r.limit_price = core::Price::FromParts(10, 110'000'000);
  EXPECT_EQ(Check(r).rule(), RiskRule::kPriceCollar);
}

TEST_F(PreTradeTest, PriceCollarDoesNotApplyWithoutABestPrice) {
  OrderCheckRequest r = Baseline();
  r.best_opposite_price.reset();
  r.limit_price = core::Price::FromParts(50, 0);
  EXPECT_TRUE(Check(r).allowed());
}

TEST_F(PreTradeTest, PriceCollarDoesNotApplyToAMarketOrder) {
  OrderCheckRequest r = Baseline();
  r.limit_price.reset();
  EXPECT_TRUE(Check(r).allowed());
}

TEST_F(PreTradeTest, PriceCollarIsOffWhenBothWidthsAreZero) {
  RiskLimits limits = TestLimits();
  limits.collar_ticks = 0;
  limits.collar_basis_points = 0;
  Rebuild(limits);
  OrderCheckRequest r = Baseline();
  r.limit_price = core::Price::FromParts(50, 0);
  EXPECT_TRUE(Check(r).allowed());
}

// --- Client credit limit: open notional of working orders plus the new one. ---
TEST_F(PreTradeTest, ClientCreditAllowsOpenPlusNewExactlyAtTheLimit) {
  ASSERT_TRUE(risk_
                  ->OnOrderAccepted(core::OrderId(1), core::ClientId("BRK1"),
                                    core::ClientOrderId("A"), core::Quantity(10), Dollars(30'000))
                  .ok());
  OrderCheckRequest r = Baseline();
  r.notional = Dollars(20'000);
  EXPECT_TRUE(Check(r).allowed());
}

TEST_F(PreTradeTest, ClientCreditDeniesTheSmallestAmountOver) {
  ASSERT_TRUE(risk_
                  ->OnOrderAccepted(core::OrderId(1), core::ClientId("BRK1"),
                                    core::ClientOrderId("A"), core::Quantity(10), Dollars(30'000))
                  .ok());
  OrderCheckRequest r = Baseline();
  r.notional = Dollars(20'000) + Cents(1);
  const RiskDecision d = Check(r);
  ASSERT_TRUE(d.denied());
  EXPECT_EQ(d.rule(), RiskRule::kClientCreditLimit);
  EXPECT_EQ(d.Describe(),
            "client open notional 50000.01 with this order exceeds credit limit 50000");
}

TEST_F(PreTradeTest, ClientCreditIsPerClient) {
  ASSERT_TRUE(risk_
                  ->OnOrderAccepted(core::OrderId(1), core::ClientId("OTHER"),
                                    core::ClientOrderId("A"), core::Quantity(10), Dollars(50'000))
                  .ok());
  OrderCheckRequest r = Baseline();
  r.notional = Dollars(50'000);
  EXPECT_TRUE(Check(r).allowed());
}

TEST_F(PreTradeTest, ClientCreditUsesTheClientsOwnLimitOverTheDefault) {
  RiskLimits limits = TestLimits();
  limits.client_credit_limits[core::ClientId("BRK1")] = Dollars(2'000);
  Rebuild(limits);
  OrderCheckRequest r = Baseline();
  r.notional = Dollars(2'000);
  EXPECT_TRUE(Check(r).allowed());
  r.notional = Dollars(2'001);
  EXPECT_EQ(Check(r).rule(), RiskRule::kClientCreditLimit);
}

TEST_F(PreTradeTest, ClientCreditWithoutADefaultIsUnlimitedForUnlistedClients) {
  RiskLimits limits = TestLimits();
  limits.default_client_credit_limit.reset();
  Rebuild(limits);
  ASSERT_TRUE(risk_
                  ->OnOrderAccepted(core::OrderId(1), core::ClientId("BRK1"),
                                    core::ClientOrderId("A"), core::Quantity(1), Dollars(900'000))
                  .ok());
  OrderCheckRequest r = Baseline();
  r.notional = Dollars(900'000);
  EXPECT_TRUE(Check(r).allowed());
}

TEST_F(PreTradeTest, ClientCreditIsReleasedWhenAnOrderFinishes) {
  ASSERT_TRUE(risk_
                  ->OnOrderAccepted(core::OrderId(1), core::ClientId("BRK1"),
                                    core::ClientOrderId("A"), core::Quantity(10), Dollars(50'000))
                  .ok());
  OrderCheckRequest r = Baseline();
  EXPECT_EQ(Check(r).rule(), RiskRule::kClientCreditLimit);
  ASSERT_TRUE(risk_->OnOrderFinished(core::OrderId(1)).ok());
  EXPECT_TRUE(Check(r).allowed());
}

TEST_F(PreTradeTest, ClientCreditShrinksInProportionToFills) {
  ASSERT_TRUE(risk_
                  ->OnOrderAccepted(core::OrderId(1), core::ClientId("BRK1"),
                                    core::ClientOrderId("A"), core::Quantity(10), Dollars(50'000))
                  .ok());
  ASSERT_TRUE(risk_->OnFill(core::OrderId(1), core::Quantity(4)).ok());
  EXPECT_EQ(risk_->clients().OpenNotional(core::ClientId("BRK1")), Dollars(30'000));
  OrderCheckRequest r = Baseline();
  r.notional = Dollars(20'000);
  EXPECT_TRUE(Check(r).allowed());
}

TEST_F(PreTradeTest, ClientCreditOnAReplaceCountsTheNewNotionalInsteadOfTheOld) {
  ASSERT_TRUE(risk_
                  ->OnOrderAccepted(core::OrderId(1), core::ClientId("BRK1"),
                                    core::ClientOrderId("A"), core::Quantity(10), Dollars(40'000))
                  .ok());
  OrderCheckRequest r = Baseline("A2");
  r.replaces = core::OrderId(1);
  r.notional = Dollars(50'000);
  EXPECT_TRUE(Check(r).allowed());
  ASSERT_TRUE(risk_
                  ->OnOrderReplaced(core::OrderId(1), core::ClientOrderId("A2"), core::Quantity(12),
                                    Dollars(50'000))
                  .ok());
  EXPECT_EQ(risk_->clients().OpenNotional(core::ClientId("BRK1")), Dollars(50'000));
  r = Baseline("A3");
  r.replaces = core::OrderId(1);
  r.notional = Dollars(50'000) + Cents(1);
  EXPECT_EQ(Check(r).rule(), RiskRule::kClientCreditLimit);
}

// --- Duplicate ClOrdID: per client, over the trading day, bounded memory. ---
TEST_F(PreTradeTest, DuplicateClientOrderIdOfAnAcceptedOrderIsDenied) {
  ASSERT_TRUE(risk_
                  ->OnOrderAccepted(core::OrderId(1), core::ClientId("BRK1"),
                                    core::ClientOrderId("C1"), core::Quantity(10), Dollars(1'000))
                  .ok());
  const RiskDecision d = Check(Baseline("C1"));
  ASSERT_TRUE(d.denied());
  EXPECT_EQ(d.rule(), RiskRule::kDuplicateClientOrderId);
  EXPECT_EQ(d.Describe(), "duplicate ClOrdID: already used by this client today");
}

TEST_F(PreTradeTest, DuplicateClientOrderIdStaysUsedAfterTheOrderFinishes) {
  ASSERT_TRUE(risk_
                  ->OnOrderAccepted(core::OrderId(1), core::ClientId("BRK1"),
                                    core::ClientOrderId("C1"), core::Quantity(10), Dollars(1'000))
                  .ok());
  ASSERT_TRUE(risk_->OnOrderFinished(core::OrderId(1)).ok());
  EXPECT_EQ(Check(Baseline("C1")).rule(), RiskRule::kDuplicateClientOrderId);
}

TEST_F(PreTradeTest, DuplicateClientOrderIdIsPerClient) {
  ASSERT_TRUE(risk_
                  ->OnOrderAccepted(core::OrderId(1), core::ClientId("OTHER"),
                                    core::ClientOrderId("C1"), core::Quantity(10), Dollars(1'000))
                  .ok());
  EXPECT_TRUE(Check(Baseline("C1")).allowed());
}

TEST_F(PreTradeTest, DuplicateClientOrderIdCoversAReplacesOwnId) {
  ASSERT_TRUE(risk_
                  ->OnOrderAccepted(core::OrderId(1), core::ClientId("BRK1"),
                                    core::ClientOrderId("A"), core::Quantity(10), Dollars(1'000))
                  .ok());
  ASSERT_TRUE(risk_
                  ->OnOrderReplaced(core::OrderId(1), core::ClientOrderId("A2"), core::Quantity(5),
                                    Dollars(500))
                  .ok());
  EXPECT_EQ(Check(Baseline("A2")).rule(), RiskRule::kDuplicateClientOrderId);
}

TEST_F(PreTradeTest, DuplicateClientOrderIdsAreForgottenOnANewTradingDay) {
  ASSERT_TRUE(risk_
                  ->OnOrderAccepted(core::OrderId(1), core::ClientId("BRK1"),
                                    core::ClientOrderId("C1"), core::Quantity(10), Dollars(1'000))
                  .ok());
  risk_->StartTradingDay();
  EXPECT_TRUE(Check(Baseline("C1")).allowed());
  // The working order's notional is still reserved.
  EXPECT_EQ(risk_->clients().OpenNotional(core::ClientId("BRK1")), Dollars(1'000));
}

TEST_F(PreTradeTest, DuplicateClientOrderIdMemoryIsBoundedAndForgetsTheOldestFirst) {
  RiskLimits limits = TestLimits();
  limits.max_remembered_client_order_ids = 3;
  limits.default_client_credit_limit.reset();
  Rebuild(limits);
  for (int i = 1; i <= 4; ++i) {
    ASSERT_TRUE(risk_
                    ->OnOrderAccepted(core::OrderId(i), core::ClientId("BRK1"),
                                      core::ClientOrderId("ID" + std::to_string(i)),
                                      core::Quantity(1), Dollars(1))
                    .ok());
  }
  EXPECT_EQ(risk_->clients().remembered_ids(core::ClientId("BRK1")), 3u);
  EXPECT_TRUE(Check(Baseline("ID1")).allowed());
  EXPECT_EQ(Check(Baseline("ID2")).rule(), RiskRule::kDuplicateClientOrderId);
  EXPECT_EQ(Check(Baseline("ID4")).rule(), RiskRule::kDuplicateClientOrderId);
}

// --- Instrument not allowed. ---
TEST_F(PreTradeTest, InstrumentOnTheBlockListIsDenied) {
  RiskLimits limits = TestLimits();
  limits.blocked_instruments = {core::InstrumentId(9), core::InstrumentId(2)};
  Rebuild(limits);
  const RiskDecision d = Check(Baseline());
  ASSERT_TRUE(d.denied());
  EXPECT_EQ(d.rule(), RiskRule::kInstrumentNotAllowed);
  EXPECT_EQ(d.Describe(), "instrument #2 is not allowed");
}

TEST_F(PreTradeTest, InstrumentOffANonEmptyAllowListIsDenied) {
  RiskLimits limits = TestLimits();
  limits.allowed_instruments = {core::InstrumentId(1), core::InstrumentId(3)};
  Rebuild(limits);
  EXPECT_EQ(Check(Baseline()).subject(), RiskValue::Of(core::InstrumentId(2)));
  limits.allowed_instruments.push_back(core::InstrumentId(2));
  Rebuild(limits);
  EXPECT_TRUE(Check(Baseline()).allowed());
}

// --- Venue not available. ---
TEST_F(PreTradeTest, VenueNotAvailableWhenNoneOfTheOrdersVenuesIs) {
  risk_->SetVenueStatus(core::VenueId(1), VenueStatus::kUnavailable);
  const RiskDecision d = Check(Baseline());
  ASSERT_TRUE(d.denied());
  EXPECT_EQ(d.rule(), RiskRule::kVenueNotAvailable);
  EXPECT_EQ(d.Describe(), "none of the order's 1 venues is available");
}

TEST_F(PreTradeTest, VenueOneAvailableVenueIsEnough) {
  venues_ = {core::VenueId(7), core::VenueId(1)};
  EXPECT_TRUE(Check(Baseline()).allowed());
}

TEST_F(PreTradeTest, VenueNeverReportedIsUnavailable) {
  venues_ = {core::VenueId(7)};
  EXPECT_EQ(Check(Baseline()).rule(), RiskRule::kVenueNotAvailable);
}

// --- Trading state. ---
TEST_F(PreTradeTest, TradingHaltedDeniesEveryOrder) {
  ASSERT_TRUE(risk_->SetTradingState(TradingState::kHalted, Operator("incident")).ok());
  const RiskDecision d = Check(Baseline());
  ASSERT_TRUE(d.denied());
  EXPECT_EQ(d.rule(), RiskRule::kTradingHalted);
  EXPECT_EQ(d.Describe(), "trading is halted");
}

TEST_F(PreTradeTest, TradingReducingStillAcceptsOrdersToRestNatively) {
  ASSERT_TRUE(risk_->SetTradingState(TradingState::kReducing, Operator("de-risk")).ok());
  EXPECT_TRUE(Check(Baseline()).allowed());
}

// --- Order of the rules, events and counters. ---
TEST_F(PreTradeTest, RulesRunInTheirFixedOrderAndTheFirstDenialWins) {
  OrderCheckRequest r = Baseline();
  r.quantity = core::Quantity(5'000);
  r.notional = Dollars(2'000'000);
  EXPECT_EQ(Check(r).rule(), RiskRule::kMaxComboQuantity);
  ASSERT_TRUE(risk_->SetTradingState(TradingState::kHalted, Operator("incident")).ok());
  EXPECT_EQ(Check(r).rule(), RiskRule::kTradingHalted);
  std::vector<RiskRule> order;
  for (const PreTradeRule& rule : kPreTradeRules) order.push_back(rule.rule);
  EXPECT_EQ(order, (std::vector<RiskRule>{
                       RiskRule::kTradingHalted, RiskRule::kDuplicateClientOrderId,
                       RiskRule::kInstrumentNotAllowed, RiskRule::kMaxLegs,
                       RiskRule::kMaxComboQuantity, RiskRule::kMaxNotional, RiskRule::kPriceCollar,
                       RiskRule::kVenueNotAvailable, RiskRule::kClientCreditLimit}));
}

TEST_F(PreTradeTest, DenialsAreEventsWithTheirReasonAndAreCountedByReason) {
  OrderCheckRequest r = Baseline("Q1");
  r.quantity = core::Quantity(1'001);
  Check(r);
  r.client_order_id = core::ClientOrderId("Q2");
  Check(r);
  OrderCheckRequest n = Baseline("N1");
  n.notional = Dollars(1'000'001);
  Check(n);
  Check(Baseline("OK"));
  EXPECT_EQ(risk_->metrics().denials(RiskRule::kMaxComboQuantity), 2.0);
  EXPECT_EQ(risk_->metrics().denials(RiskRule::kMaxNotional), 1.0);
  EXPECT_EQ(risk_->metrics().denials(RiskRule::kPriceCollar), 0.0);
  ASSERT_EQ(listener_.order_denials.size(), 3u);
  EXPECT_EQ(listener_.order_denials[2].rule(), RiskRule::kMaxNotional);
  EXPECT_EQ(listener_.denied_client_order_ids, (std::vector<std::string>{"Q1", "Q2", "N1"}));
}

TEST(PreTradeRules, EachRuleIsAFunctionUsableOnItsOwn) {
  const RiskLimits limits = TestLimits();
  const InstrumentFilter instruments(limits);
  const ClientBook clients(10);
  const VenueAvailability venues;
  const PreTradeContext ctx{limits, instruments, TradingState::kActive, clients, venues};
  const std::vector<core::ComboLeg> legs(5, core::ComboLeg{});
  OrderCheckRequest r;
  r.legs = legs;
  r.quantity = core::Quantity(1'000);
  EXPECT_EQ(CheckMaxLegs(r, ctx).rule(), RiskRule::kMaxLegs);
  EXPECT_TRUE(CheckMaxComboQuantity(r, ctx).allowed());
  EXPECT_EQ(CheckVenueAvailable(r, ctx).rule(), RiskRule::kVenueNotAvailable);
  EXPECT_TRUE(CheckTradingNotHalted(r, ctx).allowed());
}

// --- Malformed requests are errors, not denials, and change nothing. ---
TEST_F(PreTradeTest, MalformedRequestsAreErrorsAndNotCounted) {
  std::vector<OrderCheckRequest> bad(7, Baseline());
  bad[0].legs = {};
  bad[1].venues = {};
  bad[2].quantity = core::Quantity(0);
  bad[3].notional = -Dollars(1);
  bad[4].combo_tick = core::Price::Zero();
  bad[5].replaces = core::OrderId(42);
  bad[6].client_order_id = core::ClientOrderId("");
  for (const OrderCheckRequest& r : bad) {
    EXPECT_FALSE(risk_->CheckOrder(r).ok());
  }
  EXPECT_EQ(risk_->CheckOrder(bad[2]).status().message(),
            "risk check: quantity must be positive, got 0");
  EXPECT_EQ(risk_->CheckOrder(bad[5]).status().message(),
            "risk check: replaced order 42 is not working");
  EXPECT_TRUE(listener_.order_denials.empty());
  for (RiskRule rule : kAllRiskRules) EXPECT_EQ(risk_->metrics().denials(rule), 0.0);
}

TEST_F(PreTradeTest, ReplaceOfAnotherClientsOrderIsAnError) {
  ASSERT_TRUE(risk_
                  ->OnOrderAccepted(core::OrderId(1), core::ClientId("OTHER"),
                                    core::ClientOrderId("A"), core::Quantity(10), Dollars(1'000))
                  .ok());
  OrderCheckRequest r = Baseline();
  r.replaces = core::OrderId(1);
  EXPECT_EQ(risk_->CheckOrder(r).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(PreTradeTest, OrderBookkeepingRejectsBadInputAndChangesNothing) {
  ASSERT_TRUE(risk_
                  ->OnOrderAccepted(core::OrderId(1), core::ClientId("BRK1"),
                                    core::ClientOrderId("A"), core::Quantity(10), Dollars(1'000))
                  .ok());
  EXPECT_EQ(risk_
                ->OnOrderAccepted(core::OrderId(1), core::ClientId("BRK1"),
                                  core::ClientOrderId("B"), core::Quantity(10), Dollars(1'000))
                .code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_FALSE(risk_
                   ->OnOrderAccepted(core::OrderId(2), core::ClientId("BRK1"),
                                     core::ClientOrderId("B"), core::Quantity(0), Dollars(1'000))
                   .ok());
  EXPECT_FALSE(risk_->OnFill(core::OrderId(1), core::Quantity(11)).ok());
  EXPECT_FALSE(risk_->OnFill(core::OrderId(9), core::Quantity(1)).ok());
  EXPECT_FALSE(risk_->OnOrderFinished(core::OrderId(9)).ok());
  EXPECT_FALSE(risk_
                   ->OnOrderReplaced(core::OrderId(1), core::ClientOrderId("C"), core::Quantity(5),
                                     -Dollars(1))
                   .ok());
  EXPECT_EQ(risk_->clients().OpenNotional(core::ClientId("BRK1")), Dollars(1'000));
  EXPECT_EQ(risk_->clients().working_orders(), 1u);
  EXPECT_TRUE(Check(Baseline("B")).allowed());
  EXPECT_TRUE(Check(Baseline("C")).allowed());
}

TEST_F(PreTradeTest, FillsRoundTheRemainingReservationUp) {
  ASSERT_TRUE(risk_
                  ->OnOrderAccepted(core::OrderId(1), core::ClientId("BRK1"),
                                    core::ClientOrderId("A"), core::Quantity(3),
                                    core::Money::FromRaw(10))
                  .ok());
  ASSERT_TRUE(risk_->OnFill(core::OrderId(1), core::Quantity(1)).ok());
  // 10 x 2 / 3 = 6.67 -> 7 (raw units): never under-counted.
  EXPECT_EQ(risk_->clients().OpenNotional(core::ClientId("BRK1")), core::Money::FromRaw(7));
  ASSERT_TRUE(risk_->OnFill(core::OrderId(1), core::Quantity(2)).ok());
  EXPECT_EQ(risk_->clients().OpenNotional(core::ClientId("BRK1")), core::Money::Zero());
}

}  // namespace
}  // namespace combo::risk
