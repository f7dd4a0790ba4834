#include "accounts/ledger.h"

#include "accounts/commission.h"
#include "accounts/test_util.h"
#include "gtest/gtest.h"

namespace combo::accounts {
namespace {

using core::Side;
using testing::P;
using testing::T;

class LedgerTest : public ::testing::Test {
 protected:
  absl::Status Apply(const JournalEvent& event) {
    return ledger_.Apply(ledger_.last_sequence() + 1, event);
  }
  void MustApply(const JournalEvent& event) {
    absl::Status status = Apply(event);
    ASSERT_TRUE(status.ok()) << status;
  }
  // Applies an event that must be refused, and checks that it changed nothing.
  absl::Status Refused(const JournalEvent& event) {
    const Ledger before = ledger_;
    absl::Status status = Apply(event);
    EXPECT_FALSE(status.ok());
    EXPECT_TRUE(ledger_ == before) << "a refused event changed the ledger";
    return status;
  }
  const Position* ClientPosition(const std::string& account, SubAccount sub, uint32_t id) {
    auto client = ledger_.clients().find(core::AccountId(account));
    if (client == ledger_.clients().end()) return nullptr;
    auto sub_it = client->second.sub_accounts.find(sub);
    if (sub_it == client->second.sub_accounts.end()) return nullptr;
    auto it = sub_it->second.find(core::InstrumentId(id));
    return it == sub_it->second.end() ? nullptr : &it->second;
  }

  Ledger ledger_;
};

// Seed 003 E11: leg A filled 10, leg B (1:1) filled 6, then B cannot be completed.
TEST_F(LedgerTest, UnmatchedLegExecutionsGoToTheErrorAccountAndTheClientGetsWholeUnits) {
  MustApply(testing::Vertical(1, 10));
  MustApply(testing::Fill(1, 1, Side::kBuy, 10, P(3), "A-1"));
  MustApply(testing::Fill(1, 2, Side::kSell, 6, P(1), "B-1"));
  MustApply(testing::ComboFill(1, 6, P(2),
                               {{core::InstrumentId(1), P(3)}, {core::InstrumentId(2), P(1)}}));
  MustApply(testing::ToErrorAccount(1, 1, Side::kBuy, 4, P(3), "leg B cannot be completed"));

  const OrderRecord* order = ledger_.FindOrder(core::OrderId(1));
  ASSERT_NE(order, nullptr);
  EXPECT_EQ(order->filled, core::Quantity(6));
  EXPECT_EQ(order->state, OrderState::kPartiallyFilled);
  // The client's remaining 4 are still open for the router to resubmit.
  EXPECT_EQ(order->quantity - order->filled, core::Quantity(4));

  const Position* a = ClientPosition("ACME", SubAccount::kOptions, 1);
  const Position* b = ClientPosition("ACME", SubAccount::kOptions, 2);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->quantity(), core::SignedQuantity(6));
  EXPECT_EQ(b->quantity(), core::SignedQuantity(-6));

