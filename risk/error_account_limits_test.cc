#include "risk/error_account_limits.h"

#include <string>

#include "gtest/gtest.h"
#include "risk/risk_test_fixture.h"

namespace combo::risk {
namespace {

using ::combo::risk::testing::Operator;
using ::combo::risk::testing::RiskTest;

// Limits of the fixture: 500 per instrument, 800 total, loss 25000 -> reducing, 100000 -> halted.
class ErrorAccountTest : public RiskTest {
 protected:
  void Position(uint32_t instrument, int64_t contracts) {
    risk_->OnErrorAccountPosition(core::InstrumentId(instrument), core::SignedQuantity(contracts));
  }
  double BreachGauge(const std::string& limit) {
    for (const auto& family : registry_->Collect()) {
      if (family.name != "combo_risk_error_account_breach") continue;
      for (const auto& metric : family.metric) {
        for (const auto& label : metric.label) {
          if (label.value == limit) return metric.gauge.value;
        }
      }
    }
    return -1.0;
  }
};

TEST_F(ErrorAccountTest, PositionExactlyAtTheLimitIsNotABreach) {
  Position(7, 500);
  Position(8, -300);
  EXPECT_EQ(risk_->trading_state(), TradingState::kActive);
  EXPECT_TRUE(listener_.breaches.empty());
}

TEST_F(ErrorAccountTest, PositionOneOverMovesTradingToReducingAndRaisesTheAlert) {
  Position(7, 501);
  EXPECT_EQ(risk_->trading_state(), TradingState::kReducing);
  ASSERT_EQ(listener_.breaches.size(), 1u);
  EXPECT_EQ(listener_.breaches[0].transition, BreachTransition::kRaised);
  EXPECT_EQ(listener_.breaches[0].breach.Describe(),
            "error-account position 501 in #7 exceeds limit 500");
  ASSERT_EQ(listener_.state_changes.size(), 1u);
  const TradingStateChange& change = listener_.state_changes[0];
  EXPECT_EQ(change.from, TradingState::kActive);
  EXPECT_EQ(change.to, TradingState::kReducing);
  EXPECT_EQ(change.cause.kind, StateChangeCause::Kind::kBreach);
  EXPECT_EQ(change.cause.breach.rule(), RiskRule::kErrorAccountPosition);
  EXPECT_EQ(change.cause.Describe(), "breach: error-account position 501 in #7 exceeds limit 500");
  EXPECT_EQ(change.time, time_.Now());
  EXPECT_EQ(BreachGauge("error_account_position"), 1.0);
  EXPECT_EQ(risk_->metrics().error_account_breaches(RiskRule::kErrorAccountPosition), 1.0);
  // Reducing does not cancel resting orders.
  EXPECT_TRUE(control_.cancels.empty());
}

TEST_F(ErrorAccountTest, AShortPositionCountsByItsSize) {
  Position(7, -501);
  EXPECT_EQ(risk_->trading_state(), TradingState::kReducing);
}

TEST_F(ErrorAccountTest, TotalPositionAtTheLimitIsFineAndOneOverBreaches) {
  Position(1, 400);
  Position(2, -400);
  EXPECT_EQ(risk_->trading_state(), TradingState::kActive);
  Position(3, 1);
  EXPECT_EQ(risk_->trading_state(), TradingState::kReducing);
  ASSERT_EQ(listener_.breaches.size(), 1u);
  EXPECT_EQ(listener_.breaches[0].breach.Describe(),
            "error-account total position 801 exceeds limit 800");
}

TEST_F(ErrorAccountTest, LossAtTheLimitIsFineAndTheSmallestAmountOverReduces) {
  risk_->OnErrorAccountPnl(-Dollars(25'000));
  EXPECT_EQ(risk_->trading_state(), TradingState::kActive);
  risk_->OnErrorAccountPnl(-Dollars(25'000) - core::Money::FromRaw(1));
  EXPECT_EQ(risk_->trading_state(), TradingState::kReducing);
  EXPECT_EQ(listener_.state_changes.at(0).cause.breach.rule(), RiskRule::kErrorAccountLoss);
  EXPECT_EQ(BreachGauge("error_account_loss"), 1.0);
}

TEST_F(ErrorAccountTest, AProfitIsNeverALossBreach) {
  risk_->OnErrorAccountPnl(Dollars(1'000'000));
  EXPECT_EQ(risk_->trading_state(), TradingState::kActive);
}

TEST_F(ErrorAccountTest, HaltLossHaltsAndCancelsRestingNativeOrders) {
  risk_->OnErrorAccountPnl(-Dollars(100'000));
  EXPECT_EQ(risk_->trading_state(), TradingState::kReducing);
  risk_->OnErrorAccountPnl(-Dollars(100'001));
  EXPECT_EQ(risk_->trading_state(), TradingState::kHalted);
  ASSERT_EQ(control_.cancels.size(), 1u);
  ASSERT_EQ(control_.stops.size(), 1u);
  EXPECT_EQ(control_.cancels[0].cause.breach.rule(), RiskRule::kErrorAccountHaltLoss);
  EXPECT_EQ(listener_.state_changes.back().cause.Describe(),
            "breach: error-account loss 100001 exceeds halt loss 100000");
}

TEST_F(ErrorAccountTest, AHaltLossFromActiveGoesStraightToHalted) {
  risk_->OnErrorAccountPnl(-Dollars(200'000));
  ASSERT_EQ(listener_.state_changes.size(), 1u);
  EXPECT_EQ(listener_.state_changes[0].from, TradingState::kActive);
  EXPECT_EQ(listener_.state_changes[0].to, TradingState::kHalted);
  // Both loss limits are breached and both raise their alert.
  EXPECT_EQ(listener_.breaches.size(), 2u);
  EXPECT_EQ(BreachGauge("error_account_loss"), 1.0);
  EXPECT_EQ(BreachGauge("error_account_halt_loss"), 1.0);
}

TEST_F(ErrorAccountTest, ClearingABreachClearsTheAlertButTheStateWaitsForTheOperator) {
  Position(7, 600);
  Position(7, 100);
  ASSERT_EQ(listener_.breaches.size(), 2u);
  EXPECT_EQ(listener_.breaches[1].transition, BreachTransition::kCleared);
  EXPECT_EQ(BreachGauge("error_account_position"), 0.0);
  EXPECT_EQ(risk_->trading_state(), TradingState::kReducing);
  ASSERT_TRUE(risk_->SetTradingState(TradingState::kActive, Operator("unwound")).ok());
  EXPECT_EQ(risk_->trading_state(), TradingState::kActive);
}

TEST_F(ErrorAccountTest, TheAlertStaysUpWhileAnyInstrumentIsStillOver) {
  Position(7, 600);
  Position(8, 600);
  Position(7, 0);
  EXPECT_EQ(BreachGauge("error_account_position"), 1.0);
  EXPECT_EQ(risk_->metrics().error_account_breaches(RiskRule::kErrorAccountPosition), 2.0);
}

TEST_F(ErrorAccountTest, TheOperatorCannotResumeWhileABreachLasts) {
  risk_->OnErrorAccountPnl(-Dollars(30'000));
  const absl::Status s = risk_->SetTradingState(TradingState::kActive, Operator("try"));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "cannot set trading state active: error-account loss 30000 exceeds max loss 25000 "
            "requires at least reducing");
  EXPECT_EQ(risk_->trading_state(), TradingState::kReducing);
  EXPECT_EQ(listener_.state_changes.size(), 1u);
  // A more restrictive state is always allowed.
  EXPECT_TRUE(risk_->SetTradingState(TradingState::kHalted, Operator("incident")).ok());
}

TEST_F(ErrorAccountTest, ABreachNeverLowersAHaltedState) {
  ASSERT_TRUE(risk_->SetTradingState(TradingState::kHalted, Operator("incident")).ok());
  Position(7, 600);
  EXPECT_EQ(risk_->trading_state(), TradingState::kHalted);
  EXPECT_EQ(listener_.state_changes.size(), 1u);
}

}  // namespace
}  // namespace combo::risk
