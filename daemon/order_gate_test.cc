#include "daemon/order_gate.h"

#include <algorithm>
#include <string>
#include <vector>

#include "accounts/test_util.h"
#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"

namespace combo::daemon {
namespace {

// The router's stand-in: records what reaches it and reports when told.
class RecordingEntry final : public router::OrderEntry {
 public:
  void SetListener(router::OrderEntryListener* listener) override { listener_ = listener; }
  absl::Status Submit(const router::NewComboOrder& order) override {
    calls.push_back("submit " + order.client_order_id.value());
    return absl::OkStatus();
  }
  absl::Status Cancel(const router::CancelComboOrder& cancel) override {
    calls.push_back("cancel " + cancel.original_client_order_id.value());
    return absl::OkStatus();
  }
  absl::Status Replace(const router::ReplaceComboOrder& replace) override {
    calls.push_back("replace " + replace.original_client_order_id.value());
    return absl::OkStatus();
  }
  absl::Status RequestStatus(const router::ComboOrderStatusRequest&) override {
    calls.push_back("status");
    return absl::OkStatus();
  }
  absl::StatusOr<router::ComboDefinition> DefineCombo(const core::ComboSpec&) override {
    return absl::UnimplementedError("not in this test");
  }
  const core::ComboSpec* FindDefinedCombo(core::ComboId) const override { return nullptr; }
  absl::StatusOr<router::ComboQuote> SubscribeQuotes(core::ComboId,
                                                     router::ComboQuoteListener*) override {
    return absl::UnimplementedError("not in this test");
  }
  absl::Status UnsubscribeQuotes(core::ComboId, router::ComboQuoteListener*) override {
    return absl::OkStatus();
  }

  router::OrderEntryListener* listener_ = nullptr;
  std::vector<std::string> calls;
};

class CountingListener final : public router::OrderEntryListener {
 public:
  void OnAccepted(const router::ComboOrderAccepted&) override { events.push_back("accepted"); }
  void OnRejected(const router::ComboOrderRejected&) override { events.push_back("rejected"); }
  void OnExecution(const router::ComboExecution&) override { events.push_back("execution"); }
  void OnCancelled(const router::ComboOrderCancelled&) override { events.push_back("cancelled"); }
  void OnReplaced(const router::ComboOrderReplaced&) override { events.push_back("replaced"); }
  void OnCancelRejected(const router::CancelRejected&) override {
    events.push_back("cancel_rejected");
  }
  void OnStatus(const router::ComboOrderStatusReport&) override { events.push_back("status"); }
  std::vector<std::string> events;
};

router::NewComboOrder Order(std::string id) {
  return router::NewComboOrder{
      .client = core::ClientId("BRK"),
      .client_order_id = core::ClientOrderId(std::move(id)),
      .account = core::AccountId("ACC"),
      .combo = *core::ComboSpec::Create({{core::InstrumentId(1), 1, core::Side::kBuy},
                                         {core::InstrumentId(2), 1, core::Side::kSell}}),
      .side = core::Side::kBuy,
      .quantity = core::Quantity(1)};
}

class OrderGateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto gate = OrderGate::Create(inner_, registry_);
    ASSERT_TRUE(gate.ok()) << gate.status();
    gate_ = std::move(*gate);
    gate_->SetListener(&listener_);
  }
  prometheus::Registry registry_;
  RecordingEntry inner_;
  CountingListener listener_;
  std::unique_ptr<OrderGate> gate_;
};

TEST_F(OrderGateTest, RequestsAndReportsPassThroughAndOrdersAreCountedByOutcome) {
  ASSERT_EQ(inner_.listener_, gate_.get());
  ASSERT_TRUE(gate_->Submit(Order("A")).ok());
  ASSERT_TRUE(
      gate_->Cancel({core::ClientId("BRK"), core::ClientOrderId("X"), core::ClientOrderId("A")})
          .ok());
  EXPECT_EQ(inner_.calls, (std::vector<std::string>{"submit A", "cancel A"}));

  inner_.listener_->OnAccepted(router::ComboOrderAccepted{});
  router::ComboExecution partial;
  partial.order.status = router::ClientOrderStatus::kPartiallyFilled;
  inner_.listener_->OnExecution(partial);
  router::ComboExecution last;
  last.order.status = router::ClientOrderStatus::kFilled;
  inner_.listener_->OnExecution(last);
  inner_.listener_->OnCancelled(router::ComboOrderCancelled{});
  inner_.listener_->OnRejected(router::ComboOrderRejected{});
  router::ComboOrderRejected unknown_status;
  unknown_status.rejected_request = router::RejectedRequest::kStatusRequest;
  inner_.listener_->OnRejected(unknown_status);
  EXPECT_EQ(listener_.events, (std::vector<std::string>{"accepted", "execution", "execution",
                                                        "cancelled", "rejected", "rejected"}));
  EXPECT_EQ(gate_->count(OrderOutcome::kReceived), 1);
  EXPECT_EQ(gate_->count(OrderOutcome::kAccepted), 1);
  EXPECT_EQ(gate_->count(OrderOutcome::kFilled), 1);
  EXPECT_EQ(gate_->count(OrderOutcome::kCancelled), 1);
  // A rejected status request is not a rejected order.
  EXPECT_EQ(gate_->count(OrderOutcome::kRejected), 1);
}

