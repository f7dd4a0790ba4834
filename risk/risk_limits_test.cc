#include "risk/risk_limits.h"

#include <cmath>
#include <set>
#include <string_view>

#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "risk/risk_decision.h"
#include "risk/risk_manager.h"
#include "risk/risk_rule.h"

namespace combo::risk {
namespace {

TEST(RiskLimits, DefaultsValidate) { EXPECT_TRUE(RiskLimits().Validate().ok()); }

TEST(RiskLimits, DocumentedDefaults) {
  const RiskLimits d;
  EXPECT_EQ(d.max_combo_quantity, core::Quantity(1'000));
  EXPECT_EQ(d.max_legs, 4);
  EXPECT_EQ(d.max_notional, Dollars(5'000'000));
  EXPECT_EQ(d.collar_ticks, 20);
  EXPECT_EQ(d.collar_basis_points, 500);
  EXPECT_EQ(d.default_client_credit_limit, Dollars(10'000'000));
  EXPECT_EQ(d.max_remembered_client_order_ids, 100'000);
  EXPECT_EQ(d.max_legin_units, core::Quantity(200));
  EXPECT_EQ(d.max_legin_notional, Dollars(1'000'000));
  EXPECT_EQ(d.max_legin_dollar_delta, 500'000.0);
  EXPECT_EQ(d.max_error_account_position, core::Quantity(500));
  EXPECT_EQ(d.max_error_account_total_position, core::Quantity(2'000));
  EXPECT_EQ(d.max_error_account_loss, Dollars(250'000));
  EXPECT_EQ(d.halt_error_account_loss, Dollars(1'000'000));
}

TEST(RiskLimits, EachUnenforceableFieldIsAnErrorNamingIt) {
  struct Case {
    void (*mutate)(RiskLimits&);
    const char* message;
  };
  const Case cases[] = {
      {[](RiskLimits& l) { l.max_combo_quantity = core::Quantity(0); },
       "risk limits: max_combo_quantity must be positive, got 0"},
      {[](RiskLimits& l) { l.max_legs = 1; }, "risk limits: max_legs must be at least 2, got 1"},
      {[](RiskLimits& l) { l.max_notional = core::Money::Zero(); },
       "risk limits: max_notional must be positive, got 0"},
      {[](RiskLimits& l) { l.collar_ticks = -1; },
       "risk limits: collar_ticks must not be negative, got -1"},
      {[](RiskLimits& l) { l.collar_basis_points = -5; },
       "risk limits: collar_basis_points must not be negative, got -5"},
      {[](RiskLimits& l) { l.default_client_credit_limit = -Dollars(1); },
       "risk limits: default_client_credit_limit must be positive, got -1"},
      {[](RiskLimits& l) { l.client_credit_limits[core::ClientId("X")] = core::Money::Zero(); },
       "risk limits: client_credit_limits[X] must be positive, got 0"},
      {[](RiskLimits& l) {
         l.allowed_instruments = {core::InstrumentId(3)};
         l.blocked_instruments = {core::InstrumentId(3)};
       },
       "risk limits: allowed_instruments must not hold a blocked instrument, got #3"},
      {[](RiskLimits& l) { l.max_remembered_client_order_ids = 0; },
       "risk limits: max_remembered_client_order_ids must be at least 1, got 0"},
      {[](RiskLimits& l) { l.max_legin_units = core::Quantity(-1); },
       "risk limits: max_legin_units must be positive, got -1"},
      {[](RiskLimits& l) { l.max_legin_notional = core::Money::Zero(); },
       "risk limits: max_legin_notional must be positive, got 0"},
      {[](RiskLimits& l) { l.max_legin_dollar_delta = NAN; },
       "risk limits: max_legin_dollar_delta must be positive and finite, got nan"},
      {[](RiskLimits& l) { l.max_error_account_position = core::Quantity(0); },
       "risk limits: max_error_account_position must be positive, got 0"},
      {[](RiskLimits& l) { l.max_error_account_total_position = core::Quantity(0); },
       "risk limits: max_error_account_total_position must be positive, got 0"},
      {[](RiskLimits& l) { l.max_error_account_loss = core::Money::Zero(); },
       "risk limits: max_error_account_loss must be positive, got 0"},
      {[](RiskLimits& l) { l.halt_error_account_loss = Dollars(1); },
       "risk limits: halt_error_account_loss must be at least max_error_account_loss, got 1"},
  };
  for (const Case& c : cases) {
    RiskLimits limits;
    c.mutate(limits);
    const absl::Status s = limits.Validate();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_EQ(s.message(), c.message);
  }
}

TEST(RiskLimits, RiskManagerRefusesLimitsThatDoNotValidate) {
  core::SimulatedTime time;
  prometheus::Registry registry;
  RiskLimits limits;
  limits.max_legs = 0;
  EXPECT_EQ(RiskManager::Create(limits, time, registry).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RiskLimits, RiskManagerReportsMetricsThatCannotBeDeclared) {
  core::SimulatedTime time;
  prometheus::Registry registry;
  ASSERT_TRUE(RiskManager::Create(RiskLimits(), time, registry).ok());
  // The same families again in the same registry with another type clash.
  prometheus::Registry clash;
  ASSERT_TRUE(core::DeclareGaugeFamily(clash, "combo_risk_denials_total", "x").ok());
  EXPECT_FALSE(RiskManager::Create(RiskLimits(), time, clash).ok());
}

TEST(RiskDecision, AllowDescribesItself) {
  EXPECT_TRUE(RiskDecision::Allow().allowed());
  EXPECT_EQ(RiskDecision::Allow().Describe(), "allowed");
}

TEST(RiskDecision, ErrorAccountLossTextNamesTheLimit) {
  const RiskDecision d =
      RiskDecision::Deny(RiskRule::kErrorAccountLoss, RiskValue::Amount(Dollars(300'000)),
                         RiskValue::Amount(Dollars(250'000)));
  EXPECT_EQ(d.Describe(), "error-account loss 300000 exceeds max loss 250000");
}

TEST(RiskDecision, EveryRuleHasADistinctMetricLabel) {
  std::set<std::string_view> names;
  for (RiskRule rule : kAllRiskRules) {
    EXPECT_NE(ToString(rule), "unknown");
    names.insert(ToString(rule));
  }
  EXPECT_EQ(names.size(), kAllRiskRules.size());
}

}  // namespace
}  // namespace combo::risk
