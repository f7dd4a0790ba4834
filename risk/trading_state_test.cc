#include "risk/trading_state.h"

#include <string>

#include "gtest/gtest.h"
#include "risk/risk_test_fixture.h"

namespace combo::risk {
namespace {

using ::combo::risk::testing::Operator;
using ::combo::risk::testing::RiskTest;

class TradingStateTest : public RiskTest {
 protected:
  double StateGauge() {
    for (const auto& family : registry_->Collect()) {
      if (family.name == "combo_risk_trading_state") return family.metric.at(0).gauge.value;
    }
    return -1.0;
  }
  void Set(TradingState state, std::string why = "test") {
    ASSERT_TRUE(risk_->SetTradingState(state, Operator(std::move(why))).ok());
  }
};

TEST_F(TradingStateTest, StartsActive) {
  EXPECT_EQ(risk_->trading_state(), TradingState::kActive);
  EXPECT_EQ(StateGauge(), 0.0);
}

TEST_F(TradingStateTest, ActiveToReducingByOperatorIsAnEventNamingWhoAndWhy) {
  time_.AdvanceBy(core::Duration::Seconds(5));
  Set(TradingState::kReducing, "vol spike");
  ASSERT_EQ(listener_.state_changes.size(), 1u);
  const TradingStateChange& c = listener_.state_changes[0];
  EXPECT_EQ(c.from, TradingState::kActive);
  EXPECT_EQ(c.to, TradingState::kReducing);
  EXPECT_EQ(c.cause.kind, StateChangeCause::Kind::kOperator);
  EXPECT_EQ(c.cause.command.who, "alice");
  EXPECT_EQ(c.cause.Describe(), "operator alice via fix_admin_session: vol spike");
  EXPECT_EQ(c.time, time_.Now());
  EXPECT_EQ(StateGauge(), 1.0);
  EXPECT_TRUE(control_.cancels.empty());
}

TEST_F(TradingStateTest, ActiveToHaltedCancelsRestingNativeOrdersAndStopsLegIns) {
  Set(TradingState::kHalted);
  ASSERT_EQ(control_.cancels.size(), 1u);
  ASSERT_EQ(control_.stops.size(), 1u);
  EXPECT_EQ(control_.cancels[0].to, TradingState::kHalted);
  EXPECT_EQ(StateGauge(), 2.0);
}

TEST_F(TradingStateTest, ReducingToHaltedCancelsRestingNativeOrders) {
  Set(TradingState::kReducing);
  Set(TradingState::kHalted);
  EXPECT_EQ(control_.cancels.size(), 1u);
  EXPECT_EQ(listener_.state_changes.back().from, TradingState::kReducing);
}

TEST_F(TradingStateTest, HaltedToActiveByOperator) {
  Set(TradingState::kHalted);
  Set(TradingState::kActive, "all clear");
  EXPECT_EQ(risk_->trading_state(), TradingState::kActive);
  EXPECT_EQ(listener_.state_changes.back().from, TradingState::kHalted);
  EXPECT_EQ(StateGauge(), 0.0);
  // Leaving halted cancels nothing more.
  EXPECT_EQ(control_.cancels.size(), 1u);
}

TEST_F(TradingStateTest, HaltedToReducingByOperator) {
  Set(TradingState::kHalted);
  Set(TradingState::kReducing);
  EXPECT_EQ(risk_->trading_state(), TradingState::kReducing);
  EXPECT_EQ(StateGauge(), 1.0);
}

TEST_F(TradingStateTest, ReducingToActiveByOperator) {
  Set(TradingState::kReducing);
  Set(TradingState::kActive);
  EXPECT_EQ(risk_->trading_state(), TradingState::kActive);
  EXPECT_EQ(listener_.state_changes.size(), 2u);
}

TEST_F(TradingStateTest, SettingTheCurrentStateAgainIsNotAnEvent) {
  Set(TradingState::kHalted);
  Set(TradingState::kHalted);
  EXPECT_EQ(listener_.state_changes.size(), 1u);
  EXPECT_EQ(control_.cancels.size(), 1u);
}

TEST_F(TradingStateTest, SignalCommandsNameTheirSource) {
  ASSERT_TRUE(
      risk_
          ->SetTradingState(TradingState::kHalted,
                            OperatorCommand{CommandSource::kSignal, "SIGUSR1", "kill switch"})
          .ok());
  EXPECT_EQ(listener_.state_changes[0].cause.Describe(),
            "operator SIGUSR1 via signal: kill switch");
}

TEST_F(TradingStateTest, ACommandWithoutWhoOrWhyIsAnErrorAndChangesNothing) {
  EXPECT_EQ(
      risk_
          ->SetTradingState(TradingState::kHalted, OperatorCommand{CommandSource::kSignal, "", "x"})
          .message(),
      "trading state command: who must not be empty");
  EXPECT_EQ(risk_
                ->SetTradingState(TradingState::kHalted,
                                  OperatorCommand{CommandSource::kSignal, "bob", ""})
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(risk_->trading_state(), TradingState::kActive);
  EXPECT_TRUE(listener_.state_changes.empty());
  EXPECT_TRUE(control_.cancels.empty());
}

TEST_F(TradingStateTest, EveryChangeIsCountedByTheStateEntered) {
  Set(TradingState::kReducing);
  Set(TradingState::kHalted);
  Set(TradingState::kActive);
  Set(TradingState::kHalted);
  EXPECT_EQ(risk_->metrics().state_changes(TradingState::kHalted), 2.0);
  EXPECT_EQ(risk_->metrics().state_changes(TradingState::kReducing), 1.0);
  EXPECT_EQ(risk_->metrics().state_changes(TradingState::kActive), 1.0);
}

TEST_F(TradingStateTest, WithoutAControlOrListenerHaltingStillStopsTrading) {
  risk_->SetListener(nullptr);
  risk_->SetTradingControl(nullptr);
  Set(TradingState::kHalted);
  EXPECT_EQ(risk_->trading_state(), TradingState::kHalted);
}

}  // namespace
}  // namespace combo::risk
