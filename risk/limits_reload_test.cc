// RiskManager::UpdateLimits: the daemon's SIGHUP reload of risk limits.
#include <string>

#include "gtest/gtest.h"
#include "risk/risk_manager.h"
#include "risk/risk_test_fixture.h"

namespace combo::risk {
namespace {

using ::combo::risk::testing::RiskTest;
using ::combo::risk::testing::TestLimits;

class LimitsReloadTest : public RiskTest {};

TEST_F(LimitsReloadTest, InvalidLimitsAreRefusedNamingTheFieldAndTheRunningOnesStay) {
  RiskLimits bad = TestLimits();
  bad.max_legs = 1;
  bad.max_combo_quantity = core::Quantity(5);
  const absl::Status status = risk_->UpdateLimits(bad);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("max_legs"), std::string::npos) << status;
  EXPECT_EQ(risk_->limits().max_legs, 4);
  EXPECT_EQ(risk_->limits().max_combo_quantity, core::Quantity(1'000));
  // The running limits still decide: 10 units pass.
  EXPECT_TRUE(Check(Baseline()).allowed());
}

TEST_F(LimitsReloadTest, NewLimitsDecideTheNextCheck) {
  EXPECT_TRUE(Check(Baseline("C1")).allowed());
  RiskLimits tighter = TestLimits();
  tighter.max_combo_quantity = core::Quantity(5);
  ASSERT_TRUE(risk_->UpdateLimits(tighter).ok());
  const RiskDecision decision = Check(Baseline("C2"));
  EXPECT_TRUE(decision.denied());
  EXPECT_EQ(decision.rule(), RiskRule::kMaxComboQuantity);
}

TEST_F(LimitsReloadTest, ANewBlockListAppliesToTheNextCheck) {
  RiskLimits blocking = TestLimits();
  blocking.blocked_instruments = {core::InstrumentId(2)};
  ASSERT_TRUE(risk_->UpdateLimits(blocking).ok());
  const RiskDecision decision = Check(Baseline());
  EXPECT_TRUE(decision.denied());
  EXPECT_EQ(decision.rule(), RiskRule::kInstrumentNotAllowed);
}

TEST_F(LimitsReloadTest, LoweringALegInLimitBelowOpenExposureIsAReachedEventAtOnce) {
  ASSERT_TRUE(
      risk_->ReportLegInExposure(core::OrderId(1), LegInExposure{core::Quantity(60), {}, 0}).ok());
  EXPECT_TRUE(listener_.legin_limits.empty());
  RiskLimits tighter = TestLimits();
  tighter.max_legin_units = core::Quantity(50);
  ASSERT_TRUE(risk_->UpdateLimits(tighter).ok());
  ASSERT_EQ(listener_.legin_limits.size(), 1u);
  EXPECT_EQ(listener_.legin_limits[0].limit, RiskRule::kLegInExposureUnits);
  EXPECT_EQ(listener_.legin_limits[0].transition, LimitTransition::kReached);
  EXPECT_TRUE(risk_->exposure().blocked(RiskRule::kLegInExposureUnits));
  EXPECT_TRUE(CheckLegIn(LegInExposure{core::Quantity(1), {}, 0}, core::OrderId(2)).denied());

  // Raising it back releases it.
  ASSERT_TRUE(risk_->UpdateLimits(TestLimits()).ok());
  ASSERT_EQ(listener_.legin_limits.size(), 2u);
  EXPECT_EQ(listener_.legin_limits[1].transition, LimitTransition::kReleased);
  EXPECT_FALSE(risk_->exposure().blocked(RiskRule::kLegInExposureUnits));
}

TEST_F(LimitsReloadTest, LoweringTheLossLimitUnderTheErrorAccountLossRaisesTheBreachAndReduces) {
  risk_->OnErrorAccountPnl(-Dollars(20'000));
  EXPECT_TRUE(listener_.breaches.empty());
  RiskLimits tighter = TestLimits();
  tighter.max_error_account_loss = Dollars(10'000);
  ASSERT_TRUE(risk_->UpdateLimits(tighter).ok());
  ASSERT_EQ(listener_.breaches.size(), 1u);
  EXPECT_EQ(listener_.breaches[0].breach.rule(), RiskRule::kErrorAccountLoss);
  EXPECT_EQ(listener_.breaches[0].transition, BreachTransition::kRaised);
  EXPECT_EQ(risk_->trading_state(), TradingState::kReducing);

  // Loosening clears the breach; the state stays until the operator lowers it.
  ASSERT_TRUE(risk_->UpdateLimits(TestLimits()).ok());
  ASSERT_EQ(listener_.breaches.size(), 2u);
  EXPECT_EQ(listener_.breaches[1].transition, BreachTransition::kCleared);
  EXPECT_EQ(risk_->trading_state(), TradingState::kReducing);
}

TEST_F(LimitsReloadTest, LoweringThePositionLimitUnderAPositionRaisesThatInstrumentsBreach) {
  risk_->OnErrorAccountPosition(core::InstrumentId(7), core::SignedQuantity(-300));
  RiskLimits tighter = TestLimits();
  tighter.max_error_account_position = core::Quantity(200);
  ASSERT_TRUE(risk_->UpdateLimits(tighter).ok());
  ASSERT_EQ(listener_.breaches.size(), 1u);
  EXPECT_EQ(listener_.breaches[0].breach.rule(), RiskRule::kErrorAccountPosition);
  EXPECT_TRUE(risk_->error_account().breached(RiskRule::kErrorAccountPosition));
}

}  // namespace
}  // namespace combo::risk