TEST_F(OrderGateTest, DrainingRefusesNewOrdersAndReplacesButNotCancelsOrReports) {
  gate_->StartDraining();
  const absl::Status refused = gate_->Submit(Order("B"));
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(std::string(refused.message()).find("shutting down"), std::string::npos);
  EXPECT_FALSE(gate_
                   ->Replace({core::ClientId("BRK"), core::ClientOrderId("R"),
                              core::ClientOrderId("A"), std::nullopt, core::Quantity(2)})
                   .ok());
  ASSERT_TRUE(
      gate_->Cancel({core::ClientId("BRK"), core::ClientOrderId("X"), core::ClientOrderId("A")})
          .ok());
  ASSERT_TRUE(gate_->RequestStatus({}).ok());
  EXPECT_EQ(inner_.calls, (std::vector<std::string>{"cancel A", "status"}));
  inner_.listener_->OnCancelled(router::ComboOrderCancelled{});
  EXPECT_EQ(listener_.events, (std::vector<std::string>{"cancelled"}));
  EXPECT_EQ(gate_->count(OrderOutcome::kRefusedDraining), 1);
  EXPECT_EQ(gate_->count(OrderOutcome::kReceived), 1);
}

// A journal that cannot be written stops new orders and replaces with a reject naming the
// journal's error; cancels and status requests still reach the router.
TEST_F(OrderGateTest, UnwritableJournalRefusesNewOrdersAndReplacesNamingTheError) {
  core::SimulatedTime time;
  accounts::AccountsOptions options;
  options.journal.max_pages = 12;
  auto service =
      accounts::AccountsService::Open(accounts::testing::FreshDir() + "/j.db", options, time);
  ASSERT_TRUE(service.ok()) << service.status();
  gate_->RefuseOrdersOnJournalFailure(**service);
  ASSERT_TRUE(gate_->Submit(Order("A")).ok()) << "a writable journal lets orders through";

  absl::Status write = absl::OkStatus();
  for (uint64_t id = 1; write.ok(); ++id) {
    ASSERT_LT(id, 5000u);
    ASSERT_TRUE((*service)
                    ->Record(accounts::testing::BulkyOrder(id), [&](absl::Status s) { write = s; })
                    .ok());
  }
  const absl::Status refused = gate_->Submit(Order("B"));
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(refused.message().find("cannot write its journal"), std::string::npos) << refused;
  EXPECT_NE(refused.message().find(write.message()), std::string::npos) << refused;
  EXPECT_FALSE(gate_
                   ->Replace({core::ClientId("BRK"), core::ClientOrderId("R"),
                              core::ClientOrderId("A"), std::nullopt, core::Quantity(2)})
                   .ok());
  ASSERT_TRUE(
      gate_->Cancel({core::ClientId("BRK"), core::ClientOrderId("X"), core::ClientOrderId("A")})
          .ok());
  EXPECT_EQ(inner_.calls, (std::vector<std::string>{"submit A", "cancel A"}));
  EXPECT_EQ(gate_->count(OrderOutcome::kRefusedJournal), 1);
}

TEST_F(OrderGateTest, EveryOutcomeSeriesIsExportedFromTheStart) {
  std::vector<std::string> outcomes;
  for (const auto& family : registry_.Collect()) {
    if (family.name != "combo_orders_total") continue;
    for (const auto& metric : family.metric) outcomes.push_back(metric.label.at(0).value);
  }
  std::sort(outcomes.begin(), outcomes.end());
  EXPECT_EQ(outcomes,
            (std::vector<std::string>{"accepted", "cancelled", "filled", "received",
                                      "refused_draining", "refused_journal", "rejected"}));
}

}  // namespace
}  // namespace combo::daemon
