#include "risk/legging_exposure.h"

#include <cmath>
#include <limits>
#include <vector>

#include "gtest/gtest.h"
#include "risk/risk_test_fixture.h"

namespace combo::risk {
namespace {

using ::combo::risk::testing::Operator;
using ::combo::risk::testing::RiskTest;

// Limits of the fixture: 100 units, 100000 notional, 50000 |dollar delta|.
class LeggingExposureTest : public RiskTest {
 protected:
  static LegInExposure Units(int64_t units) {
    return LegInExposure{core::Quantity(units), Dollars(units * 100), 0.0};
  }
  static LegInExposure Delta(double delta) {
    return LegInExposure{core::Quantity(1), Dollars(100), delta};
  }
  void Report(int64_t order, LegInExposure exposure) {
    ASSERT_TRUE(risk_->ReportLegInExposure(core::OrderId(order), exposure).ok());
  }
};

TEST_F(LeggingExposureTest, ExposureSumsOverOrdersAndEachReportReplacesTheOrdersLast) {
  Report(1, Units(30));
  Report(2, Units(20));
  Report(1, Units(10));
  EXPECT_EQ(risk_->exposure().total().units, core::Quantity(30));
  EXPECT_EQ(risk_->exposure().total().notional, Dollars(3'000));
  Report(1, LegInExposure());
  EXPECT_EQ(risk_->exposure().total().units, core::Quantity(20));
  EXPECT_EQ(risk_->exposure().orders(), 1u);
}

TEST_F(LeggingExposureTest, UnitsLimitAllowsALegInThatReachesItExactly) {
  Report(1, Units(60));
  EXPECT_TRUE(CheckLegIn(Units(40)).allowed());
}

TEST_F(LeggingExposureTest, UnitsLimitDeniesALegInOneUnitOver) {
  Report(1, Units(60));
  const RiskDecision d = CheckLegIn(Units(41));
  ASSERT_TRUE(d.denied());
  EXPECT_EQ(d.rule(), RiskRule::kLegInExposureUnits);
  EXPECT_EQ(d.Describe(), "open unhedged units 101 would exceed limit 100");
}

TEST_F(LeggingExposureTest, NotionalLimitAllowsExactlyAndDeniesTheSmallestAmountOver) {
  Report(1, LegInExposure{core::Quantity(1), Dollars(60'000), 0.0});
  EXPECT_TRUE(CheckLegIn(LegInExposure{core::Quantity(1), Dollars(40'000), 0.0}).allowed());
  const RiskDecision d =
      CheckLegIn(LegInExposure{core::Quantity(1), Dollars(40'000) + core::Money::FromRaw(1), 0.0});
  ASSERT_TRUE(d.denied());
  EXPECT_EQ(d.rule(), RiskRule::kLegInExposureNotional);
}

TEST_F(LeggingExposureTest, DollarDeltaLimitAllowsExactlyAndDeniesOver) {
  Report(1, Delta(30'000.0));
  EXPECT_TRUE(CheckLegIn(Delta(20'000.0)).allowed());
  const RiskDecision d = CheckLegIn(Delta(20'000.5));
  ASSERT_TRUE(d.denied());
  EXPECT_EQ(d.rule(), RiskRule::kLegInExposureDollarDelta);
  EXPECT_EQ(d.Describe(), "open unhedged |dollar delta| 50000.50 would exceed limit 50000.00");
}

TEST_F(LeggingExposureTest, DollarDeltaLimitIsOnTheNetAbsoluteValueBothWays) {
  Report(1, Delta(-30'000.0));
  EXPECT_TRUE(CheckLegIn(Delta(-20'000.0)).allowed());
  EXPECT_EQ(CheckLegIn(Delta(-20'001.0)).rule(), RiskRule::kLegInExposureDollarDelta);
  // Offsetting deltas net out.
  Report(2, Delta(30'000.0));
  EXPECT_TRUE(CheckLegIn(Delta(49'000.0)).allowed());
}

TEST_F(LeggingExposureTest, ALegInThatReducesDeltaIsNeverDeniedByTheDeltaLimit) {
  Report(1, Delta(60'000.0));  // over the limit already (fills raced in)
  EXPECT_EQ(CheckLegIn(Delta(1.0)).rule(), RiskRule::kLegInExposureDollarDelta);
  EXPECT_TRUE(CheckLegIn(Delta(-5'000.0)).allowed());
}

TEST_F(LeggingExposureTest, ReachingALimitBlocksNewLegInsAndIsAnEvent) {
  Report(1, Units(99));
  EXPECT_TRUE(listener_.legin_limits.empty());
  Report(2, Units(1));
  ASSERT_EQ(listener_.legin_limits.size(), 1u);
  EXPECT_EQ(listener_.legin_limits[0].limit, RiskRule::kLegInExposureUnits);
  EXPECT_EQ(listener_.legin_limits[0].transition, LimitTransition::kReached);
  EXPECT_EQ(listener_.legin_limits[0].exposure, RiskValue::Units(core::Quantity(100)));
  EXPECT_TRUE(risk_->exposure().blocked(RiskRule::kLegInExposureUnits));
  EXPECT_EQ(CheckLegIn(Units(1)).rule(), RiskRule::kLegInExposureUnits);
  const std::string scrape = [&] {
    double v = 0;
    for (const auto& family : registry_->Collect()) {
      if (family.name != "combo_risk_legin_limit_reached") continue;
      for (const auto& metric : family.metric) {
        for (const auto& label : metric.label) {
          if (label.value == "legin_exposure_units") v = metric.gauge.value;
        }
      }
    }
    return std::to_string(static_cast<int>(v));
  }();
  EXPECT_EQ(scrape, "1");
}

TEST_F(LeggingExposureTest, FallingBelowALimitReleasesLegIns) {
  Report(1, Units(100));
  ASSERT_EQ(CheckLegIn(Units(1)).rule(), RiskRule::kLegInExposureUnits);
  Report(1, Units(50));
  ASSERT_EQ(listener_.legin_limits.size(), 2u);
  EXPECT_EQ(listener_.legin_limits[1].transition, LimitTransition::kReleased);
  EXPECT_FALSE(risk_->exposure().blocked(RiskRule::kLegInExposureUnits));
  EXPECT_TRUE(CheckLegIn(Units(1)).allowed());
}

TEST_F(LeggingExposureTest, ReducingStateAllowsOnlyLegInsThatReduceDelta) {
  Report(1, Delta(10'000.0));
  ASSERT_TRUE(risk_->SetTradingState(TradingState::kReducing, Operator("de-risk")).ok());
  const RiskDecision d = CheckLegIn(Delta(1'000.0));
  ASSERT_TRUE(d.denied());
  EXPECT_EQ(d.rule(), RiskRule::kReducingOnly);
  EXPECT_EQ(d.Describe(),
            "trading is reducing: leg-in would take |dollar delta| to 11000.00 from 10000.00");
  EXPECT_TRUE(CheckLegIn(Delta(-4'000.0)).allowed());
  // Overshooting to a larger opposite delta does not reduce.
  EXPECT_EQ(CheckLegIn(Delta(-25'000.0)).rule(), RiskRule::kReducingOnly);
}

TEST_F(LeggingExposureTest, ReducingStateWithNoExposureAllowsNoNewLegIn) {
  ASSERT_TRUE(risk_->SetTradingState(TradingState::kReducing, Operator("de-risk")).ok());
  EXPECT_EQ(CheckLegIn(Delta(-1.0)).rule(), RiskRule::kReducingOnly);
}

TEST_F(LeggingExposureTest, HaltedDeniesEveryLegIn) {
  Report(1, Delta(10'000.0));
  ASSERT_TRUE(risk_->SetTradingState(TradingState::kHalted, Operator("incident")).ok());
  EXPECT_EQ(CheckLegIn(Delta(-4'000.0)).rule(), RiskRule::kTradingHalted);
}

TEST_F(LeggingExposureTest, LegInDenialsAreEventsAndCountedByReason) {
  Report(1, Units(100));
  CheckLegIn(Units(1));
  CheckLegIn(Units(2));
  EXPECT_EQ(risk_->metrics().denials(RiskRule::kLegInExposureUnits), 2.0);
  ASSERT_EQ(listener_.legin_denials.size(), 2u);
  EXPECT_EQ(listener_.legin_denials[1].actual(), RiskValue::Units(core::Quantity(102)));
}

TEST_F(LeggingExposureTest, ExposureGaugesFollowTheTotals) {
  Report(1, LegInExposure{core::Quantity(7), Dollars(700), -1'250.5});
  double units = -1, notional = -1, delta = 0;
  for (const auto& family : registry_->Collect()) {
    if (family.metric.empty()) continue;
    if (family.name == "combo_risk_legin_exposure_units") units = family.metric[0].gauge.value;
    if (family.name == "combo_risk_legin_exposure_notional") {
      notional = family.metric[0].gauge.value;
    }
    if (family.name == "combo_risk_legin_exposure_dollar_delta") {
      delta = family.metric[0].gauge.value;
    }
  }
  EXPECT_EQ(units, 7.0);
  EXPECT_EQ(notional, 700.0);
  EXPECT_EQ(delta, -1'250.5);
}

TEST_F(LeggingExposureTest, MalformedExposureIsAnErrorAndChangesNothing) {
  Report(1, Units(10));
  EXPECT_FALSE(risk_->ReportLegInExposure(core::OrderId(1), Units(-1)).ok());
  EXPECT_FALSE(risk_
                   ->ReportLegInExposure(core::OrderId(1),
                                         LegInExposure{core::Quantity(1), -Dollars(1), 0.0})
                   .ok());
  EXPECT_FALSE(
      risk_->ReportLegInExposure(core::OrderId(1), Delta(std::numeric_limits<double>::quiet_NaN()))
          .ok());
  EXPECT_EQ(risk_->exposure().total().units, core::Quantity(10));
  EXPECT_FALSE(risk_->CheckLegIn(LegInRequest{core::OrderId(2), Units(-1)}).ok());
  EXPECT_EQ(risk_->CheckLegIn(LegInRequest{core::OrderId(2), Delta(INFINITY)}).status().message(),
            "leg-in exposure: dollar delta must be finite");
  EXPECT_TRUE(listener_.legin_denials.empty());
}

}  // namespace
}  // namespace combo::risk
