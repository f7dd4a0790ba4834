// Test fixture shared by the risk tests: a RiskManager on simulated time with explicit limits,
// a recording listener and trading control, and a baseline order that passes every rule.
// Test-only; not part of the library.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/combo_spec.h"
#include "core/ids.h"
#include "core/money.h"
#include "core/price.h"
#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "risk/risk_events.h"
#include "risk/risk_limits.h"
#include "risk/risk_manager.h"

namespace combo::risk::testing {

inline core::Money Cents(int64_t cents) {
  return core::Money::FromRaw(absl::int128(cents) * (core::Price::kScale / 100));
}

// Records every event, rendering texts as it goes (allocation is fine in these tests).
class RecordingListener : public RiskListener {
 public:
  void OnOrderDenied(const OrderDenied& e) override {
    order_denials.push_back(e.decision);
    denied_client_order_ids.push_back(e.request.client_order_id.value());
  }
  void OnLegInDenied(const LegInDenied& e) override { legin_denials.push_back(e.decision); }
  void OnTradingStateChanged(const TradingStateChange& e) override { state_changes.push_back(e); }
  void OnLegInLimit(const LegInLimitEvent& e) override { legin_limits.push_back(e.change); }
  void OnErrorAccountBreach(const ErrorAccountBreachEvent& e) override {
    breaches.push_back(e.change);
  }

  std::vector<RiskDecision> order_denials;
  std::vector<std::string> denied_client_order_ids;
  std::vector<RiskDecision> legin_denials;
  std::vector<TradingStateChange> state_changes;
  std::vector<LegInLimitChange> legin_limits;
  std::vector<ErrorAccountBreachChange> breaches;
};

class RecordingControl : public TradingControl {
 public:
  void CancelAllRestingNativeOrders(const TradingStateChange& change) override {
    cancels.push_back(change);
  }
  void StopLegIns(const TradingStateChange& change) override { stops.push_back(change); }
  std::vector<TradingStateChange> cancels;
  std::vector<TradingStateChange> stops;
};

// Limits with round numbers the tests reason about.
inline RiskLimits TestLimits() {
  RiskLimits limits;
  limits.max_combo_quantity = core::Quantity(1'000);
  limits.max_legs = 4;
  limits.max_notional = Dollars(1'000'000);
  limits.collar_ticks = 4;
  limits.collar_basis_points = 0;
  limits.default_client_credit_limit = Dollars(50'000);
  limits.max_remembered_client_order_ids = 1'000;
  limits.max_legin_units = core::Quantity(100);
  limits.max_legin_notional = Dollars(100'000);
  limits.max_legin_dollar_delta = 50'000.0;
  limits.max_error_account_position = core::Quantity(500);
  limits.max_error_account_total_position = core::Quantity(800);
  limits.max_error_account_loss = Dollars(25'000);
  limits.halt_error_account_loss = Dollars(100'000);
  return limits;
}

inline OperatorCommand Operator(std::string why) {
  return OperatorCommand{CommandSource::kFixAdminSession, "alice", std::move(why)};
}

class RiskTest : public ::testing::Test {
 protected:
  RiskTest() { Rebuild(TestLimits()); }

  void Rebuild(RiskLimits limits) {
    registry_ = std::make_unique<prometheus::Registry>();
    auto created = RiskManager::Create(std::move(limits), time_, *registry_);
    ASSERT_TRUE(created.ok()) << created.status();
    risk_ = std::move(*created);
    risk_->SetListener(&listener_);
    risk_->SetTradingControl(&control_);
    risk_->SetVenueStatus(core::VenueId(1), VenueStatus::kAvailable);
  }

  // Buy 10 units of a 1:1 two-leg combo at 1.00, best ask 1.00, tick 0.01, multiplier 100:
  // notional 10 x 1.00 x 100 = 1000.
  OrderCheckRequest Baseline(std::string client_order_id = "C1") {
    OrderCheckRequest r;
    r.client = core::ClientId("BRK1");
    r.client_order_id = core::ClientOrderId(std::move(client_order_id));
    r.account = core::AccountId("ACC1");
    r.legs = legs_;
    r.side = core::Side::kBuy;
    r.quantity = core::Quantity(10);
    r.limit_price = core::Price::FromParts(1, 0);
    r.combo_tick = core::Price::FromParts(0, 10'000'000);
    r.combo_multiplier = 100;
    r.best_opposite_price = core::Price::FromParts(1, 0);
    r.notional = Dollars(1'000);
    r.venues = venues_;
    return r;
  }

  RiskDecision Check(const OrderCheckRequest& request) {
    auto decision = risk_->CheckOrder(request);
    EXPECT_TRUE(decision.ok()) << decision.status();
    return decision.ok() ? *decision : RiskDecision::Allow();
  }

  RiskDecision CheckLegIn(LegInExposure added, core::OrderId order = core::OrderId(1)) {
    auto decision = risk_->CheckLegIn(LegInRequest{order, added});
    EXPECT_TRUE(decision.ok()) << decision.status();
    return decision.ok() ? *decision : RiskDecision::Allow();
  }

  core::SimulatedTime time_;
  std::unique_ptr<prometheus::Registry> registry_;
  std::unique_ptr<RiskManager> risk_;
  RecordingListener listener_;
  RecordingControl control_;
  std::vector<core::ComboLeg> legs_ = {
      {core::InstrumentId(1), 1, core::Side::kBuy},
      {core::InstrumentId(2), 1, core::Side::kSell},
  };
  std::vector<core::VenueId> venues_ = {core::VenueId(1)};
};

}  // namespace combo::risk::testing