  const auto& error = ledger_.error_account();
  ASSERT_EQ(error.positions.size(), 1u);
  EXPECT_EQ(error.positions.at(core::InstrumentId(1)).quantity(), core::SignedQuantity(4));
  ASSERT_EQ(error.bookings.size(), 1u);
  EXPECT_EQ(error.bookings[0].booking.order, core::OrderId(1));
  EXPECT_EQ(error.bookings[0].booking.reason, "leg B cannot be completed");
  EXPECT_EQ(error.bookings[0].booking.price, P(3));
  EXPECT_TRUE(ledger_.Reconcile().ok()) << ledger_.Reconcile();
}

TEST_F(LedgerTest, ComboFillIsOneTradeWithLegsInTheirAssetClassSubAccounts) {
  OrderAccepted order = testing::Vertical(1, 2);
  order.legs = {testing::StockLeg(5, "SPY", 100, Side::kBuy),
                testing::CallLeg(6, "SPY C 460", 1, Side::kSell),
                testing::FutureLeg(7, "ESZ6", 1, Side::kSell)};
  MustApply(order);
  MustApply(testing::Fill(1, 5, Side::kBuy, 200, P(450), "s"));
  MustApply(testing::Fill(1, 6, Side::kSell, 2, P(4), "o"));
  MustApply(testing::Fill(1, 7, Side::kSell, 2, P(4500), "f"));
  MustApply(testing::ComboFill(1, 2, P(1),
                               {{core::InstrumentId(5), P(450)},
                                {core::InstrumentId(6), P(4)},
                                {core::InstrumentId(7), P(4500)}}));
  const ClientAccount& client = ledger_.clients().at(core::AccountId("ACME"));
  ASSERT_EQ(client.trades.size(), 1u);
  const Trade& trade = client.trades[0];
  EXPECT_EQ(trade.units, core::Quantity(2));
  ASSERT_EQ(trade.legs.size(), 3u);
  EXPECT_EQ(trade.legs[0].sub_account, SubAccount::kSecurities);
  EXPECT_EQ(trade.legs[0].quantity, core::Quantity(200));
  EXPECT_EQ(trade.legs[1].sub_account, SubAccount::kOptions);
  EXPECT_EQ(trade.legs[2].sub_account, SubAccount::kFutures);
  EXPECT_EQ(ClientPosition("ACME", SubAccount::kSecurities, 5)->quantity(),
            core::SignedQuantity(200));
  EXPECT_EQ(ClientPosition("ACME", SubAccount::kOptions, 6)->quantity(), core::SignedQuantity(-2));
  EXPECT_EQ(ClientPosition("ACME", SubAccount::kFutures, 7)->quantity(), core::SignedQuantity(-2));
  EXPECT_EQ(ClientPosition("ACME", SubAccount::kOptions, 5), nullptr);
  EXPECT_EQ(ledger_.FindOrder(core::OrderId(1))->state, OrderState::kFilled);
  EXPECT_TRUE(ledger_.Reconcile().ok()) << ledger_.Reconcile();
}

TEST_F(LedgerTest, SellingTheComboTradesEveryLegOnTheOppositeSide) {
  MustApply(testing::Vertical(1, 1, Side::kSell));
  EXPECT_FALSE(Refused(testing::Fill(1, 1, Side::kBuy, 1, P(3), "wrong")).ok());
  MustApply(testing::Fill(1, 1, Side::kSell, 1, P(3), "a"));
  MustApply(testing::Fill(1, 2, Side::kBuy, 1, P(1), "b"));
  MustApply(testing::ComboFill(1, 1, P(2),
                               {{core::InstrumentId(1), P(3)}, {core::InstrumentId(2), P(1)}}));
  EXPECT_EQ(ClientPosition("ACME", SubAccount::kOptions, 1)->quantity(), core::SignedQuantity(-1));
  EXPECT_EQ(ClientPosition("ACME", SubAccount::kOptions, 2)->quantity(), core::SignedQuantity(1));
}

TEST_F(LedgerTest, ComboFillNeedsItsLegsExecutedFirst) {
  MustApply(testing::Vertical(1, 5));
  MustApply(testing::Fill(1, 1, Side::kBuy, 5, P(3), "a"));
  MustApply(testing::Fill(1, 2, Side::kSell, 2, P(1), "b"));
  absl::Status status = Refused(testing::ComboFill(
      1, 3, P(2), {{core::InstrumentId(1), P(3)}, {core::InstrumentId(2), P(1)}}));
  EXPECT_NE(status.message().find("needs 3 of leg B but only 2"), std::string::npos) << status;
}

TEST_F(LedgerTest, ParentIsNeverOverFilled) {
  MustApply(testing::Vertical(1, 2));
  MustApply(testing::Fill(1, 1, Side::kBuy, 3, P(3), "a"));
  MustApply(testing::Fill(1, 2, Side::kSell, 3, P(1), "b"));
  absl::Status status = Refused(testing::ComboFill(
      1, 3, P(2), {{core::InstrumentId(1), P(3)}, {core::InstrumentId(2), P(1)}}));
  EXPECT_NE(status.message().find("over-fill"), std::string::npos) << status;
}

TEST_F(LedgerTest, ComboFillMustPriceEveryLegExactlyOnce) {
  MustApply(testing::Vertical(1, 2));
  MustApply(testing::Fill(1, 1, Side::kBuy, 1, P(3), "a"));
  MustApply(testing::Fill(1, 2, Side::kSell, 1, P(1), "b"));
  EXPECT_FALSE(Refused(testing::ComboFill(1, 1, P(2), {{core::InstrumentId(1), P(3)}})).ok());
  EXPECT_FALSE(
      Refused(testing::ComboFill(1, 1, P(2),
                                 {{core::InstrumentId(1), P(3)}, {core::InstrumentId(9), P(1)}}))
          .ok());
}

TEST_F(LedgerTest, AVenueExecutionIsBookedOnce) {
  MustApply(testing::Vertical(1, 2));
  MustApply(testing::Fill(1, 1, Side::kBuy, 1, P(3), "E-1"));
  absl::Status status = Refused(testing::Fill(1, 1, Side::kBuy, 1, P(3), "E-1"));
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(LedgerTest, FillsForUnknownOrdersOrInstrumentsAreRefused) {
  MustApply(testing::Vertical(1, 2));
  EXPECT_EQ(Refused(testing::Fill(9, 1, Side::kBuy, 1, P(3), "x")).code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(Refused(testing::Fill(1, 3, Side::kBuy, 1, P(3), "y")).ok());
  EXPECT_FALSE(Refused(testing::Fill(1, 1, Side::kBuy, 0, P(3), "z")).ok());
}

TEST_F(LedgerTest, MalformedOrdersAreRefused) {
  OrderAccepted one_leg = testing::Vertical(1, 1);
  one_leg.legs.pop_back();
  EXPECT_FALSE(Refused(one_leg).ok());
  OrderAccepted twice = testing::Vertical(1, 1);
  twice.legs[1].instrument = twice.legs[0].instrument;
  EXPECT_FALSE(Refused(twice).ok());
  EXPECT_FALSE(Refused(testing::Vertical(1, 0)).ok());
  MustApply(testing::Vertical(1, 1));
  EXPECT_EQ(Refused(testing::Vertical(1, 1)).code(), absl::StatusCode::kAlreadyExists);
  OrderAccepted contradicting = testing::Vertical(2, 1);
  contradicting.legs[0].multiplier = 10;
  EXPECT_FALSE(Refused(contradicting).ok());
}

TEST_F(LedgerTest, ErrorAccountTakesOnlyUnallocatedExecutions) {
  MustApply(testing::Vertical(1, 2));
  MustApply(testing::Fill(1, 1, Side::kBuy, 2, P(3), "a"));
  EXPECT_FALSE(Refused(testing::ToErrorAccount(1, 1, Side::kBuy, 3, P(3))).ok());
  EXPECT_FALSE(Refused(testing::ToErrorAccount(1, 2, Side::kSell, 1, P(1))).ok());
  EXPECT_FALSE(Refused(testing::ToErrorAccount(1, 1, Side::kSell, 1, P(3))).ok());
  MustApply(testing::ToErrorAccount(1, 1, Side::kBuy, 2, P(3)));
  EXPECT_TRUE(ledger_.Reconcile().ok());
}

TEST_F(LedgerTest, FillRacingACancelIsStillBooked) {
  MustApply(testing::Vertical(1, 2));
  MustApply(OrderCancelled{core::OrderId(1), "client request", T(5)});
  EXPECT_EQ(ledger_.FindOrder(core::OrderId(1))->state, OrderState::kCancelled);
  MustApply(testing::Fill(1, 1, Side::kBuy, 1, P(3), "late"));
  MustApply(testing::ToErrorAccount(1, 1, Side::kBuy, 1, P(3), "fill after cancel"));
  EXPECT_FALSE(Refused(OrderCancelled{core::OrderId(1), "again", T(6)}).ok());
  EXPECT_TRUE(ledger_.Reconcile().ok());
}

TEST_F(LedgerTest, ReplaceChangesTermsButNotBelowTheFilledQuantity) {
  MustApply(testing::Vertical(1, 5));
  MustApply(testing::Fill(1, 1, Side::kBuy, 2, P(3), "a"));
  MustApply(testing::Fill(1, 2, Side::kSell, 2, P(1), "b"));
  MustApply(testing::ComboFill(1, 2, P(2),
                               {{core::InstrumentId(1), P(3)}, {core::InstrumentId(2), P(1)}}));
  EXPECT_FALSE(Refused(OrderReplaced{core::OrderId(1), core::ClientOrderId("CL1R"),
                                     core::Quantity(1), P(2), T(5)})
                   .ok());
  MustApply(
      OrderReplaced{core::OrderId(1), core::ClientOrderId("CL1R"), core::Quantity(2), P(3), T(5)});
  const OrderRecord* order = ledger_.FindOrder(core::OrderId(1));
  EXPECT_EQ(order->state, OrderState::kFilled);
  EXPECT_EQ(order->client_order, core::ClientOrderId("CL1R"));
  EXPECT_EQ(order->limit, P(3));
  EXPECT_FALSE(Refused(OrderReplaced{core::OrderId(1), core::ClientOrderId("CL1S"),
                                     core::Quantity(4), P(3), T(6)})
                   .ok());
}

TEST_F(LedgerTest, UnwindFillCloseButNeverOpensOrFlipsAnErrorPosition) {
  MustApply(testing::Vertical(1, 5));
  MustApply(testing::Fill(1, 1, Side::kBuy, 4, P(3), "a"));
  MustApply(testing::ToErrorAccount(1, 1, Side::kBuy, 4, P(3)));
  ErrorAccountBooking unwind{ErrorBookingKind::kUnwindFill,
                             core::OrderId(900),
                             core::InstrumentId(1),
                             Side::kSell,
                             core::Quantity(5),
                             P(3, 500'000'000),
                             "unwind",
                             T(9)};
  EXPECT_FALSE(Refused(unwind).ok());
  unwind.side = Side::kBuy;
  unwind.quantity = core::Quantity(1);
  EXPECT_FALSE(Refused(unwind).ok());
  unwind.instrument = core::InstrumentId(2);
  unwind.side = Side::kSell;
  EXPECT_FALSE(Refused(unwind).ok());
  unwind.instrument = core::InstrumentId(1);
  unwind.quantity = core::Quantity(3);
  MustApply(unwind);
  const Position& position = ledger_.error_account().positions.at(core::InstrumentId(1));
  EXPECT_EQ(position.quantity(), core::SignedQuantity(1));
  // (3.50 - 3) x 3 x 100.
  EXPECT_EQ(position.realized(), core::Money::FromPrice(P(150)));
  EXPECT_TRUE(ledger_.Reconcile().ok()) << ledger_.Reconcile();
}

TEST_F(LedgerTest, ReplayRebuildsTheSameLedgerAndNamesAnEventThatDoesNotApply) {
  std::vector<StoredEvent> events = {
      {1, testing::Vertical(1, 2)},
      {2, testing::Fill(1, 1, Side::kBuy, 2, P(3), "a")},
      {3, testing::ToErrorAccount(1, 1, Side::kBuy, 2, P(3))},
  };
  for (const StoredEvent& e : events) MustApply(e.event);
  auto replayed = ReplayJournal(events);
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_TRUE(*replayed == ledger_);

  events.push_back({4, testing::ToErrorAccount(1, 1, Side::kBuy, 1, P(3))});
  auto broken = ReplayJournal(events);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(broken.status().message().find("journal event 4 (error_account_booking)"),
            std::string::npos)
      << broken.status();
}

TEST(CommissionScheduleTest, ChargesPerTradeUnitAndLegContractWithAMinimum) {
  CommissionSchedule schedule;
  schedule.per_trade = core::Money::FromPrice(P(1));
  schedule.per_combo_unit = P(0, 100'000'000);
  schedule.per_leg_contract[SubAccount::kOptions] = P(0, 650'000'000);
  schedule.per_leg_contract[SubAccount::kSecurities] = P(0, 5'000'000);
  const std::vector<LegTerms> legs = {testing::StockLeg(1, "SPY", 100, Side::kBuy),
                                      testing::CallLeg(2, "C", 1, Side::kSell)};
  // 1 + 0.10 x 3 + 0.005 x 300 + 0.65 x 3 = 4.75.
  EXPECT_EQ(schedule.ChargeFor(legs, core::Quantity(3)), core::Money::FromPrice(P(4, 750'000'000)));
  schedule.minimum = core::Money::FromPrice(P(10));
  EXPECT_EQ(schedule.ChargeFor(legs, core::Quantity(3)), core::Money::FromPrice(P(10)));
  EXPECT_TRUE(schedule.ChargeFor(legs, core::Quantity(0)).is_zero());
  EXPECT_TRUE(schedule.Validate().ok());
  schedule.per_leg_contract[SubAccount::kFutures] = P(-1);
  EXPECT_NE(schedule.Validate().message().find("futures"), std::string::npos);
}

}  // namespace
}  // namespace combo::accounts
